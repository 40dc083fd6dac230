package org.openfinq.server.onboarding;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** The onboarding feature's jobs: session expiry (every minute), decoupled SCA polling and retention. */
@Configuration(proxyBeanMethods = false)
public class OnboardingJobs {

    @Bean
    RecurringJob sessionExpiry(SessionExpiryJob job, @Value("${openfinq.onboarding.expiry-interval:PT1M}") Duration interval) {
        return RecurringJob.of("session-expiry", interval, job::run);
    }

    /** Decoupled SCA: sessions whose end-user approves in the bank's app, polled at the bank. */
    @Bean
    RecurringJob decoupledScaPoll(DecoupledSca decoupled, @Value("${openfinq.onboarding.decoupled-poll-interval:PT1S}") Duration interval) {
        return RecurringJob.of("decoupled-sca-poll", interval, decoupled::run);
    }

    @Bean
    RecurringJob onboardingRetentionJob(OnboardingRetention retention, OpenfinqProperties props) {
        return RecurringJob.of("onboarding-retention", props.retention().interval(), retention::run);
    }
}
