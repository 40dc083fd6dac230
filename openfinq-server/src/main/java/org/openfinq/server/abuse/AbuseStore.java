package org.openfinq.server.abuse;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.openfinq.server.db.SqlTimes.instant;

/** SQL for failure counters, lockouts, tenant rate settings and the shared token buckets. */
@Repository
public class AbuseStore {

    /** A key's failures in its current window and its lockout, after one more failure. */
    public record Failures(int failures, Instant lockedUntil) {
    }

    /** What one lease took from a tenant's bucket. */
    public record Grant(int granted, double tokensLeft, double capacity) {
    }

    private final JdbcClient jdbc;

    public AbuseStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts one failure for the key (a new window when the last one is over) and locks it once over {@code max}. */
    public Failures fail(String key, Instant now, Duration window, int max, Instant lockEnd) {
        Timestamp t = Timestamp.from(now);
        Timestamp cut = Timestamp.from(now.minus(window));
        Timestamp end = Timestamp.from(lockEnd);
        return jdbc.sql("""
                        insert into auth_failure as f (key, window_start, failures, locked_until)
                        values (:key, :now, 1, case when 1 >= :max then cast(:end as timestamptz) end)
                        on conflict (key) do update set
                            window_start = case when f.window_start <= :cut then :now else f.window_start end,
                            failures = case when f.window_start <= :cut then 1 else f.failures + 1 end,
                            locked_until = case
                                when (case when f.window_start <= :cut then 1 else f.failures + 1 end) >= :max
                                     and (f.locked_until is null or f.locked_until <= :now) then cast(:end as timestamptz)
                                else f.locked_until end
                        returning failures, locked_until""")
                .param("key", key).param("now", t).param("max", max).param("end", end).param("cut", cut)
                .query((rs, n) -> new Failures(rs.getInt(1), instant(rs, 2)))
                .single();
    }

    /** Keys locked at {@code now}, with the end of their lockout. */
    public Map<String, Instant> locked(Instant now) {
        return jdbc.sql("select key, locked_until from auth_failure where locked_until > ?")
                .param(Timestamp.from(now))
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }

    /**
     * Takes up to {@code want} whole tokens from the tenant's bucket (capacity: its requests per minute,
     * refilled continuously), in one statement that also reads the tenant's own setting.
     */
    public Grant take(UUID clientId, int want, int defaultRate, Instant now) {
        String avail = "least(excluded.capacity, b.tokens + greatest(0, extract(epoch from (excluded.refilled_at - b.refilled_at)))"
                + " * excluded.capacity / 60.0)";
        return jdbc.sql("""
                        insert into tenant_rate_bucket as b (client_id, capacity, tokens, refilled_at, last_grant)
                        select :id, c.cap, c.cap - least(:want, c.cap), :now, least(:want, c.cap)
                        from (select coalesce((select requests_per_minute from tenant_rate_limit where client_id = :id),
                                              :dflt)::float8 as cap) c
                        on conflict (client_id) do update set
                            capacity = excluded.capacity,
                            tokens = %1$s - least(:want, floor(%1$s)),
                            last_grant = least(:want, floor(%1$s)),
                            refilled_at = greatest(b.refilled_at, excluded.refilled_at)
                        returning last_grant, tokens, capacity""".formatted(avail))
                .param("id", clientId).param("want", want).param("dflt", defaultRate).param("now", Timestamp.from(now))
                .query((rs, n) -> new Grant(rs.getInt(1), rs.getDouble(2), rs.getDouble(3)))
                .single();
    }

    public Optional<Integer> rate(UUID clientId) {
        return jdbc.sql("select requests_per_minute from tenant_rate_limit where client_id = ?").param(clientId)
                .query(Integer.class).optional();
    }

    public void setRate(UUID clientId, Integer perMinute) {
        if (perMinute == null) {
            jdbc.sql("delete from tenant_rate_limit where client_id = ?").param(clientId).update();
        } else {
            jdbc.sql("insert into tenant_rate_limit (client_id, requests_per_minute) values (?, ?) "
                    + "on conflict (client_id) do update set requests_per_minute = excluded.requests_per_minute")
                    .params(clientId, perMinute).update();
        }
    }

    /** Deletes failure counters whose window and lockout are over, and buckets unused since {@code idleBefore}. */
    public int purge(Instant now, Duration window, Instant idleBefore) {
        int failures = jdbc.sql("delete from auth_failure where window_start <= ? and (locked_until is null or locked_until <= ?)")
                .params(Timestamp.from(now.minus(window)), Timestamp.from(now)).update();
        int buckets = jdbc.sql("delete from tenant_rate_bucket where refilled_at < ?").param(Timestamp.from(idleBefore)).update();
        return failures + buckets;
    }
}
