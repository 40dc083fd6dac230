package org.openfinq.server.onboarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Expires abandoned sessions and drops idempotency keys past their 7 days. Set-based statements: any number of nodes may run it at once with the same
 * result, so it needs no lock.
 */
@Component
public class SessionExpiryJob {

    private static final Logger log = LoggerFactory.getLogger(SessionExpiryJob.class);

    private final SessionService sessions;
    private final IdempotencyStore idempotency;
    private final java.time.Clock clock;

    public SessionExpiryJob(SessionService sessions, IdempotencyStore idempotency, java.time.Clock clock) {
        this.sessions = sessions;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${openfinq.onboarding.expiry-interval:PT1M}", initialDelayString = "PT30S")
    public void run() {
        int expired = sessions.expireOpenSessions();
        idempotency.purge(clock.instant());
        if (expired > 0) {
            log.info("Expired {} abandoned sessions", expired);
        }
    }
}
