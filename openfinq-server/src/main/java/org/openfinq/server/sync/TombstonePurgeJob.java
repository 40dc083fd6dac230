package org.openfinq.server.sync;

import org.springframework.beans.factory.annotation.Value;
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

    /** One scheduled run (see {@link SyncJobs}). */
    public void scheduled() {
        run();
    }

    /** @return tombstones deleted */
    public int run() {
        return writer.purgeTombstones(clock.instant().minus(retention));
    }
}
