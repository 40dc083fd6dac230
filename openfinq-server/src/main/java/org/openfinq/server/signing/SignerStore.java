package org.openfinq.server.signing;

import org.openfinq.server.db.ChangeNotices;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for signer identities, their keys, the replay guard and used jti values. */
@Repository
public class SignerStore {

    /** A signer identity of a tenant. */
    public record Signer(UUID id, UUID clientId, String identity, String keyUrl) {
    }

    /** A registered public key. */
    public record Key(String kid, String publicKeyPem, int bits, Instant createdAt) {
    }

    private final JdbcClient jdbc;
    private final ChangeNotices notices;

    public SignerStore(JdbcClient jdbc, ChangeNotices notices) {
        this.jdbc = jdbc;
        this.notices = notices;
    }

    /** This node's cached lookups of the tenant go when the change commits (other nodes: the trigger's notice, V85). */
    private <T> T changed(UUID clientId, T result) {
        notices.changed("tenant", clientId);
        return result;
    }

    /**
     * Everything a /v1s verification needs from the database, in one round trip.
     *
     * @param tenantExists whether the client_id is a tenant
     * @param signer       the signer named by iss, or null
     * @param publicKeyPem the registered key with the kid, or null
     * @param requireJti   the tenant's replay guard
     * @param requireBinding whether the tenant requires htm/htu claims
     */
    public record Lookup(boolean tenantExists, Signer signer, String publicKeyPem, boolean requireJti, boolean requireBinding) {
    }

    public Lookup lookup(UUID clientId, String identity, String kid) {
        return jdbc.sql("""
                        select t.require_jti, s.id, s.key_url, k.public_key, t.require_binding
                        from tenant t
                        left join signer s on s.client_id = t.client_id and s.identity = ?
                        left join signer_key k on k.signer_id = s.id and k.kid = ?
                        where t.client_id = ?""")
                .params(identity, kid, clientId)
                .query((rs, n) -> new Lookup(true, rs.getObject(2) == null ? null
                        : new Signer(rs.getObject(2, UUID.class), clientId, identity, rs.getString(3)), rs.getString(4), rs.getBoolean(1), rs.getBoolean(5)))
                .optional().orElse(new Lookup(false, null, null, false, false));
    }

    public Optional<Signer> signer(UUID clientId, String identity) {
        return jdbc.sql("select id, client_id, identity, key_url from signer where client_id = ? and identity = ?")
                .params(clientId, identity)
                .query((rs, n) -> new Signer(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)))
                .optional();
    }

    public List<Signer> signers(UUID clientId) {
        return jdbc.sql("select id, client_id, identity, key_url from signer where client_id = ? order by identity")
                .param(clientId)
                .query((rs, n) -> new Signer(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)))
                .list();
    }

    public Signer addSigner(UUID clientId, String identity, String keyUrl, Instant now) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into signer (id, client_id, identity, key_url, created_at) values (?, ?, ?, ?, ?) "
                        + "on conflict (client_id, identity) do update set key_url = excluded.key_url")
                .params(id, clientId, identity, keyUrl, Timestamp.from(now)).update();
        return changed(clientId, signer(clientId, identity).orElseThrow());
    }

    public boolean removeSigner(UUID clientId, String identity) {
        return changed(clientId, jdbc.sql("delete from signer where client_id = ? and identity = ?").params(clientId, identity).update() == 1);
    }

    public List<Key> keys(UUID signerId) {
        return jdbc.sql("select kid, public_key, bits, created_at from signer_key where signer_id = ? order by created_at, kid")
                .param(signerId)
                .query((rs, n) -> new Key(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getTimestamp(4).toInstant()))
                .list();
    }

    public Optional<Key> key(UUID signerId, String kid) {
        return jdbc.sql("select kid, public_key, bits, created_at from signer_key where signer_id = ? and kid = ?")
                .params(signerId, kid)
                .query((rs, n) -> new Key(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getTimestamp(4).toInstant()))
                .optional();
    }

    public int keyCount(UUID signerId) {
        return jdbc.sql("select count(*) from signer_key where signer_id = ?").param(signerId).query(Integer.class).single();
    }

    public void addKey(Signer signer, String kid, String pem, int bits, Instant now) {
        jdbc.sql("insert into signer_key (signer_id, kid, public_key, bits, created_at) values (?, ?, ?, ?, ?)")
                .params(signer.id(), kid, pem, bits, Timestamp.from(now)).update();
        changed(signer.clientId(), null);
    }

    public boolean removeKey(Signer signer, String kid) {
        return changed(signer.clientId(), jdbc.sql("delete from signer_key where signer_id = ? and kid = ?").params(signer.id(), kid).update() == 1);
    }

    public boolean setRequireBinding(UUID clientId, boolean on) {
        return changed(clientId, jdbc.sql("update tenant set require_binding = ? where client_id = ?").params(on, clientId).update() == 1);
    }

    public boolean setRequireJti(UUID clientId, boolean on) {
        return changed(clientId, jdbc.sql("update tenant set require_jti = ? where client_id = ?").params(on, clientId).update() == 1);
    }

    /** Records a jti; false when it was already used (on any node) and has not expired. */
    public boolean useJti(UUID clientId, String jtiHash, Instant expires, Instant now) {
        jdbc.sql("delete from used_jti where client_id = ? and jti_hash = ? and expires_at <= ?")
                .params(clientId, jtiHash, Timestamp.from(now)).update();
        return jdbc.sql("insert into used_jti (client_id, jti_hash, expires_at) values (?, ?, ?) on conflict do nothing")
                .params(clientId, jtiHash, Timestamp.from(expires)).update() == 1;
    }
}
