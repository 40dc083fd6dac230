/**
 * The Java SDK for the openfinq / Finqware v1 API: typed calls and errors, and RS256 request signing for /v1s.
 */
package org.openfinq.client;
