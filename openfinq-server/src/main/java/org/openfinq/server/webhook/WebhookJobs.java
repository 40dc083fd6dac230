package org.openfinq.server.webhook;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * The webhook feature's jobs: deliveries ({@link WebhookDelivery}, every {@code openfinq.webhooks.poll-interval}),
 * and the delivery table's lifetime ({@code openfinq.webhooks.retention}, 30 days after a delivery was created).
 */
@Configuration(proxyBeanMethods = false)
public class WebhookJobs {

    @Bean
    RecurringJob webhookDeliveries(WebhookDelivery delivery, @Value("${openfinq.webhooks.poll-interval:PT1S}") Duration interval) {
        return RecurringJob.of("webhook-deliveries", interval, delivery::run);
    }

    @Bean
    RecurringJob webhookRetention(WebhookDelivery delivery, OpenfinqProperties props, Clock clock,
                                  @Value("${openfinq.webhooks.retention:P30D}") Duration retention) {
        return RecurringJob.of("webhook-retention", props.retention().interval(), () -> {
            int n = delivery.purge(clock.instant().minus(retention));
            if (n > 0) {
                LoggerFactory.getLogger(WebhookJobs.class).info("Webhooks: {} deliveries older than {} deleted", n, retention);
            }
        });
    }
}
