package org.openfinq.server.sync;

import org.openfinq.connector.Account;
import org.openfinq.connector.Balance;
import org.openfinq.connector.Transaction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.openfinq.server.db.ChangeNotices;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.ts;

/**
 * Writes bank data into the cache. Every write is an upsert that changes a row only when its content
 * changed, so a re-sync of unchanged data writes no rows, and a sync run twice (after a crash) leaves
 * exactly one row per transaction.
 */
@Repository
public class CacheWriter {

    /** Namespace of the advisory locks that keep one consent's change numbers in commit order. */
    private static final int CHANGE_LOCK_SPACE = 0x7c4a6e;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;
    private final ChangeNotices notices;

    public CacheWriter(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx, ChangeNotices notices) {
        this.notices = notices;
        this.jdbc = jdbc;
        this.template = template;
        this.tx = tx;
    }

    /**
     * Held by every transaction that numbers changes of the consent's transactions, up to its commit: change
     * numbers of one consent then commit in order, so a reader that has seen number n never later finds a
     * smaller one appear.
     */
    void lockChanges(UUID consentId) {
        jdbc.sql("select pg_advisory_xact_lock(?, hashtext(?))").params(CHANGE_LOCK_SPACE, consentId.toString())
                .query((rs, n) -> 1).list();
    }

    /** The cache id of a bank account under a consent, created on first sight. */
    public UUID upsertAccount(UUID consentId, Account a, Instant now) {
        jdbc.sql("""
                        insert into account (id, consent_id, resource_id, iban, bic, currency, name, product, cash_account_type,
                                             owner_name, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (consent_id, resource_id) do update
                        set iban = excluded.iban, bic = excluded.bic, currency = excluded.currency, name = excluded.name,
                            product = excluded.product, cash_account_type = excluded.cash_account_type,
                            owner_name = excluded.owner_name, updated_at = excluded.updated_at
                        where (account.iban, account.bic, account.currency, account.name, account.product,
                               account.cash_account_type, account.owner_name)
                              is distinct from (excluded.iban, excluded.bic, excluded.currency, excluded.name, excluded.product,
                                                excluded.cash_account_type, excluded.owner_name)""")
                .params(UUID.randomUUID(), consentId, a.resourceId(), a.iban(), a.bic(), a.currency(), a.name(), a.product(),
                        a.cashAccountType(), a.ownerName(), ts(now))
                .update();
        return jdbc.sql("select id from account where consent_id = ? and resource_id = ?")
                .params(consentId, a.resourceId()).query(UUID.class).single();
    }

    /** @return balance rows written */
    public int upsertBalances(UUID accountId, List<Balance> balances, Instant now) {
        int written = 0;
        for (Balance b : balances) {
            written += jdbc.sql("""
                            insert into balance (id, account_id, type, amount, currency, credit_limit_included, native_date,
                                                 native_timestamp, queried_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            on conflict (account_id, type) do update
                            set amount = excluded.amount, currency = excluded.currency,
                                credit_limit_included = excluded.credit_limit_included, native_date = excluded.native_date,
                                native_timestamp = excluded.native_timestamp, queried_at = excluded.queried_at
                            where (balance.amount, balance.currency, balance.credit_limit_included, balance.native_date,
                                   balance.native_timestamp)
                                  is distinct from (excluded.amount, excluded.currency, excluded.credit_limit_included,
                                                    excluded.native_date, excluded.native_timestamp)""")
                    .params(UUID.randomUUID(), accountId, b.type(), b.amount().amount(), b.amount().currency(),
                            b.creditLimitIncluded(), b.referenceDate() == null ? null : Date.valueOf(b.referenceDate()),
                            ts(b.lastChangeDateTime()), ts(now))
                    .update();
        }
        return written;
    }

    /** One transaction ready to write. */
    public record Row(String utxId, Transaction t, String category) {
    }

