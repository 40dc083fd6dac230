package org.openfinq.server.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes Connect sessions a day after they expired (one set-based statement: any node may run it at any time);
 * scheduled on the retention interval by {@link ConnectJobs}.
 */
@Component
public class ConnectPurgeJob {

    private static final Logger log = LoggerFactory.getLogger(ConnectPurgeJob.class);

    private final ConnectService connect;

    public ConnectPurgeJob(ConnectService connect) {
        this.connect = connect;
    }

    public void run() {
        int n = connect.purge();
        if (n > 0) {
            log.info("Deleted {} expired Connect sessions", n);
        }
    }
}
