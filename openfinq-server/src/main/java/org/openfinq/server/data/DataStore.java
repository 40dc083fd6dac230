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

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
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


    private static TransactionRow transaction(ResultSet rs) throws SQLException {
        return new TransactionRow(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class), rs.getString("utx_id"),
                rs.getString("status"), instant(rs, "booking_date_time"), rs.getBigDecimal("amount"),
                rs.getString("credit_debit_indicator"), rs.getString("currency"), rs.getBigDecimal("balance"), rs.getString("info"),
                rs.getString("category"), rs.getString("counterparty"), instant(rs, "changed_at"));
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

    /** A UTC instant in whole seconds as the API writes it ({@code Instant.toString()} of a truncated instant), or null. */
    private static String utcJson(String column) {
        return "coalesce('\"' || to_char(" + column + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || '\"', 'null')";
    }

    private static String textJson(String column) {
        return "coalesce(to_json(" + column + ")::text, 'null')";
    }

    /**
     * A transaction of transactions/get as the API writes it (the fields, order and nulls of
     * {@code DataApi.Transaction}), built by PostgreSQL: the read path then copies text instead of decoding typed
     * columns into objects and serialising them again. {@code TransactionsPagingTest} and {@code AccountDataTest}
     * compare it with the documented shape.
     */
    static final String TRANSACTION_JSON = "'{\"account_id\":\"' || t.account_id::text || '\",\"timestamp\":' || " + utcJson("t.changed_at")
            + " || ',\"id\":\"' || t.id::text || '\",\"utx_id\":' || " + textJson("t.utx_id")
            + " || ',\"data\":{\"amount\":\"' || t.amount::text || '\",\"balance\":' || coalesce('\"' || t.balance::text || '\"', 'null')"
            + " || ',\"booking_date_time\":' || " + utcJson("t.booking_date_time")
            + " || ',\"credit_debit_indicator\":' || " + textJson("t.credit_debit_indicator")
            + " || ',\"currency\":' || " + textJson("t.currency")
            + " || ',\"info\":' || " + textJson("t.info")
            + " || ',\"status\":' || " + textJson("t.status")
            + " || ',\"details\":{\"category\":' || " + textJson("t.category")
            + " || ',\"merchant\":' || " + textJson("t.counterparty")
            + " || ',\"location\":null,\"tags\":[],\"attach\":[]},\"exchange_rate\":null}}'";

    /** A transaction's JSON text and its place in the order (for the next page's cursor). */
    record JsonRow(String json, Position position) {
    }

    /** The documented order of transactions/get. */
    private static final String ORDER = " order by t.booking_date_time desc nulls first, t.utx_id, t.id";

    /** The select of transactions/get with the filter and the position after which to start; its params in {@code params}. */
    private static String select(UUID consentId, TransactionFilter filter, Position after, List<Object> params) {
        StringBuilder sql = new StringBuilder("select " + TRANSACTION_JSON + " as j, t.booking_date_time, t.utx_id, t.id "
                + "from transaction t where t.account_id = any (select id from account where consent_id = ?)");
        filter.where.forEach(w -> sql.append(" and ").append(w));
        params.add(consentId);
        params.addAll(filter.params);
        if (after != null && after.booking() != null) {
            sql.append(" and (t.booking_date_time < ? or (t.booking_date_time = ? and (t.utx_id, t.id) > (?, ?)))");
            params.addAll(List.of(Timestamp.from(after.booking()), Timestamp.from(after.booking()), after.utxId(), after.id()));
        } else if (after != null) {
            sql.append(" and (t.booking_date_time is not null or (t.utx_id, t.id) > (?, ?))");
            params.addAll(List.of(after.utxId(), after.id()));
        }
        return sql.append(ORDER).toString();
    }

    private static JsonRow jsonRow(ResultSet rs) throws SQLException {
        Timestamp booking = rs.getTimestamp(2);
        return new JsonRow(rs.getString(1), new Position(booking == null ? null : booking.toInstant(), rs.getString(3),
                rs.getObject(4, UUID.class)));
    }

    /**
     * The whole unpaged answer of transactions/get as one JSON array, built in one round trip, when it has at most
     * {@link #FETCH_SIZE} rows (most answers); null when it has more (then {@link #transactions} streams it).
     */
    String smallAnswer(UUID consentId, TransactionFilter filter) {
        List<Object> params = new ArrayList<>();
        String rows = select(consentId, filter, null, params) + " limit ?";
        params.add(FETCH_SIZE + 1);
        return jdbc.sql("select count(*), '[' || coalesce(string_agg(x.j, ',' order by x.booking_date_time desc nulls first, "
                        + "x.utx_id, x.id), '') || ']' from (" + rows + ") x")
                .params(params)
                .query((rs, n) -> rs.getInt(1) > FETCH_SIZE ? null : rs.getString(2))
                .optional().orElse(null);
    }

    /**
     * The consent's transactions in the documented order, after {@code after} (null: from the first), at most
     * {@code limit} (null: all), each handed to {@code sink} as it is read. A page of at most {@link #FETCH_SIZE}
     * rows takes one round trip; anything longer comes from a server-side cursor inside one read-only transaction
     * ({@link #FETCH_SIZE} rows per round trip), so memory stays constant however many rows the consent has, and
     * the answer is one snapshot.
     */
    void transactions(UUID consentId, TransactionFilter filter, Position after, Integer limit, Consumer<JsonRow> sink) {
        List<Object> params = new ArrayList<>();
        String sql = select(consentId, filter, after, params);
        RowCallbackHandler each = rs -> sink.accept(jsonRow(rs));
        if (limit != null) {
            sql += " limit ?";
            params.add(limit);
        }
        if (limit != null && limit <= FETCH_SIZE) {
            jdbc.sql(sql).params(params).query(each);
            return;
        }
        String cursorSql = sql;
        readOnly.executeWithoutResult(s -> streaming.sql(cursorSql).params(params).query(each));
    }
}