    private static final String UPSERT = """
            insert into transaction (id, account_id, utx_id, status, booking_date_time, value_date, amount,
                                     credit_debit_indicator, currency, balance, info, category, counterparty,
                                     bank_transaction_id, inserted_at, changed_at, created_seq, change_seq)
            select u.id, ?, u.utx, u.status, u.booking, u.value_date, u.amount, u.cdi, u.currency, u.balance, u.info,
                   u.category, u.counterparty, u.bank_id, p.now, date_trunc('second', p.now), u.seq, u.seq
            from (select x.*, nextval('transaction_change_seq') as seq
                  from unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::date[], ?::numeric[], ?::text[],
                              ?::text[], ?::numeric[], ?::text[], ?::text[], ?::text[], ?::text[])
                       with ordinality as x(id, utx, status, booking, value_date, amount, cdi, currency, balance, info, category,
                                            counterparty, bank_id, ord)
                  order by x.ord) u,
                 (select ?::timestamptz as now) p
            on conflict (account_id, utx_id) do update
            set status = excluded.status, booking_date_time = excluded.booking_date_time, value_date = excluded.value_date,
                amount = excluded.amount, credit_debit_indicator = excluded.credit_debit_indicator,
                currency = excluded.currency, balance = excluded.balance, info = excluded.info,
                category = excluded.category, counterparty = excluded.counterparty,
                bank_transaction_id = excluded.bank_transaction_id,
                pending_transaction_id = case when transaction.status = 'pending' and excluded.status = 'booked'
                                              then transaction.bank_transaction_id else transaction.pending_transaction_id end,
                changed_at = excluded.changed_at, change_seq = excluded.change_seq
            where (transaction.status, transaction.booking_date_time, transaction.value_date, transaction.amount,
                   transaction.credit_debit_indicator, transaction.currency, transaction.balance, transaction.info,
                   transaction.category, transaction.counterparty, transaction.bank_transaction_id)
                  is distinct from (excluded.status, excluded.booking_date_time, excluded.value_date, excluded.amount,
                   excluded.credit_debit_indicator, excluded.currency, excluded.balance, excluded.info,
                   excluded.category, excluded.counterparty, excluded.bank_transaction_id)""";

    /**
     * A page of transactions ready for {@link #upsertTransactions}: one array literal per column, built on the
     * thread that fetched the page, so the writer's transaction holds its connection only for the statement.
     */
    public record Page(int size, List<String> columns) {
    }

    /**
     * Encodes a page as PostgreSQL array literals (in the column order of the upsert), with an id for each row should
     * it be new (see {@link TransactionIds}). A utx_id seen twice in one page keeps its last occurrence.
     */
    public static Page page(List<Row> page) {
        java.util.LinkedHashMap<String, Row> unique = new java.util.LinkedHashMap<>();
        page.forEach(r -> unique.put(r.utxId(), r));
        int n = unique.size();
        List<ArrayLiteral> cols = new ArrayList<>(COLUMN_WIDTHS.length);
        for (int width : COLUMN_WIDTHS) {
            cols.add(new ArrayLiteral(n * width));
        }
        TransactionIds.next(n, System.currentTimeMillis(), id -> cols.get(0).add(id.toString()));
        for (Row r : unique.values()) {
            Transaction t = r.t();
            BigDecimal a = t.amount().amount();
            cols.get(1).add(r.utxId());
            cols.get(2).add(t.status() == Transaction.BookingStatus.BOOKED ? "booked" : "pending");
            cols.get(3).add(t.bookingDate() == null ? null : t.bookingDate() + "T00:00:00Z");
            cols.get(4).add(t.valueDate() == null ? null : t.valueDate().toString());
            cols.get(5).add(a.abs().toPlainString());
            cols.get(6).add(a.signum() < 0 ? "debit" : "credit");
            cols.get(7).add(t.amount().currency());
            cols.get(8).add(t.balanceAfter() == null ? null : t.balanceAfter().amount().toPlainString());
            cols.get(9).add(t.remittanceInformation());
            cols.get(10).add(r.category());
            cols.get(11).add(a.signum() < 0 ? t.creditorName() : t.debtorName());
            cols.get(12).add(t.transactionId());
        }
        return new Page(n, cols.stream().map(ArrayLiteral::toString).toList());
    }

