package org.openfinq.server.onboarding;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** The onboarding feature's jobs: session expiry (every minute) and retention. */
@Configuration(proxyBeanMethods = false)
public class OnboardingJobs {

    @Bean
    RecurringJob sessionExpiry(SessionExpiryJob job, @Value("${openfinq.onboarding.expiry-interval:PT1M}") Duration interval) {
        return RecurringJob.of("session-expiry", interval, job::run);
    }

    @Bean
    RecurringJob onboardingRetentionJob(OnboardingRetention retention, OpenfinqProperties props) {
        return RecurringJob.of("onboarding-retention", props.retention().interval(), retention::run);
    }
}
