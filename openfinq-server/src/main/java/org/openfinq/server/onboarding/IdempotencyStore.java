package org.openfinq.server.onboarding;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Idempotency keys of step calls, per tenant, kept 7 days; the stored answer never holds a nonce. */
@Repository
public class IdempotencyStore {

    /** A stored key: the hash of the request it was first used with and the answer given (JSON). */
    public record Entry(String requestHash, String response) {
    }

    private final JdbcClient jdbc;

    public IdempotencyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Entry> find(UUID clientId, String key, Instant now) {
        return jdbc.sql("select request_hash, response::text from idempotency_key where client_id = ? and key = ? and expires_at > ?")
                .params(clientId, key, Timestamp.from(now))
                .query((rs, n) -> new Entry(rs.getString(1), rs.getString(2))).optional();
    }

    public void save(UUID clientId, String key, String requestHash, String response, Instant now, Instant expires) {
        jdbc.sql("insert into idempotency_key (client_id, key, request_hash, response, created_at, expires_at) values (?, ?, ?, ?::jsonb, ?, ?) "
                        + "on conflict (client_id, key) do update set request_hash = excluded.request_hash, response = excluded.response, "
                        + "created_at = excluded.created_at, expires_at = excluded.expires_at")
                .params(clientId, key, requestHash, response, Timestamp.from(now), Timestamp.from(expires))
                .update();
    }

    public int purge(Instant now) {
        return jdbc.sql("delete from idempotency_key where expires_at <= ?").param(Timestamp.from(now)).update();
    }
}
