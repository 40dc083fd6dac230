package org.openfinq.server.connect;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;


/** Connect's job: the purge of expired Connect sessions, on the retention interval. */
@Configuration(proxyBeanMethods = false)
public class ConnectJobs {

    @Bean
    RecurringJob connectRetention(ConnectPurgeJob job, OpenfinqProperties props) {
        return RecurringJob.of("connect-retention", props.retention().interval(), job::run);
    }
}
