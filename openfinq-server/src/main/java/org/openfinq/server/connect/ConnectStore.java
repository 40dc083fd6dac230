package org.openfinq.server.connect;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;
import static org.openfinq.server.db.SqlTimes.ts;

/** SQL for Connect sessions (table {@code connect_session}). */
@Repository
public class ConnectStore {

    /** One connect_url and the hosted flow it opened. */
    public record Flow(UUID id, UUID clientId, String tenantUserId, String psuRedirectLink, String skill, String country,
                       String type, String language, byte[] payment, String browserHash, Instant openedAt, UUID sessionId,
                       byte[] bankUrl, Instant finishedAt, Instant expiresAt) {
    }

    private final JdbcClient jdbc;

    public ConnectStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static final String COLUMNS = "id, client_id, tenant_user_id, psu_redirect_link, skill, country, type, language, "
            + "payment, browser_hash, opened_at, session_id, bank_url, finished_at, expires_at";

    private static Flow flow(ResultSet rs, int n) throws SQLException {
        return new Flow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBytes(9), rs.getString(10),
                instant(rs, 11), rs.getObject(12, UUID.class), rs.getBytes(13), instant(rs, 14), instant(rs, 15));
    }

    public void insert(Flow f, String tokenHash, Instant now) {
        jdbc.sql("insert into connect_session (" + COLUMNS + ", token_hash, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(f.id(), f.clientId(), f.tenantUserId(), f.psuRedirectLink(), f.skill(), f.country(), f.type(),
                        f.language(), f.payment(), null, null, null, null, null, ts(f.expiresAt()), tokenHash, ts(now))
                .update();
    }

    public Optional<Flow> lockByToken(String tokenHash) {
        return jdbc.sql("select " + COLUMNS + " from connect_session where token_hash = ? for update").param(tokenHash)
                .query(ConnectStore::flow).optional();
    }

    public Optional<Flow> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from connect_session where id = ?").param(id).query(ConnectStore::flow).optional();
    }

    public void open(UUID id, String browserHash, Instant now) {
        jdbc.sql("update connect_session set opened_at = ?, browser_hash = ? where id = ?").params(ts(now), browserHash, id).update();
    }

    /** Binds the engine's session; false when another request already started this flow. */
    public boolean start(UUID id, UUID sessionId) {
        return jdbc.sql("update connect_session set session_id = ? where id = ? and session_id is null and finished_at is null")
                .params(sessionId, id).update() == 1;
    }

    public void bankUrl(UUID id, byte[] sealed) {
        jdbc.sql("update connect_session set bank_url = ? where id = ?").params(sealed, id).update();
    }

    /** Ends the flow; false when it had already ended. */
    public boolean finish(UUID id, Instant now) {
        return jdbc.sql("update connect_session set finished_at = ? where id = ? and finished_at is null").params(ts(now), id).update() == 1;
    }

    /** Deletes flows that expired before {@code before}. */
    public int purge(Instant before) {
        return jdbc.sql("delete from connect_session where expires_at < ?").param(ts(before)).update();
    }
}
