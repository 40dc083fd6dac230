package org.openfinq.server.sync;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The sync feature's retention jobs: transaction tombstones go after {@code openfinq.events.retention}
 * ({@link TombstonePurgeJob}); finished sync jobs go {@code openfinq.retention.sync-jobs} after they ended;
 * the log of unattended bank calls keeps only the 24 hours the allowance is counted over.
 */
@Configuration(proxyBeanMethods = false)
public class SyncJobs {

    private static final Logger log = LoggerFactory.getLogger(SyncJobs.class);

    @Bean
    RecurringJob tombstoneRetention(TombstonePurgeJob job, OpenfinqProperties props) {
        return RecurringJob.of("tombstone-retention", props.retention().interval(), job::scheduled);
    }

    @Bean
    RecurringJob syncRetention(JdbcClient jdbc, OpenfinqProperties props, Clock clock) {
        return RecurringJob.of("sync-retention", props.retention().interval(), () -> {
            Instant now = clock.instant();
            int jobs = jdbc.sql("delete from sync_job where status in ('done', 'failed') and finished_at <= ?")
                    .param(Timestamp.from(now.minus(props.retention().syncJobs()))).update();
            int calls = jdbc.sql("delete from unattended_call where at <= ?")
                    .param(Timestamp.from(now.minus(Duration.ofHours(24)))).update();
            if (jobs + calls > 0) {
                log.info("Sync retention: deleted {} finished jobs and {} unattended-call records", jobs, calls);
            }
        });
    }
}
