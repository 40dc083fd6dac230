package org.openfinq.server.data;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;

/**
 * Read-only view of a consent's cached accounts, balances and transactions for other features (the bridges):
 * the same rows the /v1 data API answers from, never a copy, and never a bank call.
 */
@Service
public class CachedData {

    public record Account(UUID id, String iban, String currency, String name, String product, Instant updatedAt) {
    }

    /** {@code amount} is signed; {@code type} is the NextGenPSD2 name (e.g. {@code interimAvailable}). */
    public record Balance(UUID accountId, String type, BigDecimal amount, String currency, LocalDate nativeDate,
                          Instant nativeTimestamp, Instant queriedAt) {
    }

    /** {@code amount} is positive, with {@code creditDebitIndicator}; {@code bookingDateTime} is null while pending. */
    public record Transaction(UUID accountId, String utxId, String status, Instant bookingDateTime, LocalDate valueDate,
                              BigDecimal amount, String creditDebitIndicator, String currency, String info,
                              String counterparty) {
    }

    private final DataStore store;
    private final JdbcClient jdbc;

    public CachedData(DataStore store, JdbcClient jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    private static LocalDate date(ResultSet rs, String col) throws SQLException {
        java.sql.Date d = rs.getDate(col);
        return d == null ? null : d.toLocalDate();
    }

    /** The consent's accounts, in the order of /v1/accounts/get. */
    public List<Account> accounts(UUID consentId) {
        return store.accounts(consentId).stream()
                .map(a -> new Account(a.id(), a.iban(), a.currency(), a.name(), a.product(), a.updatedAt())).toList();
    }

    /** The consent's balances, in the order of /v1/balances/get. */
    public List<Balance> balances(UUID consentId) {
        return store.balances(consentId, null, null, null).stream()
                .map(b -> new Balance(b.accountId(), b.type(), b.amount(), b.currency(), b.nativeDate(), b.nativeTimestamp(),
                        b.queriedAt())).toList();
    }

    /**
     * The consent's booked transactions with a booking time in {@code [from, before)} (either bound may be null),
     * plus, when {@code pending}, every pending one; newest first as in /v1/transactions/get.
     */
    public List<Transaction> transactions(UUID consentId, Instant from, Instant before, boolean pending) {
        StringBuilder sql = new StringBuilder("select t.account_id, t.utx_id, t.status, t.booking_date_time, t.value_date, "
                + "t.amount, t.credit_debit_indicator, t.currency, t.info, t.counterparty from transaction t "
                + "where t.account_id = any (select id from account where consent_id = ?) and ((t.status = 'booked'");
        List<Object> params = new ArrayList<>(List.of(consentId));
        if (from != null) {
            sql.append(" and t.booking_date_time >= ?");
            params.add(Timestamp.from(from));
        }
        if (before != null) {
            sql.append(" and t.booking_date_time < ?");
            params.add(Timestamp.from(before));
        }
        sql.append(")").append(pending ? " or t.status = 'pending')" : ")");
        sql.append(" order by t.booking_date_time desc nulls first, t.utx_id");
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new Transaction(rs.getObject("account_id", UUID.class), rs.getString("utx_id"),
                        rs.getString("status"), instant(rs, "booking_date_time"), date(rs, "value_date"),
                        rs.getBigDecimal("amount"), rs.getString("credit_debit_indicator"), rs.getString("currency"),
                        rs.getString("info"), rs.getString("counterparty")))
                .list();
    }
}
