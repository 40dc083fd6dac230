package org.openfinq.server.abuse;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The abuse-limits feature's job: expired failure counters and idle rate buckets go ({@link AbusePurgeJob}). */
@Configuration(proxyBeanMethods = false)
public class AbuseJobs {

    @Bean
    RecurringJob abuseRetention(AbusePurgeJob job, OpenfinqProperties props) {
        return RecurringJob.of("abuse-retention", props.limits().purgeInterval(), job::scheduled);
    }
}
