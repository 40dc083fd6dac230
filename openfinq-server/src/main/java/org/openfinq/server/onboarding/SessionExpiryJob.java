package org.openfinq.server.onboarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Expires abandoned sessions (scheduled by {@link OnboardingJobs}). A set-based statement: a run on any node has the
 * same result. What ended sessions leave behind is deleted by {@link OnboardingRetention}.
 */
@Component
public class SessionExpiryJob {

    private static final Logger log = LoggerFactory.getLogger(SessionExpiryJob.class);

    private final SessionService sessions;

    public SessionExpiryJob(SessionService sessions) {
        this.sessions = sessions;
    }

    public void run() {
        int expired = sessions.expireOpenSessions();
        if (expired > 0) {
            log.info("Expired {} abandoned sessions", expired);
        }
    }
}
