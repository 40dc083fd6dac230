package org.openfinq.server.payment;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

/** The payment feature's jobs: status polling, and deleting payments past their retention. */
@Configuration(proxyBeanMethods = false)
public class PaymentJobs {

    private static final Logger log = LoggerFactory.getLogger(PaymentJobs.class);

    @Bean
    RecurringJob paymentStatusPoll(PaymentPoller poller, @Value("${openfinq.payments.poll-interval:PT1S}") Duration interval) {
        return RecurringJob.of("payment-status-poll", interval, poller::run);
    }

    /** Payments in a final status are deleted {@code openfinq.retention.payments} after their last change. */
    @Bean
    RecurringJob paymentRetention(JdbcClient jdbc, OpenfinqProperties props, Clock clock) {
        return RecurringJob.of("payment-retention", props.retention().interval(), () -> {
            int n = jdbc.sql("delete from payment where next_poll_at is null and status in ('settled', 'rejected', 'cancelled') "
                            + "and updated_at <= ?")
                    .param(Timestamp.from(clock.instant().minus(props.retention().payments()))).update();
            if (n > 0) {
                log.info("Payment retention: deleted {} payments", n);
            }
        });
    }
}
