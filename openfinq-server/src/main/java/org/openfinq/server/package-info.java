/**
 * The openfinq server: the Finqware-compatible HTTP API, background jobs and the admin CLI, in one jar.
 * One package per feature ({@code tenant}, {@code catalog}, ...), each with its controller, service and SQL;
 * {@code web} holds the cross-cutting HTTP concerns (error model, request parsing, logging), {@code db} the
 * database bootstrap.
 */
package org.openfinq.server;
