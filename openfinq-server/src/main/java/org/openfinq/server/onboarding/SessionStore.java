package org.openfinq.server.onboarding;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;
import static org.openfinq.server.db.SqlTimes.ts;

/** SQL for sessions, their nonces, steps, pending bank redirects and uploads. */
@Repository
public class SessionStore {

    /**
     * A session row. {@code awaiting} is {@code bank}, {@code upload:<step id>}, {@code step:<step id>} (that step
     * is calling the bank; see {@link BankStep}) or null.
     */
    public record Session(UUID id, UUID clientId, String tenantUserId, String skill, String status, int nextOrder,
                          String awaiting, Instant createdAt, Instant expiresAt, Instant updatedAt) {
        public boolean open() {
            return status.equals("SESSION_CREATED") || status.equals("SESSION_IN_PROGRESS");
        }

        /** Whether a step claimed the session at most {@code ttl} ago (an older claim is abandoned). */
        public boolean claimedByStep(Instant now, java.time.Duration ttl) {
            return awaiting != null && awaiting.startsWith("step:") && updatedAt != null && now.isBefore(updatedAt.plus(ttl));
        }
    }

    /** A nonce row. */
    public record Nonce(UUID sessionId, Instant expiresAt, Instant usedAt) {
    }

    /** A pending bank redirect; {@code continuation} (encrypted) is what the connector needs back, or null. */
    public record Redirect(UUID sessionId, String kind, byte[] bankReference, String psuRedirectLink, Instant usedAt,
                           byte[] continuation) {
    }

    private final JdbcClient jdbc;