    /**
     * Characters to reserve per row in each column's literal (quotes and comma included): enough for typical bank data,
     * so that building a page's literals rarely grows and copies them.
     */
    private static final int[] COLUMN_WIDTHS = {39, 48, 9, 25, 13, 12, 8, 6, 12, 64, 16, 40, 28};

    /** A one-dimensional PostgreSQL array in its text form: every element quoted, NULL for null. */
    static final class ArrayLiteral {
        private final StringBuilder sb;
        private boolean first = true;

        ArrayLiteral(int capacity) {
            sb = new StringBuilder(capacity).append('{');
        }

        ArrayLiteral add(String v) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            if (v == null) {
                sb.append("NULL");
                return this;
            }
            sb.append('"');
            int from = 0;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append(v, from, i).append('\\');
                    from = i;
                }
            }
            sb.append(v, from, v.length()).append('"');
            return this;
        }

        @Override
        public String toString() {
            return sb + "}";
        }
    }

    /**
     * Upserts a page of transactions in one statement (arrays unnested server-side). Each row inserted or changed
     * takes the consent's next change number and the page's time (whole seconds) as its {@code timestamp}, in one
     * transaction (the caller's, when one is open).
     *
     * @return rows inserted or changed
     */
    public int upsertTransactions(UUID consentId, UUID accountId, Page page, Instant now) {
        if (page.size() == 0) {
            return 0;
        }
        Integer written = tx.execute(txStatus -> {
            lockChanges(consentId);
            notices.changed("data", consentId); // this node drops the consent's kept answers right after the commit
            return template.execute((java.sql.Connection c) -> {
                try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                    ps.setObject(1, accountId);
                    for (int i = 0; i < page.columns().size(); i++) {
                        ps.setObject(i + 2, page.columns().get(i), java.sql.Types.OTHER);
                    }
                    ps.setTimestamp(page.columns().size() + 2, Timestamp.from(now));
                    return ps.executeUpdate(); // rows inserted or changed (an unchanged row's update is skipped)
                }
            });
        });
        return written == null ? 0 : written;
    }

    /**
     * Removes pending transactions of the range the bank no longer reports (cancelled or booked elsewhere),
     * leaving a tombstone with the next change number for each, in one transaction.
     */
    public int dropStalePending(UUID consentId, UUID accountId, Collection<String> seenPending, java.time.LocalDate from, Instant now) {
        String[] seen = seenPending.toArray(String[]::new);
        Integer n = tx.execute(status -> {
            lockChanges(consentId);
            notices.changed("data", consentId);
            return jdbc.sql("""
                            with gone as (delete from transaction where account_id = ? and status = 'pending' and value_date >= ?
                                          and not (utx_id = any (?)) returning id, utx_id, created_seq)
                            insert into transaction_tombstone (consent_id, transaction_id, utx_id, created_seq, change_seq, removed_at)
                            select ?, id, utx_id, created_seq, nextval('transaction_change_seq'), ? from gone""")
                    .params(accountId, Date.valueOf(from), seen, consentId, ts(now))
                    .update();
        });
        return n == null ? 0 : n;
    }

    /** Deletes tombstones of removals older than {@code before}. @return how many */
    public int purgeTombstones(Instant before) {
        return jdbc.sql("delete from transaction_tombstone where removed_at < ?").param(ts(before)).update();
    }

    public void markAccountSynced(UUID accountId, Instant now) {
        jdbc.sql("update account set last_synced_at = ? where id = ?").params(ts(now), accountId).update();
    }

}
