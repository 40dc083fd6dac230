package org.openfinq.server.signing;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;

/** The signing feature's job: the replay guard forgets a token id once the token has expired. */
@Configuration(proxyBeanMethods = false)
public class SigningJobs {

    @Bean
    RecurringJob replayGuardRetention(JdbcClient jdbc, OpenfinqProperties props, Clock clock) {
        return RecurringJob.of("replay-guard-retention", props.retention().interval(), () ->
                jdbc.sql("delete from used_jti where expires_at <= ?").param(Timestamp.from(clock.instant())).update());
    }
}
