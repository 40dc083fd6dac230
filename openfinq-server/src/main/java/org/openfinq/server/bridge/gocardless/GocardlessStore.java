package org.openfinq.server.bridge.gocardless;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;
import static org.openfinq.server.db.SqlTimes.ts;

/** SQL for {@code gocardless_secret}, {@code gocardless_agreement} and {@code gocardless_requisition} (V95). */
@Repository
class GocardlessStore {

    record Secret(UUID id, UUID clientId, String tenantUserId, String secretKeyHash, byte[] tokenKey, Instant lastUsedAt,
                  Instant revokedAt, Instant createdAt) {
    }

    record Agreement(UUID id, UUID clientId, String tenantUserId, String institutionId, int maxHistoricalDays,
                     int accessValidForDays, List<String> accessScope, Instant acceptedAt, Instant createdAt) {
    }

    record Requisition(UUID id, UUID clientId, String tenantUserId, String institutionId, String skill, UUID agreementId,
                       String redirect, String reference, String userLanguage, String status, UUID connectFlow,
                       UUID consentId, Instant expiresAt, Instant createdAt, Instant updatedAt) {
    }

    private final JdbcClient jdbc;

    GocardlessStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- secrets ---------------------------------------------------------------------------------------------

    private static Secret secret(ResultSet rs, int n) throws SQLException {
        return new Secret(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class), rs.getString("tenant_user_id"),
                rs.getString("secret_key_hash"), rs.getBytes("token_key"), instant(rs, "last_used_at"),
                instant(rs, "revoked_at"), instant(rs, "created_at"));
    }

    void insertSecret(UUID id, UUID clientId, String tenantUserId, String keyHash, byte[] tokenKey, Instant now) {
        jdbc.sql("insert into gocardless_secret (id, client_id, tenant_user_id, secret_key_hash, token_key, created_at) "
                        + "values (?, ?, ?, ?, ?, ?)")
                .params(id, clientId, tenantUserId, keyHash, tokenKey, ts(now)).update();
    }

    Optional<Secret> secret(UUID id) {
        return jdbc.sql("select * from gocardless_secret where id = ?").param(id).query(GocardlessStore::secret).optional();
    }

    List<Secret> secrets(UUID clientId) {
        return jdbc.sql("select * from gocardless_secret where client_id = ? order by created_at, id")
                .param(clientId).query(GocardlessStore::secret).list();
    }

    /** Records a token issued, at most once a minute per pair. */
    void touchSecret(UUID id, Instant now) {
        jdbc.sql("update gocardless_secret set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
                .params(ts(now), id, ts(now.minusSeconds(60))).update();
    }

    boolean revokeSecret(UUID clientId, UUID id, Instant now) {
        return jdbc.sql("update gocardless_secret set revoked_at = ? where client_id = ? and id = ? and revoked_at is null")
                .params(ts(now), clientId, id).update() == 1;
    }

    int revokeUnusedSecrets(Instant unusedSince, Instant now) {
        return jdbc.sql("update gocardless_secret set revoked_at = ? where revoked_at is null "
                        + "and coalesce(last_used_at, created_at) < ?")
                .params(ts(now), ts(unusedSince)).update();
    }

    int purgeSecrets(Instant revokedBefore) {
        return jdbc.sql("delete from gocardless_secret where revoked_at < ?").param(ts(revokedBefore)).update();
    }

    // --- agreements ------------------------------------------------------------------------------------------

    private static Agreement agreement(ResultSet rs, int n) throws SQLException {
        return new Agreement(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class), rs.getString("tenant_user_id"),
                rs.getString("institution_id"), rs.getInt("max_historical_days"), rs.getInt("access_valid_for_days"),
                Arrays.asList(rs.getString("access_scope").split(",")), instant(rs, "accepted_at"), instant(rs, "created_at"));
    }

    void insertAgreement(Agreement a) {
        jdbc.sql("insert into gocardless_agreement (id, client_id, tenant_user_id, institution_id, max_historical_days, "
                        + "access_valid_for_days, access_scope, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(a.id(), a.clientId(), a.tenantUserId(), a.institutionId(), a.maxHistoricalDays(), a.accessValidForDays(),
                        String.join(",", a.accessScope()), ts(a.createdAt())).update();
    }

    /** The agreement if it belongs to this tenant_user_id of this tenant (anything else is "not found"). */
    Optional<Agreement> agreement(UUID clientId, String tenantUserId, UUID id) {
        return jdbc.sql("select * from gocardless_agreement where id = ? and client_id = ? and tenant_user_id = ?")
                .params(id, clientId, tenantUserId).query(GocardlessStore::agreement).optional();
    }

    List<Agreement> agreements(UUID clientId, String tenantUserId, int limit, int offset) {
        return jdbc.sql("select * from gocardless_agreement where client_id = ? and tenant_user_id = ? "
                        + "order by created_at desc, id limit ? offset ?")
                .params(clientId, tenantUserId, limit, offset).query(GocardlessStore::agreement).list();
    }

    int countAgreements(UUID clientId, String tenantUserId) {
        return jdbc.sql("select count(*) from gocardless_agreement where client_id = ? and tenant_user_id = ?")
                .params(clientId, tenantUserId).query(Integer.class).single();
    }

    boolean acceptAgreement(UUID id, Instant now) {
        return jdbc.sql("update gocardless_agreement set accepted_at = ? where id = ? and accepted_at is null")
                .params(ts(now), id).update() == 1;
    }

    boolean deleteAgreement(UUID id) {
        return jdbc.sql("delete from gocardless_agreement where id = ?").param(id).update() == 1;
    }

    // --- requisitions ----------------------------------------------------------------------------------------

    private static Requisition requisition(ResultSet rs, int n) throws SQLException {
        return new Requisition(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class),
                rs.getString("tenant_user_id"), rs.getString("institution_id"), rs.getString("skill"),
                rs.getObject("agreement_id", UUID.class), rs.getString("redirect"), rs.getString("reference"),
                rs.getString("user_language"), rs.getString("status"), rs.getObject("connect_flow", UUID.class),
                rs.getObject("consent_id", UUID.class), instant(rs, "expires_at"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    /** Inserts a requisition; false when the reference is already used by this tenant_user_id. */
    boolean insertRequisition(Requisition r) {
        return jdbc.sql("insert into gocardless_requisition (id, client_id, tenant_user_id, institution_id, skill, agreement_id, "
                        + "redirect, reference, user_language, status, created_at, updated_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (client_id, tenant_user_id, reference) do nothing")
                .params(r.id(), r.clientId(), r.tenantUserId(), r.institutionId(), r.skill(), r.agreementId(), r.redirect(),
                        r.reference(), r.userLanguage(), r.status(), ts(r.createdAt()), ts(r.updatedAt())).update() == 1;
    }

    Optional<Requisition> requisition(UUID id) {
        return jdbc.sql("select * from gocardless_requisition where id = ?").param(id).query(GocardlessStore::requisition).optional();
    }

    Optional<Requisition> requisition(UUID clientId, String tenantUserId, UUID id) {
        return requisition(id).filter(r -> r.clientId().equals(clientId) && r.tenantUserId().equals(tenantUserId));
    }

    List<Requisition> requisitions(UUID clientId, String tenantUserId, int limit, int offset) {
        return jdbc.sql("select * from gocardless_requisition where client_id = ? and tenant_user_id = ? "
                        + "order by created_at desc, id limit ? offset ?")
                .params(clientId, tenantUserId, limit, offset).query(GocardlessStore::requisition).list();
    }

    /** The linked requisitions of a user (their consents hold the accounts). */
    List<Requisition> linked(UUID clientId, String tenantUserId) {
        return jdbc.sql("select * from gocardless_requisition where client_id = ? and tenant_user_id = ? and consent_id is not null "
                        + "order by created_at, id")
                .params(clientId, tenantUserId).query(GocardlessStore::requisition).list();
    }

    int countRequisitions(UUID clientId, String tenantUserId) {
        return jdbc.sql("select count(*) from gocardless_requisition where client_id = ? and tenant_user_id = ?")
                .params(clientId, tenantUserId).query(Integer.class).single();
    }

    /** Records the Connect flow the link opened, while the requisition is not linked or rejected. */
    boolean opened(UUID id, UUID flow, Instant now) {
        return jdbc.sql("update gocardless_requisition set connect_flow = ?, updated_at = ? where id = ? and status = 'CR'")
                .params(flow, ts(now), id).update() == 1;
    }

    /** CR becomes LN (with the consent) or RJ; false when it was no longer CR. */
    boolean finish(UUID id, String status, UUID consentId, Instant expiresAt, Instant now) {
        return jdbc.sql("update gocardless_requisition set status = ?, consent_id = ?, expires_at = ?, updated_at = ? "
                        + "where id = ? and status = 'CR'")
                .params(status, consentId, ts(expiresAt), ts(now), id).update() == 1;
    }

    boolean deleteRequisition(UUID id) {
        return jdbc.sql("delete from gocardless_requisition where id = ?").param(id).update() == 1;
    }

    /** Deletes never-linked requisitions created before {@code unlinkedBefore} and linked ones expired before {@code expiredBefore}. */
    int purgeRequisitions(Instant unlinkedBefore, Instant expiredBefore) {
        return jdbc.sql("delete from gocardless_requisition where (consent_id is null and created_at < ?) or expires_at < ?")
                .params(ts(unlinkedBefore), ts(expiredBefore)).update();
    }

    /** Deletes agreements created before {@code before} that no requisition refers to. */
    int purgeAgreements(Instant before) {
        return jdbc.sql("delete from gocardless_agreement a where a.created_at < ? and not exists "
                        + "(select 1 from gocardless_requisition r where r.agreement_id = a.id)")
                .param(ts(before)).update();
    }
}
