package org.openfinq.server.onboarding;

import org.openfinq.server.jobs.RecurringJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Expires abandoned sessions, every minute by default ({@code openfinq.onboarding.expiry-interval}). A set-based
 * statement: a run on any node has the same result. What ended sessions leave behind is deleted by
 * {@link OnboardingRetention}.
 */
@Component
public class SessionExpiryJob implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(SessionExpiryJob.class);

    private final SessionService sessions;
    private final Duration interval;

    public SessionExpiryJob(SessionService sessions, @Value("${openfinq.onboarding.expiry-interval:PT1M}") Duration interval) {
        this.sessions = sessions;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "session-expiry";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void run() {
        int expired = sessions.expireOpenSessions();
        if (expired > 0) {
            log.info("Expired {} abandoned sessions", expired);
        }
    }
}
