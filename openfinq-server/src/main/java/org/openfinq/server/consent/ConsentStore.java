package org.openfinq.server.consent;

import org.openfinq.server.db.ChangeNotices;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;
import static org.openfinq.server.db.SqlTimes.ts;

/** SQL for consents (the records behind a credentials_id) and the temp tokens that lead to them. */
@Repository
public class ConsentStore {

    /** A consent row; {@code bankConsent} is encrypted. */
    public record Consent(UUID id, UUID clientId, String tenantUserId, String skill, UUID servicerId, String status,
                          String accessTokenHash, byte[] bankConsent, Instant consentExp, Instant maxDataRetention,
                          Integer pcdDataRetention, Instant deletedAt, Instant bankRevokedAt, Instant createdAt,
                          Instant updatedAt) {

        /** The status as of {@code now}: an active consent past its expiry is expired. */
        public String statusAt(Instant now) {
            return status.equals("ACTIVE") && !now.isBefore(consentExp) ? "EXPIRED" : status;
        }
    }

    /** A temp token row. */
    public record TempToken(UUID sessionId, UUID consentId, UUID clientId, Instant expiresAt, Instant usedAt) {
    }

    private final JdbcClient jdbc;
    private final ChangeNotices notices;

    public ConsentStore(JdbcClient jdbc, ChangeNotices notices) {
        this.jdbc = jdbc;
        this.notices = notices;
    }

    /** This node's cached copy goes when the change commits (other nodes: the trigger's notice, V85). */
    private <T> T changed(UUID id, T result) {
        notices.changed("consent", id);
        return result;
    }

    public void insert(UUID id, UUID clientId, String tenantUserId, String skill, UUID servicerId, UUID sessionId,
                       byte[] bankConsent, Instant consentExp, Instant maxDataRetention, Instant now) {
        jdbc.sql("""
                insert into consent (id, client_id, tenant_user_id, skill, servicer_id, session_id, status, bank_consent,
                                     consent_exp, max_data_retention, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?)""")
                .params(id, clientId, tenantUserId, skill, servicerId, sessionId, bankConsent, ts(consentExp),
                        ts(maxDataRetention), ts(now), ts(now))
                .update();
    }

    public Optional<Consent> find(UUID id) {
        return jdbc.sql("select * from consent where id = ?").param(id).query(ConsentStore::consent).optional();
    }

    /** The consents of one tenant_user_id of a tenant that are active or expired (not deleted), oldest first. */
    public java.util.List<Consent> ofUser(UUID clientId, String tenantUserId) {
        return jdbc.sql("select * from consent where client_id = ? and tenant_user_id = ? and status <> 'DELETED' "
                        + "order by created_at, id")
                .params(clientId, tenantUserId).query(ConsentStore::consent).list();
    }

    public Optional<Consent> lock(UUID id) {
        return jdbc.sql("select * from consent where id = ? for update").param(id).query(ConsentStore::consent).optional();
    }

    private static Consent consent(ResultSet rs, int n) throws SQLException {
        return new Consent(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class),
                rs.getString("tenant_user_id"), rs.getString("skill"), rs.getObject("servicer_id", UUID.class),
                rs.getString("status"), rs.getString("access_token_hash"), rs.getBytes("bank_consent"),
                instant(rs, "consent_exp"), instant(rs, "max_data_retention"), rs.getObject("pcd_data_retention", Integer.class),
                instant(rs, "deleted_at"), instant(rs, "bank_revoked_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    public void setAccessToken(UUID id, String hash, Instant now) {
        jdbc.sql("update consent set access_token_hash = ?, updated_at = ? where id = ?").params(hash, ts(now), id).update();
        changed(id, null);
    }

    public void markDeleted(UUID id, Integer pcdMinutes, Instant maxDataRetention, Instant now) {
        jdbc.sql("update consent set status = 'DELETED', deleted_at = ?, pcd_data_retention = ?, max_data_retention = ?, "
                        + "updated_at = ? where id = ?")
                .params(ts(now), pcdMinutes, ts(maxDataRetention), ts(now), id)
                .update();
        changed(id, null);
    }

    public void markExpired(UUID id, Instant now) {
        jdbc.sql("update consent set status = 'EXPIRED', updated_at = ? where id = ? and status = 'ACTIVE'")
                .params(ts(now), id).update();
        changed(id, null);
    }

    /** Records the revocation at the bank; a concurrent revocation that recorded it first wins (returns false). */
    public boolean markBankRevoked(UUID id, Instant now) {
        return changed(id, jdbc.sql("update consent set bank_revoked_at = ? where id = ? and bank_revoked_at is null")
                .params(ts(now), id).update() == 1);
    }

    /** Permanently deletes the consent's cached accounts, balances and transactions, and its finished sync jobs. */
    public void deleteCachedData(UUID id) {
        jdbc.sql("delete from account where consent_id = ?").param(id).update();
        jdbc.sql("delete from sync_job where consent_id = ? and status in ('queued', 'done', 'failed')").param(id).update();
    }

    public void insertTempToken(String hash, UUID sessionId, UUID consentId, UUID clientId, Instant expiresAt) {
        jdbc.sql("insert into temp_token (token_hash, session_id, consent_id, client_id, expires_at) values (?, ?, ?, ?, ?)")
                .params(hash, sessionId, consentId, clientId, ts(expiresAt))
                .update();
    }

    public Optional<TempToken> lockTempToken(String hash) {
        return jdbc.sql("select session_id, consent_id, client_id, expires_at, used_at from temp_token "
                        + "where token_hash = ? for update")
                .param(hash)
                .query((rs, n) -> new TempToken(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), instant(rs, "expires_at"), instant(rs, "used_at")))
                .optional();
    }

    public void useTempToken(String hash, Instant now) {
        jdbc.sql("update temp_token set used_at = ? where token_hash = ?").params(ts(now), hash).update();
    }
}
