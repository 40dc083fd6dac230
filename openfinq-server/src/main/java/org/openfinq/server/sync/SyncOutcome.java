package org.openfinq.server.sync;

import org.openfinq.connector.BankException;
import org.openfinq.server.bank.BankErrors;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.event.Event;
import org.openfinq.server.event.Events;
import org.openfinq.server.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.openfinq.server.db.SqlTimes.ts;

/**
 * Commits the outcome of a sync: the consent's sync state and the events that tell it, in one database
 * transaction. A success after the first complete sync tells the changes since the last event
 * ({@code transactions.updated}), counted from the change log, so changes of an interrupted sync are told by
 * the next one that succeeds.
 */
@Component
public class SyncOutcome {

    private final JdbcClient jdbc;
    private final CacheWriter writer;
    private final Events events;
    private final TransactionTemplate tx;

    private final org.openfinq.server.db.ChangeNotices notices;

    public SyncOutcome(JdbcClient jdbc, CacheWriter writer, Events events, TransactionTemplate tx, org.openfinq.server.db.ChangeNotices notices) {
        this.notices = notices;
        this.jdbc = jdbc;
        this.writer = writer;
        this.events = events;
        this.tx = tx;
    }

    /**
     * Commits a success together with {@code claim} (the job's claimed finish): when the claim fails (another
     * node owns the job now) nothing is written.
     *
     * @return whether the claim held and the outcome was committed
     */
    public boolean succeeded(ConsentStore.Consent c, Instant end, Instant nextRefresh, BooleanSupplier claim) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!claim.getAsBoolean()) {
                return false;
            }
            writer.lockChanges(c.id());
            Optional<Object[]> before = previous(c);
            boolean initial = before.isEmpty() || before.get()[1] == null;
            long notified = before.map(b -> (Long) b[2]).orElse(0L);
            long[] changes = changesSince(c, notified);
            jdbc.sql("""
                            insert into consent_sync (consent_id, state, last_good_sync_at, next_refresh_at, updated_at,
                                                      initial_sync_completed_at, notified_seq)
                            values (?, 'ok', ?, ?, ?, ?, ?)
                            on conflict (consent_id) do update
                            set state = 'ok', last_good_sync_at = excluded.last_good_sync_at,
                                next_refresh_at = excluded.next_refresh_at, retry_at = null, last_error = null,
                                last_error_code = null, last_error_source = null, last_error_retryable = null,
                                updated_at = excluded.updated_at,
                                initial_sync_completed_at = coalesce(consent_sync.initial_sync_completed_at, excluded.initial_sync_completed_at),
                                notified_seq = excluded.notified_seq""")
                    .params(c.id(), ts(end), ts(nextRefresh), ts(end), ts(end), changes[3])
                    .update();
            notices.changed("sync", c.id()); // this node reads the new status at once (after the commit)
            if (initial) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("accounts", jdbc.sql("select count(*) from account where consent_id = ?").param(c.id()).query(Long.class).single());
                data.put("transactions", jdbc.sql("select count(*) from transaction t join account a on a.id = t.account_id "
                        + "where a.consent_id = ?").param(c.id()).query(Long.class).single());
                events.record(Event.consent(Event.SYNC_INITIAL_COMPLETED, c.clientId(), c.tenantUserId(), c.id(), data));
            } else if (changes[0] + changes[1] + changes[2] > 0) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("added", changes[0]);
                data.put("modified", changes[1]);
                data.put("removed", changes[2]);
                events.record(Event.consent(Event.TRANSACTIONS_UPDATED, c.clientId(), c.tenantUserId(), c.id(), data));
            }
            return true;
        }));
    }

    /** Like {@link #succeeded}: committed with {@code claim}, nothing written when it fails. */
    public boolean rateLimited(ConsentStore.Consent c, Instant retry, BankException e, Instant now, BooleanSupplier claim) {
        return unsuccessful(c, "rate_limited", retry, retry, e, now, claim);
    }

    /** Like {@link #succeeded}: committed with {@code claim}, nothing written when it fails. */
    public boolean failed(ConsentStore.Consent c, Instant retry, RuntimeException e, Instant now, BooleanSupplier claim) {
        return unsuccessful(c, "error", retry, null, e, now, claim);
    }

    private boolean unsuccessful(ConsentStore.Consent c, String state, Instant nextRefresh, Instant retryAt, RuntimeException e,
                                 Instant now, BooleanSupplier claim) {
        String code;
        String message;
        String source;
        boolean retryable;
        if (e instanceof BankException b) {
            ApiException wire = BankErrors.toApi(b);
            code = wire.code();
            message = wire.getMessage();
            source = b instanceof BankException.RateLimited ? "bank" : switch (b.fault()) {
                case BANK -> "bank";
                case PSU -> "psu";
                case TPP -> "openfinq";
            };
            retryable = b.retryable();
        } else {
            code = "internal_error";
            message = "The sync failed inside openfinq; it is retried";
            source = "openfinq";
            retryable = true;
        }
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!claim.getAsBoolean()) {
                return false;
            }
            String previous = previous(c).map(p -> (String) p[0]).orElse(null);
            jdbc.sql("""
                            insert into consent_sync (consent_id, state, next_refresh_at, retry_at, last_error, last_error_code,
                                                      last_error_source, last_error_retryable, updated_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            on conflict (consent_id) do update
                            set state = excluded.state, next_refresh_at = excluded.next_refresh_at, retry_at = excluded.retry_at,
                                last_error = excluded.last_error, last_error_code = excluded.last_error_code,
                                last_error_source = excluded.last_error_source,
                                last_error_retryable = excluded.last_error_retryable, updated_at = excluded.updated_at""")
                    .params(c.id(), state, ts(nextRefresh), ts(retryAt), message, code, source, retryable, ts(now))
                    .update();
            notices.changed("sync", c.id());
            if (!state.equals(previous)) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("code", code);
                error.put("message", message);
                error.put("source", source);
                error.put("retryable", retryable);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("state", state.equals("error") ? "failed" : state);
                data.put("rate_limited_until", retryAt == null ? null : retryAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
                data.put("last_error", error);
                events.record(Event.consent(state.equals("error") ? Event.SYNC_FAILED : Event.SYNC_RATE_LIMITED,
                        c.clientId(), c.tenantUserId(), c.id(), data));
            }
            return true;
        }));
    }

    /** state, initial_sync_completed_at, notified_seq of the consent's sync row, locked. */
    private Optional<Object[]> previous(ConsentStore.Consent c) {
        return jdbc.sql("select state, initial_sync_completed_at, notified_seq from consent_sync where consent_id = ? for update")
                .param(c.id())
                .query((rs, n) -> new Object[]{rs.getString(1), rs.getTimestamp(2), rs.getLong(3)})
                .optional();
    }

    /** added, modified, removed since change number {@code after}, and the last change number. */
    private long[] changesSince(ConsentStore.Consent c, long after) {
        long[] rows = jdbc.sql("""
                        select count(*) filter (where t.created_seq > ?), count(*) filter (where t.created_seq <= ?),
                               coalesce(max(t.change_seq), 0)
                        from transaction t join account a on a.id = t.account_id where a.consent_id = ? and t.change_seq > ?""")
                .params(after, after, c.id(), after)
                .query((rs, n) -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}).single();
        long[] gone = jdbc.sql("""
                        select count(*) filter (where created_seq <= ?), coalesce(max(change_seq), 0)
                        from transaction_tombstone where consent_id = ? and change_seq > ?""")
                .params(after, c.id(), after)
                .query((rs, n) -> new long[]{rs.getLong(1), rs.getLong(2)}).single();
        return new long[]{rows[0], rows[1], gone[0], Math.max(after, Math.max(rows[2], gone[1]))};
    }
}
