package org.openfinq.server.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;

/**
 * Enforces the events' lifetime ({@code openfinq.events.retention}, 30 days): deletes older events. Set-based and
 * idempotent: any number of nodes may run it at once.
 */
@Component
public class EventPurgeJob {

    private static final Logger log = LoggerFactory.getLogger(EventPurgeJob.class);

    private final Events events;
    private final Duration retention;
    private final Clock clock;

    public EventPurgeJob(Events events, @Value("${openfinq.events.retention:P30D}") Duration retention, Clock clock) {
        this.events = events;
        this.retention = retention;
        this.clock = clock;
    }

    /** One scheduled run (see {@link EventJobs}), logged when it deleted something. */
    public void scheduled() {
        int n = run();
        if (n > 0) {
            log.info("Events: {} older than {} deleted", n, retention);
        }
    }

    /** @return events deleted */
    public int run() {
        return events.purge(clock.instant().minus(retention));
    }

    public Duration retention() {
        return retention;
    }
}
