package org.openfinq.server.bank;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.openfinq.connector.BankException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps one bank's trouble from spreading: every call to a bank goes through that bank's bulkhead (a limit on
 * calls in flight from this node) and circuit breaker (after too many failures — unreachable, 5xx, timeout —
 * calls are refused for a while, then a few trial calls decide whether it closes again). A refused call fails
 * at once with {@link BankException.Refused} and its retry time; nothing reaches the bank. Limits are the
 * {@link BankLimitsProperties} defaults, overridden per bank profile by its {@code isolation} object. A call made
 * inside a database transaction is a bug and fails at once.
 */
@Component
@org.springframework.boot.context.properties.EnableConfigurationProperties(BankLimitsProperties.class)
public class BankIsolation {

    private static final Logger log = LoggerFactory.getLogger(BankIsolation.class);

    /** What a caller refused for a full bulkhead is told to wait. */
    static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

    /** One bank's limits. */
    public record Limits(int maxConcurrentCalls, int failureRateThreshold, int slidingWindow, int minimumCalls,
                         Duration openFor, int halfOpenCalls) {
        public Limits {
            if (maxConcurrentCalls < 1 || slidingWindow < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
                throw new IllegalArgumentException("isolation: max_concurrent_calls, sliding_window, minimum_calls and "
                        + "half_open_calls must be at least 1");
            }
            if (failureRateThreshold < 1 || failureRateThreshold > 100) {
                throw new IllegalArgumentException("isolation: failure_rate_threshold must be a percentage from 1 to 100");
            }
            if (openFor == null || openFor.isNegative() || openFor.isZero()) {
                throw new IllegalArgumentException("isolation: open_for must be a positive duration");
            }
        }

        static Limits of(BankLimitsProperties d) {
            return new Limits(d.maxConcurrentCalls(), d.failureRateThreshold(), d.slidingWindow(), d.minimumCalls(),
                    d.openFor(), d.halfOpenCalls());
        }
    }

    private final class Guard {
        final Bulkhead bulkhead;
        final CircuitBreaker breaker;
        final Duration openFor;
        volatile Instant openedAt = Instant.EPOCH;

