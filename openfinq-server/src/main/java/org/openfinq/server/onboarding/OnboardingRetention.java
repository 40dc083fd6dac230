package org.openfinq.server.onboarding;

import org.openfinq.server.config.OpenfinqProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes what onboarding keeps past its lifetime: sessions that ended ({@code openfinq.retention.sessions} after
 * their last change) with their steps, applicant data and uploaded documents; expired nonces; bank redirect
 * states a day after they were issued; idempotency keys past their expiry. Set-based: any node may run it.
 */
@Component
public class OnboardingRetention {

    private static final Logger log = LoggerFactory.getLogger(OnboardingRetention.class);

    /** A bank round trip cannot outlast this (an open session expires after 30 idle minutes). */
    static final Duration REDIRECT_LIFETIME = Duration.ofDays(1);

    /** What one run deleted. */
    public record Result(int sessions, int nonces, int redirects, int idempotencyKeys) {
    }

    private final JdbcClient jdbc;
    private final IdempotencyStore idempotency;
    private final OpenfinqProperties.Retention retention;
    private final Clock clock;

    public OnboardingRetention(JdbcClient jdbc, IdempotencyStore idempotency, OpenfinqProperties props, Clock clock) {
        this.jdbc = jdbc;
        this.idempotency = idempotency;
        this.retention = props.retention();
        this.clock = clock;
    }

    /** One scheduled run (see {@link OnboardingJobs}), logged when it deleted something. */
    public void run() {
        Result r = purge();
        if (r.sessions() + r.nonces() + r.redirects() + r.idempotencyKeys() > 0) {
            log.info("Onboarding retention: deleted {} ended sessions with their steps and documents, {} nonces, "
                    + "{} redirect states, {} idempotency keys", r.sessions(), r.nonces(), r.redirects(), r.idempotencyKeys());
        }
    }

    public Result purge() {
        Instant now = clock.instant();
        // steps, documents, nonces and redirect states of a session go with it (foreign keys, on delete cascade)
        int sessions = jdbc.sql("delete from session where status in ('SESSION_COMPLETED', 'SESSION_FAILED', 'SESSION_EXPIRED') "
                + "and updated_at <= ?").param(Timestamp.from(now.minus(retention.sessions()))).update();
        int nonces = jdbc.sql("delete from session_nonce where expires_at <= ?")
                .param(Timestamp.from(now)).update();
        int redirects = jdbc.sql("delete from sca_redirect where created_at <= ?")
                .param(Timestamp.from(now.minus(REDIRECT_LIFETIME))).update();
        int keys = idempotency.purge(now);
        return new Result(sessions, nonces, redirects, keys);
    }
}
