/**
 * The connector SPI: one small interface per bank capability (account information, payment initiation), the bank profile that makes a bank data rather than code, and typed bank errors that say who is at fault and whether a retry helps. No Spring, no HTTP.
 */
package org.openfinq.connector;
