package org.openfinq.server.bridge.gocardless;

import org.openfinq.server.jobs.RecurringJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The lifetimes of V95's tables, hourly: secret pairs unused for 400 days are revoked and revoked ones deleted after
 * 30 days; requisitions never linked are deleted after 7 days, linked ones 30 days after their consent's expiry;
 * agreements no requisition uses are deleted after 7 days.
 */
@Configuration(proxyBeanMethods = false)
public class GocardlessJobs {

    private static final Logger log = LoggerFactory.getLogger(GocardlessJobs.class);

    @Bean
    RecurringJob gocardlessRetention(GocardlessBridge bridge) {
        return RecurringJob.of("gocardless-retention", Duration.ofHours(1), () -> {
            int[] n = bridge.retention();
            if (n[0] + n[1] + n[2] + n[3] > 0) {
                log.info("GoCardless bridge: {} unused secret pairs revoked; deleted {} revoked pairs, {} requisitions, {} agreements",
                        n[0], n[1], n[2], n[3]);
            }
        });
    }
}
