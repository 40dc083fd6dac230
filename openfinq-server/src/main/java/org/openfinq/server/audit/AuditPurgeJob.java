package org.openfinq.server.audit;

import org.openfinq.server.config.OpenfinqProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Enforces the audit log's lifetime: deletes events older than {@code openfinq.audit.retention} (400 days by
 * default) every {@code openfinq.audit.purge-interval}. Idempotent; any number of nodes may run it.
 */
@Component
public class AuditPurgeJob {

    private static final Logger log = LoggerFactory.getLogger(AuditPurgeJob.class);

    private final AuditStore store;
    private final OpenfinqProperties props;
    private final Clock clock;

    public AuditPurgeJob(AuditStore store, OpenfinqProperties props, Clock clock) {
        this.store = store;
        this.props = props;
        this.clock = clock;
    }

    /** One scheduled run (see {@link AuditJobs}), logged when it deleted something. */
    public void scheduled() {
        int n = run();
        if (n > 0) {
            log.info("Audit log: {} events older than {} deleted", n, props.audit().retention());
        }
    }

    public int run() {
        return store.purge(clock.instant().minus(props.audit().retention()));
    }
}
