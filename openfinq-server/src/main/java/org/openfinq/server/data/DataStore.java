package org.openfinq.server.data;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.openfinq.server.db.SqlTimes.instant;

/** Reads of the account data cache. */
@Repository
public class DataStore {

    record AccountRow(UUID id, String iban, String bic, String currency, String name, String product, String cashAccountType,
                      Instant updatedAt) {
    }

    record BalanceRow(UUID id, UUID accountId, String type, BigDecimal amount, String currency, Boolean creditLimitIncluded,
                      LocalDate nativeDate, Instant nativeTimestamp, Instant queriedAt) {
    }

    record TransactionRow(UUID id, UUID accountId, String utxId, String status, Instant bookingDateTime, BigDecimal amount,
                          String creditDebitIndicator, String currency, BigDecimal balance, String info, String category,
                          String counterparty, Instant changedAt) {
    }

    /** A change after a cursor: a transaction added or modified, or one removed ({@code removed}, only id and utx_id). */
    record Change(long seq, long createdSeq, boolean removed, TransactionRow row) {
    }

    /**
     * A place in the order of transactions/get (booking date descending, pending first, then utx_id, then id): the
     * last row a page gave. A null booking date is a pending transaction.
     */
    record Position(Instant booking, String utxId, UUID id) {

        static Position of(TransactionRow t) {
            return new Position(t.bookingDateTime(), t.utxId(), t.id());
        }

        byte[] bytes() {
            byte[] utx = utxId.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(1 + 12 + 16 + utx.length);
            b.put((byte) (booking == null ? 0 : 1));
            b.putLong(booking == null ? 0 : booking.getEpochSecond()).putInt(booking == null ? 0 : booking.getNano());
            b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
            return b.put(utx).array();
        }

        /** @return null when the bytes are not a position */
        static Position from(byte[] bytes) {
            if (bytes.length < 29 || bytes[0] > 1 || bytes[0] < 0) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            long seconds = b.getLong();
            int nanos = b.getInt();
            UUID id = new UUID(b.getLong(), b.getLong());
            byte[] utx = new byte[b.remaining()];
            b.get(utx);
            return new Position(bytes[0] == 0 ? null : Instant.ofEpochSecond(seconds, nanos), new String(utx, StandardCharsets.UTF_8), id);
        }
    }

    /** Rows a streamed transactions/get reads per database round trip: the most it holds at once. */
    static final int FETCH_SIZE = 500;

    private final JdbcClient jdbc;
    private final JdbcClient streaming;
    private final TransactionTemplate readOnly;

