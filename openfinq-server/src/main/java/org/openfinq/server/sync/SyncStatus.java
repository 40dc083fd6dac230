package org.openfinq.server.sync;

import org.openfinq.server.db.ChangeNotices;
import org.openfinq.server.db.NoticedCache;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;
import static org.openfinq.server.db.SqlTimes.ts;

/**
 * What the sync feature tells other features about a consent's data: one of {@code pending} (no complete sync
 * yet, none running), {@code syncing} (a sync runs now), {@code ready} (every account's data is stored and the
 * last sync succeeded), {@code rate_limited} (the bank refused more calls until {@code rateLimitedUntil}) and
 * {@code failed} (the last sync failed; see {@code lastError}); cached data stays served in every state.
 */
@Component
public class SyncStatus {

    /** Why the last sync failed. {@code source}: bank, psu (the end-user's consent at the bank) or openfinq. */
    public record LastError(String code, String message, String source, boolean retryable) {
    }

    /** A consent's sync status; instants are null while unknown. */
    public record Status(String state, Instant initialSyncCompletedAt, Instant lastSuccessAt, Instant nextRefreshAt,
                         Instant rateLimitedUntil, LastError lastError) {
    }

    /** What {@link #of} found, absent included (kept too: V100 notices every insert as well). */
    private record Found(Optional<Status> status) {
    }

    private final JdbcClient jdbc;
    private final NoticedCache<UUID, Found> cache;

    public SyncStatus(JdbcClient jdbc, ChangeNotices notices) {
        this.jdbc = jdbc;
        // every data read carries the status in its headers: cached per node, evicted on every node by the V100
        // notices of consent_sync and sync_job changes (see docs/decisions.md "Read path performance, part 2")
        this.cache = NoticedCache.byId(notices, "sync", 100_000);
    }

    /** The consent's sync status; empty for a consent that has no account data to sync (e.g. payments only). */
    public Optional<Status> of(UUID consentId) {
        return cache.get(consentId, id -> Optional.of(new Found(read(id)))).flatMap(Found::status);
    }

    private Optional<Status> read(UUID consentId) {
        return jdbc.sql("""
                        select s.*, exists (select 1 from sync_job j where j.consent_id = s.consent_id and j.status = 'running') as running
                        from consent_sync s where s.consent_id = ?""")
                .param(consentId)
                .query(SyncStatus::status)
                .optional();
    }

    /**
     * The bank's unattended allowance of a consent as of {@code now} ({@code perDay} calls in any 24 hours, from the
     * bank profile; 0 = no limit): the calls left and the seconds until the oldest counted call stops counting.
     */
    public record Allowance(int limit, int remaining, long resetSeconds) {
    }

    public Allowance allowance(UUID consentId, int perDay, Instant now) {
        java.util.List<Instant> calls = jdbc.sql("select at from unattended_call where consent_id = ? and at > ? order by at")
                .params(consentId, ts(now.minus(java.time.Duration.ofHours(24))))
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).list();
        long reset = calls.isEmpty() ? 0
                : Math.max(0, java.time.Duration.between(now, calls.getFirst().plus(java.time.Duration.ofHours(24))).toSeconds());
        return new Allowance(perDay, perDay <= 0 ? 0 : Math.max(0, perDay - calls.size()), reset);
    }

    private static Status status(ResultSet rs, int n) throws SQLException {
        String stored = rs.getString("state");
        boolean running = rs.getBoolean("running");
        Instant initial = instant(rs, "initial_sync_completed_at");
        String state;
        if (running) {
            state = "syncing";
        } else {
            state = switch (stored) {
                case "rate_limited" -> "rate_limited";
                case "error" -> "failed";
                case "ok" -> initial == null ? "pending" : "ready";
                default -> "pending";
            };
        }
        LastError error = null;
        if (rs.getString("last_error_code") != null && (stored.equals("error") || stored.equals("rate_limited"))) {
            error = new LastError(rs.getString("last_error_code"), rs.getString("last_error"), rs.getString("last_error_source"),
                    rs.getBoolean("last_error_retryable"));
        }
        return new Status(state, initial, instant(rs, "last_good_sync_at"), instant(rs, "next_refresh_at"),
                stored.equals("rate_limited") ? instant(rs, "retry_at") : null, error);
    }

}
