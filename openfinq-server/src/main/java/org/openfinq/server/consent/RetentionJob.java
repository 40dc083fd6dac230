package org.openfinq.server.consent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The data expiration job (every two hours by default, {@code OPENFINQ_RETENTION_INTERVAL}): marks consents
 * past {@code consent_exp} EXPIRED, permanently deletes the cached data of consents past
 * {@code max_data_retention}, and retries bank revocations that failed. Set-based and idempotent: any number
 * of nodes may run it at once.
 */
@Component
public class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** What one run did. */
    public record Result(int expired, int purgedConsents, int revoked) {
    }

    private final JdbcClient jdbc;
    private final ConsentStore consents;
    private final ConsentService service;
    private final Clock clock;
    private final org.springframework.transaction.support.TransactionTemplate tx;
    private final org.openfinq.server.event.Events events;

    public RetentionJob(JdbcClient jdbc, ConsentStore consents, ConsentService service, Clock clock,
                        org.springframework.transaction.support.TransactionTemplate tx, org.openfinq.server.event.Events events) {
        this.jdbc = jdbc;
        this.consents = consents;
        this.service = service;
        this.clock = clock;
        this.tx = tx;
        this.events = events;
    }

    /** One scheduled run (see {@code ConsentJobs}), logged when it did something. */
    public void scheduled() {
        Result r = run();
        if (r.expired() + r.purgedConsents() + r.revoked() > 0) {
            log.info("Retention: {} consents expired, cached data of {} consents deleted, {} bank consents revoked",
                    r.expired(), r.purgedConsents(), r.revoked());
        }
    }

    public Result run() {
        Timestamp now = Timestamp.from(clock.instant());
        int expired = expire(now);
        List<UUID> past = jdbc.sql("select id from consent where max_data_retention <= ? "
                + "and exists (select 1 from account a where a.consent_id = consent.id)").param(now).query(UUID.class).list();
        past.forEach(consents::deleteCachedData);
        int revoked = 0;
        for (UUID id : jdbc.sql("select id from consent where status = 'DELETED' and bank_consent is not null "
                + "and bank_revoked_at is null").query(UUID.class).list()) {
            revoked += consents.find(id).map(service::revokeAtBank).orElse(false) ? 1 : 0;
        }
        return new Result(expired, past.size(), revoked);
    }

    /** Marks consents past consent_exp EXPIRED, each with its consent.expired event in the same transaction. */
    private int expire(Timestamp now) {
        int expired = 0;
        List<UUID> due;
        do {
            due = jdbc.sql("select id from consent where status = 'ACTIVE' and consent_exp <= ? limit 200").param(now)
                    .query(UUID.class).list();
            for (UUID id : due) {
                Boolean done = tx.execute(status -> {
                    ConsentStore.Consent c = consents.lock(id).orElse(null);
                    if (c == null || !c.status().equals("ACTIVE")) {
                        return false;
                    }
                    consents.markExpired(id, now.toInstant());
                    events.record(ConsentService.statusEvent(org.openfinq.server.event.Event.CONSENT_EXPIRED,
                            consents.find(id).orElseThrow()));
                    return true;
                });
                expired += Boolean.TRUE.equals(done) ? 1 : 0;
            }
        } while (due.size() == 200);
        return expired;
    }
}