    public DataStore(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        JdbcTemplate fetching = new JdbcTemplate(dataSource);
        fetching.setFetchSize(FETCH_SIZE);
        this.streaming = JdbcClient.create(fetching);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    List<AccountRow> accounts(UUID consentId) {
        return jdbc.sql("select id, iban, bic, currency, name, product, cash_account_type, updated_at from account "
                        + "where consent_id = ? order by iban nulls last, id")
                .param(consentId)
                .query((rs, n) -> new AccountRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), instant(rs, "updated_at")))
                .list();
    }

    List<BalanceRow> balances(UUID consentId, UUID accountId, String type, String currency) {
        StringBuilder sql = new StringBuilder("select b.* from balance b join account a on a.id = b.account_id where a.consent_id = ?");
        List<Object> params = new ArrayList<>(List.of(consentId));
        if (accountId != null) {
            sql.append(" and b.account_id = ?");
            params.add(accountId);
        }
        if (type != null) {
            sql.append(" and lower(b.type) = lower(?)");
            params.add(type);
        }
        if (currency != null) {
            sql.append(" and b.currency = upper(?)");
            params.add(currency);
        }
        sql.append(" order by a.iban nulls last, a.id, b.type");
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new BalanceRow(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                        rs.getString("type"), rs.getBigDecimal("amount"), rs.getString("currency"),
                        (Boolean) rs.getObject("credit_limit_included"),
                        rs.getDate("native_date") == null ? null : rs.getDate("native_date").toLocalDate(),
                        instant(rs, "native_timestamp"), instant(rs, "queried_at")))
                .list();
    }

    /** Newest first (pending, which have no booking date yet, before booked), then by utx_id: a stable order. */
    static final String TRANSACTIONS = "select t.id, t.account_id, t.utx_id, t.status, t.booking_date_time, t.amount, "
            + "t.credit_debit_indicator, t.currency, t.balance, t.info, t.category, t.counterparty, t.changed_at "
            + "from transaction t where t.account_id = any (select id from account where consent_id = ?)";

    private static TransactionRow transaction(ResultSet rs) throws SQLException {
        return new TransactionRow(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class), rs.getString("utx_id"),
                rs.getString("status"), instant(rs, "booking_date_time"), rs.getBigDecimal("amount"),
                rs.getString("credit_debit_indicator"), rs.getString("currency"), rs.getBigDecimal("balance"), rs.getString("info"),
                rs.getString("category"), rs.getString("counterparty"), instant(rs, "changed_at"));
    }

    /** A row of {@link #TRANSACTIONS}, by column position (no name lookups per column and row on the read path). */
    private static TransactionRow transactionByPosition(ResultSet rs) throws SQLException {
        Timestamp booking = rs.getTimestamp(5);
        Timestamp changed = rs.getTimestamp(13);
        return new TransactionRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                booking == null ? null : booking.toInstant(), rs.getBigDecimal(6), rs.getString(7), rs.getString(8),
                rs.getBigDecimal(9), rs.getString(10), rs.getString(11), rs.getString(12), changed == null ? null : changed.toInstant());
    }

    /** The consent's last change number (0 for none). */
    long lastChange(UUID consentId) {
        return jdbc.sql("""
                        select greatest(
                            (select max(t.change_seq) from transaction t
                             where t.account_id = any (select id from account where consent_id = ?)),
                            (select max(b.change_seq) from transaction_tombstone b where b.consent_id = ?), 0)""")
                .params(consentId, consentId).query(Long.class).single();
    }

    /**
     * The consent's transactions changed after change number {@code after} (each once, at its last change) and
     * those removed after {@code removedAfter} that existed at {@code after}, in change order.
     */
    List<Change> changes(UUID consentId, long after, long removedAfter, int limit) {
        return jdbc.sql("""
                        select * from (
                            select t.* from account a cross join lateral (
                                -- per account in change order from the index, so a page reads only what it returns
                                select t.change_seq as seq, t.created_seq, false as removed, t.id, t.account_id, t.utx_id,
                                       t.status, t.booking_date_time, t.amount, t.credit_debit_indicator, t.currency, t.balance,
                                       t.info, t.category, t.counterparty, t.changed_at
                                from transaction t where t.account_id = a.id and t.change_seq > ?
                                order by t.change_seq limit ?) t
                            where a.consent_id = ?
                            union all
                            (select b.change_seq, b.created_seq, true, b.transaction_id, null, b.utx_id, null, null, null, null,
                                    null, null, null, null, null, b.removed_at
                             from transaction_tombstone b where b.consent_id = ? and b.change_seq > ? and b.created_seq <= ?
                             order by b.change_seq limit ?)
                        ) x order by seq limit ?""")
                .params(after, limit, consentId, consentId, removedAfter, after, limit, limit)
                .query((rs, n) -> new Change(rs.getLong("seq"), rs.getLong("created_seq"), rs.getBoolean("removed"), transaction(rs)))
                .list();
    }

    /**
     * The consent's transactions in the documented order, after {@code after} (null: from the first), at most
     * {@code limit} (null: all), each handed to {@code sink} as it is read. Without a limit, an answer of at most
     * {@link #FETCH_SIZE} rows takes one round trip; a longer one comes from a server-side cursor inside one
     * read-only transaction ({@link #FETCH_SIZE} rows per round trip), so memory stays constant however many rows
     * the consent has, and the answer is one snapshot.
     */
    void transactions(UUID consentId, TransactionFilter filter, Position after, Integer limit, Consumer<TransactionRow> sink) {
        StringBuilder sql = new StringBuilder(TRANSACTIONS);
        filter.where.forEach(w -> sql.append(" and ").append(w));
        List<Object> params = new ArrayList<>();
        params.add(consentId);
        params.addAll(filter.params);
        if (after != null && after.booking() != null) {
            sql.append(" and (t.booking_date_time < ? or (t.booking_date_time = ? and (t.utx_id, t.id) > (?, ?)))");
            params.addAll(List.of(Timestamp.from(after.booking()), Timestamp.from(after.booking()), after.utxId(), after.id()));
        } else if (after != null) {
            sql.append(" and (t.booking_date_time is not null or (t.utx_id, t.id) > (?, ?))");
            params.addAll(List.of(after.utxId(), after.id()));
        }
        sql.append(" order by t.booking_date_time desc nulls first, t.utx_id, t.id");
        RowCallbackHandler each = rs -> sink.accept(transactionByPosition(rs));
        if (limit != null && limit <= FETCH_SIZE) {
            jdbc.sql(sql + " limit ?").params(params).param(limit).query(each);
            return;
        }
        if (limit == null) {
            // most answers fit in one fetch: read up to one more row in one round trip, without a transaction;
            // only a longer answer is read again from a cursor (in one snapshot)
            List<TransactionRow> first = new ArrayList<>();
            jdbc.sql(sql + " limit ?").params(params).param(FETCH_SIZE + 1).query((RowCallbackHandler) rs -> first.add(transactionByPosition(rs)));
            if (first.size() <= FETCH_SIZE) {
                first.forEach(sink);
                return;
            }
        } else {
            sql.append(" limit ?");
            params.add(limit);
        }
        readOnly.executeWithoutResult(s -> streaming.sql(sql.toString()).params(params).query(each));
    }
}
