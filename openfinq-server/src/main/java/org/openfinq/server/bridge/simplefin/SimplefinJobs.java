package org.openfinq.server.bridge.simplefin;

import org.openfinq.server.jobs.RecurringJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The lifetime of {@code simplefin_grant} (see V90): hourly, unclaimed setup tokens past their 7-day claim window
 * are deleted, access URLs unread for 400 days are revoked, and grants revoked 30 days ago are deleted.
 */
@Configuration(proxyBeanMethods = false)
public class SimplefinJobs {

    private static final Logger log = LoggerFactory.getLogger(SimplefinJobs.class);

    @Bean
    RecurringJob simplefinRetention(SimplefinBridge bridge) {
        return RecurringJob.of("simplefin-retention", Duration.ofHours(1), () -> {
            int[] n = bridge.retention();
            if (n[0] + n[1] > 0) {
                log.info("SimpleFIN grants: {} unused revoked, {} expired or long-revoked deleted", n[0], n[1]);
            }
        });
    }
}
