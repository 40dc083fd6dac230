package org.openfinq.server.event;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The events feature's job: events go after their lifetime ({@link EventPurgeJob}). */
@Configuration(proxyBeanMethods = false)
public class EventJobs {

    @Bean
    RecurringJob eventRetention(EventPurgeJob job, OpenfinqProperties props) {
        return RecurringJob.of("event-retention", props.retention().interval(), job::scheduled);
    }
}