        Guard(String bank, Limits l) {
            // 0 closed, 1 half open, 2 open (and 3+ for Resilience4j's forced/disabled/metrics-only states)
            io.micrometer.core.instrument.Gauge.builder("openfinq.bank.breaker.state", this,
                            g -> g.breaker == null ? 0 : switch (g.breaker.getState()) {
                                case CLOSED -> 0;
                                case HALF_OPEN -> 1;
                                case OPEN -> 2;
                                default -> 3;
                            })
                    .description("Circuit breaker of a bank on this node: 0 closed, 1 half open, 2 open")
                    .tag("bank", bank).register(registry);
            bulkhead = Bulkhead.of(bank, BulkheadConfig.custom().maxConcurrentCalls(l.maxConcurrentCalls())
                    .maxWaitDuration(Duration.ZERO).build());
            breaker = CircuitBreaker.of(bank, CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(l.slidingWindow())
                    .minimumNumberOfCalls(l.minimumCalls())
                    .failureRateThreshold(l.failureRateThreshold())
                    .waitDurationInOpenState(l.openFor())
                    .permittedNumberOfCallsInHalfOpenState(l.halfOpenCalls())
                    .recordException(e -> e instanceof BankException.Unavailable || e instanceof BankException.Timeout)
                    .build());
            openFor = l.openFor();
            breaker.getEventPublisher().onStateTransition(e -> {
                if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    openedAt = clock.instant();
                }
                log.warn("Bank {}: circuit breaker {}", bank, e.getStateTransition());
            });
        }
    }

    private final BankProfiles profiles;
    private final BankLimitsProperties props;
    private final Clock clock;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    private final MeterRegistry registry;

    public BankIsolation(BankProfiles profiles, BankLimitsProperties props, MeterRegistry registry) {
        this.profiles = profiles;
        this.props = props;
        this.registry = registry;
        Limits.of(props); // bad defaults stop the server at start
        // wall time, not the application clock: open periods are real time, as Resilience4j measures them
        this.clock = Clock.systemUTC();
    }

    /** The limits of a bank: the defaults with its profile's overrides. */
    public Limits limits(String bank) {
        return profiles.isolation(bank, Limits.of(props));
    }

    /** Runs one call to {@code bank} inside its bulkhead and circuit breaker. */
    public <T> T call(String bank, Supplier<T> call) {
        return call(bank, "call", call);
    }

    /**
     * Runs the call {@code operation} to {@code bank} inside its bulkhead and circuit breaker, timed as
     * {@code openfinq_bank_calls_seconds{bank,operation,outcome}} (outcome: ok, timeout, tls, unreachable, 5xx,
     * 429, sca_denied, consent_invalid, rejected, invalid_response; {@code refused} when the bank was not called).
     */
    public <T> T call(String bank, String operation, Supplier<T> call) {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
            // a bank call inside a transaction would hold a connection (and its row locks) for as long as the bank takes
            throw new IllegalStateException("Bank " + bank + " called inside a database transaction");
        }
        Guard g = guards.computeIfAbsent(bank, b -> new Guard(b, limits(b)));
        if (!g.breaker.tryAcquirePermission()) {
            registry.counter("openfinq.bank.refused", "bank", bank, "operation", operation, "reason", "circuit_open").increment();
            Duration left = g.openFor.minus(Duration.between(g.openedAt, clock.instant()));
            throw new BankException.Refused(bank + ": calls are suspended after repeated failures of the bank",
                    BankException.Refused.Reason.CIRCUIT_OPEN, left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left);
        }
        if (!g.bulkhead.tryAcquirePermission()) {
            g.breaker.releasePermission();
            registry.counter("openfinq.bank.refused", "bank", bank, "operation", operation, "reason", "busy").increment();
            throw new BankException.Refused(bank + ": " + g.bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                    + " calls to the bank are already in flight", BankException.Refused.Reason.BUSY, BUSY_RETRY_AFTER);
        }
        long start = System.nanoTime();
        try {
            T result = call.get();
            g.breaker.onResult(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS, result);
            time(bank, operation, "ok", start);
            return result;
        } catch (RuntimeException e) {
            g.breaker.onError(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS, e);
            time(bank, operation, outcome(e), start);
            if (e instanceof BankException.Unavailable || e instanceof BankException.Timeout
                    || e instanceof BankException.RateLimited || e instanceof BankException.ScaFailed) {
                // the connector's message names the bank, the call, the X-Request-ID and the real cause; never a secret
                log.warn("Bank call failed ({}): {} [{}]", outcome(e), e.getMessage(), operation);
            }
            throw e;
        } finally {
            g.bulkhead.onComplete();
        }
    }

    private void time(String bank, String operation, String outcome, long start) {
        Timer.builder("openfinq.bank.calls").description("Calls to a bank by operation and outcome")
                .tags("bank", bank, "operation", operation, "outcome", outcome).publishPercentileHistogram()
                .register(registry).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    static String outcome(RuntimeException e) {
        return switch (e) {
            case BankException.Timeout t -> "timeout";
            case BankException.Unavailable u when hasCause(u, javax.net.ssl.SSLException.class) -> "tls";
            case BankException.Unavailable u -> u.httpStatus() >= 500 ? "5xx" : "unreachable";
            case BankException.RateLimited r -> "429";
            case BankException.ScaFailed f -> "sca_denied";
            case BankException.ConsentInvalid c -> "consent_invalid";
            case BankException.BadRequest b -> "rejected";
            case BankException.InvalidResponse i -> "invalid_response";
            case BankException.Refused r -> "refused";
            default -> "error";
        };
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The breaker state of a bank (CLOSED, OPEN, HALF_OPEN), for operators and tests. */
    public String state(String bank) {
        Guard g = guards.get(bank);
        return g == null ? CircuitBreaker.State.CLOSED.name() : g.breaker.getState().name();
    }
}
