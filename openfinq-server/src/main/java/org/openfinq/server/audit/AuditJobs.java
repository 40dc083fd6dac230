package org.openfinq.server.audit;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The audit feature's job: audit events go after {@code openfinq.audit.retention} ({@link AuditPurgeJob}). */
@Configuration(proxyBeanMethods = false)
public class AuditJobs {

    @Bean
    RecurringJob auditRetention(AuditPurgeJob job, OpenfinqProperties props) {
        return RecurringJob.of("audit-retention", props.audit().purgeInterval(), job::scheduled);
    }
}
