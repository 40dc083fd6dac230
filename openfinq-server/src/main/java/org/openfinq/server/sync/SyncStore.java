package org.openfinq.server.sync;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;
import static org.openfinq.server.db.SqlTimes.ts;

/** SQL for sync jobs, per-consent sync state and the log of unattended bank calls. */
@Repository
public class SyncStore {

    /** A claimed job. */
    public record Job(UUID id, UUID consentId, boolean attended, String psuIp, int attempts) {
    }

    private final JdbcClient jdbc;

    private final org.openfinq.server.db.ChangeNotices notices;

    public SyncStore(JdbcClient jdbc, org.openfinq.server.db.ChangeNotices notices) {
        this.jdbc = jdbc;
        this.notices = notices;
    }

    /** This node reads its own change of a consent's sync status on the next call (other nodes: the V100 notice). */
    private void changed(UUID consentId) {
        notices.changed("sync", consentId);
    }

    /** Queues a sync unless one is already open for the consent (on any node). @return whether it was queued */
    public boolean enqueue(UUID consentId, boolean attended, String psuIp, Instant now) {
        boolean queued = jdbc.sql("insert into sync_job (id, consent_id, attended, psu_ip, status, created_at) values (?, ?, ?, ?, 'queued', ?) "
                        + "on conflict (consent_id) where status in ('queued', 'running') do nothing")
                .params(UUID.randomUUID(), consentId, attended, psuIp, ts(now))
                .update() == 1;
        changed(consentId);
        return queued;
    }

    /**
     * Claims the oldest queued job, or a running one whose node stopped renewing its lease (crashed). Two nodes
     * never claim the same job: the row is locked and skipped by the others. A node never takes over a job it is
     * running itself ({@code ownRunning}), however late its lease renewal is.
     */
    public Optional<Job> claim(Instant now, java.time.Duration lease) {
        return claim(now, lease, List.of());
    }

    /** {@link #claim(Instant, java.time.Duration)}, never taking over one of {@code ownRunning}. */
    public Optional<Job> claim(Instant now, java.time.Duration lease, java.util.Collection<UUID> ownRunning) {
        String own = ownRunning.stream().map(UUID::toString).collect(java.util.stream.Collectors.joining(","));
        return jdbc.sql("""
                        update sync_job set status = 'running', attempts = attempts + 1, lease_until = ?
                        where id = (select id from sync_job
                                    where (status = 'queued' or (status = 'running' and lease_until < ?))
                                      and not (id::text = any(string_to_array(?, ',')))
                                    order by created_at limit 1 for update skip locked)
                        returning id, consent_id, attended, psu_ip, attempts""")
                .params(ts(now.plus(lease)), ts(now), own)
                .query((rs, n) -> new Job(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getBoolean(3),
                        rs.getString(4), rs.getInt(5)))
                .optional()
                .map(job -> {
                    changed(job.consentId());
                    return job;
                });
    }

    public void renew(UUID jobId, Instant until, int written, int seen) {
        jdbc.sql("update sync_job set lease_until = ?, rows_written = ?, rows_seen = ? where id = ? and status = 'running'")
                .params(ts(until), written, seen, jobId).update();
    }

    /**
     * Ends a job after its bank calls, only if it is still this claim's (running, and not taken over by another node
     * after the lease ran out: that bumped {@code attempts}). @return whether this claim ended it
     */
    public boolean finishClaimed(Job job, String status, String error, int written, int seen, Instant now) {
        boolean ended = jdbc.sql("update sync_job set status = ?, error = ?, rows_written = ?, rows_seen = ?, finished_at = ?, psu_ip = null, "
                        + "lease_until = null where id = ? and status = 'running' and attempts = ?")
                .params(status, error, written, seen, ts(now), job.id(), job.attempts()).update() == 1;
        changed(job.consentId());
        return ended;
    }

    public void finish(UUID jobId, String status, String error, int written, int seen, Instant now) {
        jdbc.sql("update sync_job set status = ?, error = ?, rows_written = ?, rows_seen = ?, finished_at = ?, psu_ip = null, "
                        + "lease_until = null where id = ? returning consent_id")
                .params(status, error, written, seen, ts(now), jobId).query(UUID.class).optional().ifPresent(this::changed);
    }

    public void state(UUID consentId, String state, Instant lastGood, Instant nextRefresh, Instant retryAt, String error, Instant now) {
        jdbc.sql("""
                        insert into consent_sync (consent_id, state, last_good_sync_at, next_refresh_at, retry_at, last_error, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (consent_id) do update
                        set state = excluded.state,
                            last_good_sync_at = coalesce(excluded.last_good_sync_at, consent_sync.last_good_sync_at),
                            next_refresh_at = excluded.next_refresh_at, retry_at = excluded.retry_at,
                            last_error = excluded.last_error, updated_at = excluded.updated_at""")
                .params(consentId, state, ts(lastGood), ts(nextRefresh), ts(retryAt), error, ts(now))
                .update();
        changed(consentId);
    }

    public Optional<Instant> lastGoodSync(UUID consentId) {
        return jdbc.sql("select last_good_sync_at from consent_sync where consent_id = ?").param(consentId)
                .query((rs, n) -> instant(rs, 1)).optional()
                .filter(java.util.Objects::nonNull);
    }

    /** What one refresh claim did: consents claimed, and jobs queued for them (fewer when one was already open). */
    public record Claim(int claimed, int queued) {
    }

    /**
     * Claims up to {@code batch} active bank consents whose refresh is due and not held back by a bank's rate limit,
     * moves their next refresh to {@code claimedUntil} and queues an unattended job for each, in one statement.
     * Rows another node is claiming are skipped, not waited for.
     */
    public Claim claimDueRefreshes(Instant now, Instant claimedUntil, int batch) {
        return jdbc.sql("""
                        with due as (
                            select s.consent_id from consent_sync s join consent c on c.id = s.consent_id
                            where c.status = 'ACTIVE' and c.consent_exp > ? and c.bank_consent is not null
                              and s.next_refresh_at <= ? and (s.retry_at is null or s.retry_at <= ?)
                            order by s.next_refresh_at limit ?
                            for update of s skip locked),
                        claimed as (
                            update consent_sync s set next_refresh_at = ? from due where s.consent_id = due.consent_id
                            returning s.consent_id),
                        queued as (
                            insert into sync_job (id, consent_id, attended, status, created_at)
                            select gen_random_uuid(), consent_id, false, 'queued', ? from claimed
                            on conflict (consent_id) where status in ('queued', 'running') do nothing
                            returning 1)
                        select (select count(*) from claimed), (select count(*) from queued)""")
                .params(ts(now), ts(now), ts(now), batch, ts(claimedUntil), ts(now))
                .query((rs, n) -> new Claim(rs.getInt(1), rs.getInt(2)))
                .single();
    }

    public void postpone(UUID consentId, Instant until) {
        jdbc.sql("update consent_sync set next_refresh_at = ? where consent_id = ?").params(ts(until), consentId).update();
        changed(consentId);
    }

    public void recordUnattendedCall(UUID consentId, Instant at) {
        jdbc.sql("insert into unattended_call (consent_id, at) values (?, ?)").params(consentId, ts(at)).update();
    }

    /** Unattended refreshes of the consent in the 24 hours before {@code now}, oldest first. */
    public List<Instant> unattendedCallsSince(UUID consentId, Instant since) {
        return jdbc.sql("select at from unattended_call where consent_id = ? and at > ? order by at")
                .params(consentId, ts(since))
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).list();
    }
}
