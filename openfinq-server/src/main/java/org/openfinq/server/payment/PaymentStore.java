package org.openfinq.server.payment;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.openfinq.server.event.Event;
import org.openfinq.server.event.Events;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.ts;

/** SQL for payments. */
@Repository
public class PaymentStore {

    /** A payment row; {@code bankPayment} is encrypted. */
    public record Payment(UUID id, UUID clientId, UUID sessionId, String tenantUserId, String skill, UUID servicerId,
                          String product, byte[] bankPayment, String endToEndId, String debtorIban, String creditorName,
                          String creditorIban, BigDecimal amount, String currency, String remittance,
                          LocalDate requestedExecutionDate, String status, String bankStatus, Instant createdAt,
                          Instant updatedAt, int polls) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Events events;

    public PaymentStore(JdbcClient jdbc, TransactionTemplate tx, Events events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
    }

    public void insert(Payment p, Instant nextPoll) {
        jdbc.sql("""
                insert into payment (id, client_id, session_id, tenant_user_id, skill, servicer_id, product, bank_payment, end_to_end_id,
                                     debtor_iban, creditor_name, creditor_iban, amount, currency, remittance,
                                     requested_execution_date, status, bank_status, created_at, updated_at, next_poll_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(p.id(), p.clientId(), p.sessionId(), p.tenantUserId(), p.skill(), p.servicerId(), p.product(), p.bankPayment(),
                        p.endToEndId(), p.debtorIban(), p.creditorName(), p.creditorIban(), p.amount(), p.currency(), p.remittance(),
                        p.requestedExecutionDate() == null ? null : java.sql.Date.valueOf(p.requestedExecutionDate()),
                        p.status(), p.bankStatus(), ts(p.createdAt()), ts(p.updatedAt()), ts(nextPoll))
                .update();
    }

    public Optional<Payment> find(UUID id) {
        return jdbc.sql("select * from payment where id = ?").param(id).query(PaymentStore::payment).optional();
    }

    public Optional<Payment> bySession(UUID sessionId) {
        return jdbc.sql("select * from payment where session_id = ?").param(sessionId).query(PaymentStore::payment).optional();
    }

    private static Payment payment(ResultSet rs, int n) throws SQLException {
        java.sql.Date d = rs.getDate("requested_execution_date");
        return new Payment(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class), rs.getObject("session_id", UUID.class),
                rs.getString("tenant_user_id"), rs.getString("skill"), rs.getObject("servicer_id", UUID.class), rs.getString("product"),
                rs.getBytes("bank_payment"), rs.getString("end_to_end_id"), rs.getString("debtor_iban"), rs.getString("creditor_name"),
                rs.getString("creditor_iban"), rs.getBigDecimal("amount"), rs.getString("currency"), rs.getString("remittance"),
                d == null ? null : d.toLocalDate(), rs.getString("status"), rs.getString("bank_status"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), rs.getInt("polls"));
    }

    /**
     * Records a status read from the bank, only if the payment is still as it was read ({@code polls} unchanged and
     * not final): of two concurrent readers (the redirect and a poll) the later write loses and changes nothing.
     * A final status, or a null {@code nextPoll}, stops polling. A changed status is told (payment.status_changed)
     * in the same transaction.
     *
     * @return whether the status was recorded
     */
    public boolean status(UUID id, int readAtPolls, String status, String bankStatus, Instant now, Instant nextPoll) {
        return Boolean.TRUE.equals(tx.execute(t -> {
            Payment before = jdbc.sql("select * from payment where id = ? for update").param(id).query(PaymentStore::payment)
                    .optional().orElse(null);
            boolean recorded = jdbc.sql("update payment set status = ?, bank_status = ?, updated_at = ?, next_poll_at = ?, polls = polls + 1 "
                            + "where id = ? and polls = ? and status not in ('settled', 'rejected', 'cancelled')")
                    .params(status, bankStatus, ts(now), ts(PaymentLifecycle.FINAL.contains(status) ? null : nextPoll), id, readAtPolls)
                    .update() == 1;
            if (recorded && before != null && !before.status().equals(status)) {
                java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
                data.put("status", status);
                data.put("previous_status", before.status());
                data.put("bank_status", bankStatus);
                events.record(Event.payment(Event.PAYMENT_STATUS_CHANGED, before.clientId(), before.tenantUserId(), id, data));
            }
            return recorded;
        }));
    }

    /** Non-final payments due for a status poll, claimed by this node (others skip them). */
    public List<UUID> claimDue(Instant now, Instant claimUntil, int limit) {
        return jdbc.sql("""
                        update payment set next_poll_at = ?
                        where id in (select id from payment where next_poll_at <= ? order by next_poll_at limit ? for update skip locked)
                        returning id""")
                .params(ts(claimUntil), ts(now), limit)
                .query(UUID.class).list();
    }
}
