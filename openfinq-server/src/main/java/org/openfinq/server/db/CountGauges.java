package org.openfinq.server.db;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gauges of row counts by one label, cluster-wide because they are read from the database: one grouped count
 * at most once per {@code ttl} however often /metrics is scraped (and none while nobody scrapes). While the
 * database cannot be read the gauges are NaN, so a dashboard shows a gap rather than a stale figure.
 */
public final class CountGauges {

    private static final Logger log = LoggerFactory.getLogger(CountGauges.class);

    private final String name;
    private final Supplier<Map<String, Long>> counts;
    private final Duration ttl;
    private final Clock clock;
    private volatile Map<String, Long> snapshot = Map.of();
    private volatile Instant readAt = Instant.MIN;
    private volatile boolean failed;

    private CountGauges(String name, Supplier<Map<String, Long>> counts, Duration ttl, Clock clock) {
        this.name = name;
        this.counts = counts;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Registers {@code name{tag=value}} for each of {@code values}; a value absent from the counts is 0. */
    public static CountGauges register(MeterRegistry registry, String name, String description, String tag,
                                       List<String> values, Duration ttl, Clock clock, Supplier<Map<String, Long>> counts) {
        CountGauges gauges = new CountGauges(name, counts, ttl, clock);
        for (String value : values) {
            Gauge.builder(name, gauges, g -> g.value(value)).description(description).tag(tag, value)
                    .strongReference(true).register(registry);
        }
        return gauges;
    }

    double value(String key) {
        refreshIfOld();
        return failed ? Double.NaN : snapshot.getOrDefault(key, 0L);
    }

    private void refreshIfOld() {
        Instant now = clock.instant();
        if (readAt.plus(ttl).isAfter(now)) {
            return;
        }
        synchronized (this) {
            if (readAt.plus(ttl).isAfter(now)) {
                return;
            }
            try {
                snapshot = Map.copyOf(counts.get());
                failed = false;
            } catch (RuntimeException e) {
                if (!failed) {
                    log.warn("Metric {} cannot be read from the database: {}", name, e.toString());
                }
                failed = true;
            }
            readAt = now;
        }
    }
}
