package org.openfinq.server.bank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Per-bank isolation defaults ({@code OPENFINQ_BANKS_*}); a bank profile's {@code isolation} object overrides
 * them for that bank.
 *
 * @param maxConcurrentCalls   calls in flight to one bank from this node; more are refused at once
 * @param failureRateThreshold percentage of failed calls (unreachable, 5xx, timeout) that opens the breaker
 * @param slidingWindow        how many recent calls the failure rate is computed over
 * @param minimumCalls         calls needed in the window before the breaker may open
 * @param openFor              how long an open breaker refuses calls before letting trial calls through
 * @param halfOpenCalls        trial calls that decide whether the breaker closes again
 */
@ConfigurationProperties(prefix = "openfinq.banks")
public record BankLimitsProperties(@DefaultValue("20") int maxConcurrentCalls, @DefaultValue("50") int failureRateThreshold,
                                   @DefaultValue("20") int slidingWindow, @DefaultValue("10") int minimumCalls,
                                   @DefaultValue("PT30S") Duration openFor, @DefaultValue("2") int halfOpenCalls) {
}
