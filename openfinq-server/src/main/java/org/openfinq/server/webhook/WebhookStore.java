package org.openfinq.server.webhook;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The webhook feature's tables: {@code webhook_endpoint} and {@code webhook_delivery}. */
@Component
public class WebhookStore {

    /** An endpoint; {@code events} null = every type; {@code secret} encrypted. */
    public record Endpoint(UUID id, UUID clientId, String url, List<String> events, byte[] secret, long lastSeq, Instant createdAt) {
    }

    /** A claimed delivery: the attempt now running under {@code leaseToken}. */
    public record Delivery(UUID id, UUID endpointId, UUID eventId, String body, int attempts, UUID leaseToken, Instant createdAt) {
    }

    private final JdbcClient jdbc;

    public WebhookStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static Endpoint endpoint(ResultSet rs, int n) throws SQLException {
        java.sql.Array a = rs.getArray("events");
        List<String> events = a == null ? null : Arrays.asList((String[]) a.getArray());
        return new Endpoint(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class), rs.getString("url"), events,
                rs.getBytes("secret"), rs.getLong("last_seq"), rs.getTimestamp("created_at").toInstant());
    }

    public void insert(Endpoint e) {
        jdbc.sql("insert into webhook_endpoint (id, client_id, url, events, secret, last_seq, created_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(e.id(), e.clientId(), e.url(), e.events() == null ? null : e.events().toArray(String[]::new),
                        e.secret(), e.lastSeq(), Timestamp.from(e.createdAt()))
                .update();
    }

    public List<Endpoint> list(UUID clientId) {
        return jdbc.sql("select * from webhook_endpoint where client_id = ? order by created_at, id").param(clientId)
                .query(WebhookStore::endpoint).list();
    }

    public Optional<Endpoint> find(UUID clientId, UUID id) {
        return jdbc.sql("select * from webhook_endpoint where client_id = ? and id = ?").params(clientId, id)
                .query(WebhookStore::endpoint).optional();
    }

    public Optional<Endpoint> find(UUID id) {
        return jdbc.sql("select * from webhook_endpoint where id = ?").param(id).query(WebhookStore::endpoint).optional();
    }

    public boolean delete(UUID clientId, UUID id) {
        return jdbc.sql("delete from webhook_endpoint where client_id = ? and id = ?").params(clientId, id).update() == 1;
    }

    public boolean updateSecret(UUID clientId, UUID id, byte[] secret) {
        return jdbc.sql("update webhook_endpoint set secret = ? where client_id = ? and id = ?").params(secret, clientId, id).update() == 1;
    }

    /** Locks up to {@code limit} endpoints no other node is fanning out (caller's transaction). */
    public List<Endpoint> lockEndpoints(UUID afterId, int limit) {
        return jdbc.sql("select * from webhook_endpoint where id > ? order by id limit ? for update skip locked").params(afterId, limit)
                .query(WebhookStore::endpoint).list();
    }

    public void advance(UUID endpointId, long lastSeq) {
        jdbc.sql("update webhook_endpoint set last_seq = ? where id = ?").params(lastSeq, endpointId).update();
    }

    /** A pending delivery, unless that event is already pending for that endpoint. */
    public boolean enqueue(UUID endpointId, UUID eventId, String body, Instant now) {
        return jdbc.sql("""
                        insert into webhook_delivery (id, endpoint_id, event_id, body, state, next_attempt_at, created_at)
                        values (?, ?, ?, ?, 'pending', ?, ?) on conflict (endpoint_id, event_id) where state = 'pending' do nothing""")
                .params(UUID.randomUUID(), endpointId, eventId, body, Timestamp.from(now), Timestamp.from(now))
                .update() == 1;
    }

    /**
     * Claims up to {@code limit} due deliveries whose lease is free: each gets a new lease token until
     * {@code leaseUntil} and one more attempt counted. Rows another node is claiming are skipped.
     */
    public List<Delivery> claim(Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql("""
                        update webhook_delivery d set lease_token = gen_random_uuid(), lease_until = ?, attempts = d.attempts + 1
                        where d.id in (select id from webhook_delivery
                                       where state = 'pending' and next_attempt_at <= ? and (lease_until is null or lease_until < ?)
                                       order by next_attempt_at limit ? for update skip locked)
                        returning d.id, d.endpoint_id, d.event_id, d.body, d.attempts, d.lease_token, d.created_at""")
                .params(Timestamp.from(leaseUntil), Timestamp.from(now), Timestamp.from(now), limit)
                .query((rs, n) -> new Delivery(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                        rs.getObject("event_id", UUID.class), rs.getString("body"), rs.getInt("attempts"),
                        rs.getObject("lease_token", UUID.class), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** The outcome of an attempt, only if this attempt still holds the lease. @return whether it was recorded */
    public boolean finish(Delivery d, String state, Integer status, String error, Instant nextAttempt, Instant now) {
        return jdbc.sql("""
                        update webhook_delivery set state = ?, last_status = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at),
                            lease_token = null, lease_until = null, finished_at = ?
                        where id = ? and lease_token = ? and state = 'pending'""")
                .params(state, status, error, nextAttempt == null ? null : Timestamp.from(nextAttempt),
                        state.equals("pending") ? null : Timestamp.from(now), d.id(), d.leaseToken())
                .update() == 1;
    }

    /** Deliveries of an event to an endpoint, newest first: {state, attempts, last_status}. */
    public List<java.util.Map<String, Object>> deliveries(UUID endpointId) {
        return jdbc.sql("select id, event_id, state, attempts, last_status, last_error, created_at, finished_at from webhook_delivery "
                        + "where endpoint_id = ? order by created_at desc limit 100").param(endpointId)
                .query().listOfRows();
    }

    public int purge(Instant before) {
        return jdbc.sql("delete from webhook_delivery where created_at < ?").param(Timestamp.from(before)).update();
    }
}