    public SessionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Session s) {
        jdbc.sql("""
                insert into session (id, client_id, tenant_user_id, skill, status, next_order, created_at, updated_at, expires_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(s.id(), s.clientId(), s.tenantUserId(), s.skill(), s.status(), s.nextOrder(),
                        ts(s.createdAt()), ts(s.createdAt()), ts(s.expiresAt()))
                .update();
    }

    /** The session, locked until the transaction ends. */
    public Optional<Session> lock(UUID id) {
        return jdbc.sql("select * from session where id = ? for update").param(id).query(SessionStore::session).optional();
    }

    public Optional<Session> find(UUID id) {
        return jdbc.sql("select * from session where id = ?").param(id).query(SessionStore::session).optional();
    }

    private static Session session(ResultSet rs, int n) throws SQLException {
        return new Session(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class),
                rs.getString("tenant_user_id"), rs.getString("skill"), rs.getString("status"), rs.getInt("next_order"),
                rs.getString("awaiting"), instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "updated_at"));
    }

    /** Marks the (locked) session as claimed by a step that is about to call the bank. */
    public void claimForStep(UUID id, UUID stepId, Instant now) {
        jdbc.sql("update session set awaiting = ?, updated_at = ? where id = ?").params("step:" + stepId, ts(now), id).update();
    }

    /** Ends a step's claim after its bank call failed; does nothing if the claim is no longer the step's. */
    public void releaseStep(UUID id, UUID stepId) {
        jdbc.sql("update session set awaiting = null where id = ? and awaiting = ?").params(id, "step:" + stepId).update();
    }

    public void update(UUID id, String status, int nextOrder, String awaiting, Instant now, Instant expiresAt) {
        jdbc.sql("update session set status = ?, next_order = ?, awaiting = ?, updated_at = ?, expires_at = ? where id = ?")
                .params(status, nextOrder, awaiting, ts(now), ts(expiresAt), id)
                .update();
    }

    public void fail(UUID id, String code, String message, Instant now) {
        jdbc.sql("update session set status = 'SESSION_FAILED', awaiting = null, error_code = ?, error_message = ?, "
                        + "updated_at = ? where id = ?")
                .params(code, message, ts(now), id)
                .update();
    }

    /** Marks every open session past its expiry as expired; safe to run on any number of nodes at once. */
    public int expireOpen(Instant now) {
        return jdbc.sql("update session set status = 'SESSION_EXPIRED', awaiting = null, updated_at = ? "
                        + "where status in ('SESSION_CREATED', 'SESSION_IN_PROGRESS') and expires_at < ?")
                .params(ts(now), ts(now))
                .update();
    }

    public void insertNonce(String hash, UUID sessionId, Instant expiresAt) {
        jdbc.sql("insert into session_nonce (nonce_hash, session_id, expires_at) values (?, ?, ?)")
                .params(hash, sessionId, ts(expiresAt))
                .update();
    }

    public Optional<Nonce> nonce(String hash) {
        return jdbc.sql("select session_id, expires_at, used_at from session_nonce where nonce_hash = ?")
                .param(hash)
                .query((rs, n) -> new Nonce(rs.getObject(1, UUID.class), instant(rs, "expires_at"), instant(rs, "used_at")))
                .optional();
    }

    public boolean useNonce(String hash, Instant now) {
        return jdbc.sql("update session_nonce set used_at = ? where nonce_hash = ? and used_at is null")
                .params(ts(now), hash).update() == 1;
    }

    public void insertStep(UUID id, UUID sessionId, String name, int order, String dataJson, byte[] sealed, Instant now) {
        jdbc.sql("insert into session_step (id, session_id, name, step_order, data, data_sealed, created_at) "
                        + "values (?, ?, ?, ?, ?::jsonb, ?, ?)")
                .params(id, sessionId, name, order, dataJson, sealed, ts(now))
                .update();
    }

    public Optional<String> stepName(UUID stepId, UUID sessionId) {
        return jdbc.sql("select name from session_step where id = ? and session_id = ?")
                .params(stepId, sessionId).query(String.class).optional();
    }

    public void insertRedirect(String stateHash, UUID sessionId, String kind, byte[] bankReference, String psuLink, Instant now) {
        insertRedirect(stateHash, sessionId, kind, bankReference, psuLink, null, now);
    }

    /** A pending bank redirect with the connector's (encrypted) continuation. */
    public void insertRedirect(String stateHash, UUID sessionId, String kind, byte[] bankReference, String psuLink,
                               byte[] continuation, Instant now) {
        jdbc.sql("insert into sca_redirect (state_hash, session_id, kind, bank_reference, psu_redirect_link, continuation, "
                        + "created_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(stateHash, sessionId, kind, bankReference, psuLink, continuation, ts(now))
                .update();
    }

    /**
     * Ends a session that waits for the bank, from a poll of the bank's decision (decoupled SCA): completed, or
     * failed with {@code code} and {@code message}. Does nothing to a session that no longer waits for the bank.
     */
    public boolean settleAwaitingBank(UUID id, boolean completed, String code, String message, Instant now) {
        return jdbc.sql("update session set status = ?, awaiting = null, next_order = next_order + 1, error_code = ?, "
                        + "error_message = ?, updated_at = ? where id = ? and status in ('SESSION_CREATED', 'SESSION_IN_PROGRESS') "
                        + "and awaiting = 'bank' and expires_at > ?")
                .params(completed ? "SESSION_COMPLETED" : "SESSION_FAILED", completed ? null : code, completed ? null : message,
                        ts(now), id, ts(now))
                .update() == 1;
    }

    /** The error of a failed session: code and message. */
    public Optional<String[]> error(UUID id) {
        return jdbc.sql("select error_code, error_message from session where id = ? and error_code is not null").param(id)
                .query((rs, n) -> new String[]{rs.getString(1), rs.getString(2)}).optional();
    }

    public Optional<Redirect> lockRedirect(String stateHash) {
        return jdbc.sql("select session_id, kind, bank_reference, psu_redirect_link, used_at, continuation from sca_redirect "
                        + "where state_hash = ? for update")
                .param(stateHash)
                .query((rs, n) -> new Redirect(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3),
                        rs.getString(4), instant(rs, "used_at"), rs.getBytes(6)))
                .optional();
    }

    public void useRedirect(String stateHash, Instant now) {
        jdbc.sql("update sca_redirect set used_at = ? where state_hash = ?").params(ts(now), stateHash).update();
    }

    public void insertDocument(UUID id, UUID sessionId, UUID stepId, String fileName, String contentType, int size,
                               String sha256, byte[] content, Instant now) {
        jdbc.sql("insert into session_document (id, session_id, step_id, file_name, content_type, size_bytes, sha256, content, "
                        + "created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, sessionId, stepId, fileName, contentType, size, sha256, content, ts(now))
                .update();
    }
}
