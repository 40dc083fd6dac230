package org.openfinq.server.bridge.simplefin;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;
import static org.openfinq.server.db.SqlTimes.ts;

/** SQL for {@code simplefin_grant}: the setup tokens issued and the access URLs they were claimed for. */
@Repository
class SimplefinStore {

    record Grant(UUID id, UUID clientId, String tenantUserId, Instant claimExpiresAt, Instant claimedAt, String username,
                 String passwordHash, Instant lastUsedAt, Instant revokedAt, Instant createdAt) {

        String state(Instant now) {
            if (revokedAt != null) {
                return "revoked";
            }
            if (claimedAt != null) {
                return "claimed";
            }
            return now.isBefore(claimExpiresAt) ? "unclaimed" : "expired";
        }
    }

    private final JdbcClient jdbc;

    SimplefinStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static Grant grant(ResultSet rs, int n) throws SQLException {
        return new Grant(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class), rs.getString("tenant_user_id"),
                instant(rs, "claim_expires_at"), instant(rs, "claimed_at"), rs.getString("username"),
                rs.getString("password_hash"), instant(rs, "last_used_at"), instant(rs, "revoked_at"), instant(rs, "created_at"));
    }

    void insert(UUID id, UUID clientId, String tenantUserId, String claimHash, Instant claimExpiresAt, Instant now) {
        jdbc.sql("insert into simplefin_grant (id, client_id, tenant_user_id, claim_hash, claim_expires_at, created_at) "
                        + "values (?, ?, ?, ?, ?, ?)")
                .params(id, clientId, tenantUserId, claimHash, ts(claimExpiresAt), ts(now))
                .update();
    }

    /** Claims an unclaimed, unexpired, unrevoked grant by its claim hash; empty when no such grant (one winner). */
    Optional<Grant> claim(String claimHash, String username, String passwordHash, Instant now) {
        return jdbc.sql("update simplefin_grant set claimed_at = ?, username = ?, password_hash = ? "
                        + "where claim_hash = ? and claimed_at is null and revoked_at is null and claim_expires_at > ? returning *")
                .params(ts(now), username, passwordHash, claimHash, ts(now))
                .query(SimplefinStore::grant).optional();
    }

    Optional<Grant> byUsername(String username) {
        return jdbc.sql("select * from simplefin_grant where username = ?").param(username).query(SimplefinStore::grant).optional();
    }

    Optional<Grant> byClaimHash(String claimHash) {
        return jdbc.sql("select * from simplefin_grant where claim_hash = ?").param(claimHash).query(SimplefinStore::grant).optional();
    }

    /** Records a read, at most once a minute per grant (keeps reads from writing on every call). */
    void touch(UUID id, Instant now) {
        jdbc.sql("update simplefin_grant set last_used_at = ? where id = ? "
                        + "and (last_used_at is null or last_used_at < ?)")
                .params(ts(now), id, ts(now.minusSeconds(60))).update();
    }

    List<Grant> list(UUID clientId) {
        return jdbc.sql("select * from simplefin_grant where client_id = ? order by created_at, id")
                .param(clientId).query(SimplefinStore::grant).list();
    }

    boolean revoke(UUID clientId, UUID id, Instant now) {
        return jdbc.sql("update simplefin_grant set revoked_at = ? where client_id = ? and id = ? and revoked_at is null")
                .params(ts(now), clientId, id).update() == 1;
    }

    /** Revokes claimed grants not read since {@code unusedSince} (or never read, claimed before it). */
    int revokeUnused(Instant unusedSince, Instant now) {
        return jdbc.sql("update simplefin_grant set revoked_at = ? where revoked_at is null and claimed_at is not null "
                        + "and coalesce(last_used_at, claimed_at) < ?")
                .params(ts(now), ts(unusedSince)).update();
    }

    /** Deletes unclaimed grants whose claim window ended before {@code now}, and grants revoked before {@code revokedBefore}. */
    int purge(Instant now, Instant revokedBefore) {
        return jdbc.sql("delete from simplefin_grant where (claimed_at is null and claim_expires_at <= ?) or revoked_at < ?")
                .params(ts(now), ts(revokedBefore)).update();
    }
}
