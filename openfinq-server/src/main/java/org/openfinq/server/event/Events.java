package org.openfinq.server.event;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The events outbox. Features record an event inside the database transaction that makes the change, so there
 * is no event without its change and no change without its event; tenants read them in order with
 * {@code /v1/events/get}.
 */
@Component
public class Events {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper WIRE = JsonMapper.builder()
            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).build();
    /** Namespace of the advisory locks that order one tenant's events. */
    private static final int LOCK_SPACE = 0x0e7e17;

    private final JdbcClient jdbc;
    private final Clock clock;

    public Events(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Records an event in the caller's database transaction (required). Events of one tenant are numbered in
     * commit order: the tenant's advisory lock is held from here to the commit, so record events last.
     *
     * @return whether it was recorded (false when its dedupe key was already used)
     */
    public boolean record(Event e) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("An event is recorded in the transaction of its change");
        }
        jdbc.sql("select pg_advisory_xact_lock(?, hashtext(?))").params(LOCK_SPACE, e.clientId().toString())
                .query((rs, n) -> 1).list();
        return jdbc.sql("""
                        insert into event (id, client_id, type, tenant_user_id, credentials_id, payment_id, data, dedupe_key, created_at)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                        on conflict (dedupe_key) do nothing""")
                .params(UUID.randomUUID(), e.clientId(), e.type(), e.tenantUserId(), e.credentialsId(), e.paymentId(),
                        JSON.writeValueAsString(e.data()), e.dedupeKey(), Timestamp.from(clock.instant()))
                .update() == 1;
    }

    /** A tenant's events after {@code afterSeq}, oldest first, optionally of some types only. */
    public List<Event> list(UUID clientId, long afterSeq, int limit, List<String> types) {
        StringBuilder sql = new StringBuilder("select * from event where client_id = ? and seq > ?");
        List<Object> params = new ArrayList<>(List.of(clientId, afterSeq));
        if (types != null && !types.isEmpty()) {
            sql.append(" and type = any (?)");
            params.add(types.toArray(String[]::new));
        }
        sql.append(" order by seq limit ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> row(rs))
                .list();
    }

    private static Event row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Event(rs.getObject("id", UUID.class), rs.getLong("seq"), rs.getString("type"),
                rs.getTimestamp("created_at").toInstant(), rs.getObject("client_id", UUID.class),
                rs.getString("tenant_user_id"), rs.getObject("credentials_id", UUID.class),
                rs.getObject("payment_id", UUID.class),
                JSON.readValue(rs.getString("data"), new TypeReference<Map<String, Object>>() {
                }), rs.getString("dedupe_key"));
    }

    /** The seq of the tenant's newest event (0 when none): what a new subscriber starts after. */
    public long lastSeq(UUID clientId) {
        return jdbc.sql("select coalesce(max(seq), 0) from event where client_id = ?").param(clientId)
                .query(Long.class).single();
    }

    /** One event of a tenant, if still kept. */
    public java.util.Optional<Event> find(UUID clientId, UUID eventId) {
        return jdbc.sql("select * from event where client_id = ? and id = ?").params(clientId, eventId)
                .query((rs, n) -> row(rs)).optional();
    }

    /** The event as tenants see it (events/get item and webhook body). */
    public static String json(Event e) {
        return WIRE.writeValueAsString(EventApi.EventItem.of(e));
    }

    /** Deletes events created before {@code before}. @return how many */
    public int purge(Instant before) {
        return jdbc.sql("delete from event where created_at < ?").param(Timestamp.from(before)).update();
    }
}
