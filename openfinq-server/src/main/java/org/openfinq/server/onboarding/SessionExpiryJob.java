package org.openfinq.server.onboarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Expires abandoned sessions. One set-based UPDATE: any number of nodes may run it at once with the same
 * result, so it needs no lock.
 */
@Component
public class SessionExpiryJob {

    private static final Logger log = LoggerFactory.getLogger(SessionExpiryJob.class);

    private final SessionService sessions;

    public SessionExpiryJob(SessionService sessions) {
        this.sessions = sessions;
    }

    @Scheduled(fixedDelayString = "${openfinq.onboarding.expiry-interval:PT1M}", initialDelayString = "PT30S")
    public void run() {
        int expired = sessions.expireOpenSessions();
        if (expired > 0) {
            log.info("Expired {} abandoned sessions", expired);
        }
    }
}
