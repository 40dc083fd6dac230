package org.openfinq.server.sync;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;

/**
 * Enforces the lifetime of transaction tombstones ({@code openfinq.events.retention}, 30 days; a
 * {@code /v1/transactions/sync} cursor lives as long). Set-based and idempotent: any node may run it.
 */
@Component
public class TombstonePurgeJob {

    private final CacheWriter writer;
    private final Duration retention;
    private final Clock clock;

    public TombstonePurgeJob(CacheWriter writer, @Value("${openfinq.events.retention:P30D}") Duration retention, Clock clock) {
        this.writer = writer;
        this.retention = retention;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${openfinq.retention.interval:PT2H}", initialDelayString = "PT1M")
    public void scheduled() {
        run();
    }

    /** @return tombstones deleted */
    public int run() {
        return writer.purgeTombstones(clock.instant().minus(retention));
    }
}
