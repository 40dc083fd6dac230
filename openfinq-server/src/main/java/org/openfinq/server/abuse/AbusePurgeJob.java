package org.openfinq.server.abuse;

import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Lifetime of the limiter's tables: failure counters go once their window and lockout are over, token
 * buckets once unused for an hour (a new one starts full). Idempotent; any number of nodes may run it.
 */
@Component
public class AbusePurgeJob {

    private final AbuseStore store;
    private final OpenfinqProperties props;
    private final Clock clock;

    public AbusePurgeJob(AbuseStore store, OpenfinqProperties props, Clock clock) {
        this.store = store;
        this.props = props;
        this.clock = clock;
    }

    /** One scheduled run (see {@link AbuseJobs}). */
    public void scheduled() {
        run();
    }

    public int run() {
        Instant now = clock.instant();
        return store.purge(now, props.limits().authWindow(), now.minus(Duration.ofHours(1)));
    }
}
