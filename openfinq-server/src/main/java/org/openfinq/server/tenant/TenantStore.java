package org.openfinq.server.tenant;

import org.openfinq.server.db.ChangeNotices;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.db.SqlTimes.instant;
import static org.openfinq.server.db.SqlTimes.ts;

/** SQL for tenants and subscriptions. */
@Repository
public class TenantStore {

    /** The stored hashes of a tenant's credentials, and of the previous ones while a rotation's grace period lasts. */
    public record Keys(String clientSecretHash, String clientAppKeyHash, String prevSecretHash, Instant prevSecretUntil,
                       String prevAppKeyHash, Instant prevAppKeyUntil) {

        public boolean secretMatches(String presented, Instant now) {
            return Secrets.matches(presented, clientSecretHash)
                    || (prevSecretUntil != null && now.isBefore(prevSecretUntil) && Secrets.matches(presented, prevSecretHash));
        }

        public boolean appKeyMatches(String presented, Instant now) {
            return Secrets.matches(presented, clientAppKeyHash)
                    || (prevAppKeyUntil != null && now.isBefore(prevAppKeyUntil) && Secrets.matches(presented, prevAppKeyHash));
        }
    }

    private final JdbcClient jdbc;
    private final ChangeNotices notices;

    public TenantStore(JdbcClient jdbc, ChangeNotices notices) {
        this.jdbc = jdbc;
        this.notices = notices;
    }

    /** This node's cached copy goes when the change commits (other nodes: the trigger's notice, V85). */
    private <T> T changed(UUID clientId, T result) {
        notices.changed("tenant", clientId);
        return result;
    }

    public void insert(UUID clientId, String name, String secretHash, String appKeyHash) {
        jdbc.sql("insert into tenant (client_id, name, client_secret_hash, client_app_key_hash) values (?, ?, ?, ?)")
                .params(clientId, name, secretHash, appKeyHash)
                .update();
    }

    /** A tenant with its subscriptions and key hashes, in one round trip (every authenticated call needs it). */
    public record Authenticated(Tenant tenant, Keys keys) {
    }

    private static final tools.jackson.databind.ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /** Tenants with their subscriptions (a JSON array per tenant) and key hashes. */
    private static final String SELECT = """
            select t.client_id, t.name, t.created_at, t.client_secret_hash, t.client_app_key_hash,
                   t.prev_client_secret_hash, t.prev_client_secret_until, t.prev_client_app_key_hash, t.prev_client_app_key_until,
                   coalesce((select json_agg(json_build_array(s.skill, s.consent_duration, s.cache_max_data_retention)
                                     order by s.skill)
                             from tenant_skill s where s.client_id = t.client_id), '[]')::text
            from tenant t""";

    private static Authenticated authenticated(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        List<Tenant.Subscription> subs = new java.util.ArrayList<>();
        JSON.readTree(rs.getString(10)).forEach(a -> subs.add(new Tenant.Subscription(a.get(0).asString(), a.get(1).asInt(), a.get(2).asInt())));
        Instant secretUntil = instant(rs, 7);
        Instant appKeyUntil = instant(rs, 9);
        return new Authenticated(new Tenant(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant(), List.copyOf(subs),
                secretUntil, appKeyUntil),
                new Keys(rs.getString(4), rs.getString(5), rs.getString(6), secretUntil, rs.getString(8), appKeyUntil));
    }

    public Optional<Authenticated> findWithKeys(UUID clientId) {
        return jdbc.sql(SELECT + " where t.client_id = ?").param(clientId).query(TenantStore::authenticated).optional();
    }

    public Optional<Tenant> find(UUID clientId) {
        return findWithKeys(clientId).map(Authenticated::tenant);
    }

    public List<Tenant> list() {
        return jdbc.sql(SELECT + " order by t.created_at, t.client_id").query(TenantStore::authenticated).list()
                .stream().map(Authenticated::tenant).toList();
    }

    public List<Tenant.Subscription> subscriptions(UUID clientId) {
        return jdbc.sql("select skill, consent_duration, cache_max_data_retention from tenant_skill "
                        + "where client_id = ? order by skill")
                .param(clientId)
                .query((rs, n) -> new Tenant.Subscription(rs.getString(1), rs.getInt(2), rs.getInt(3)))
                .list();
    }

    /** A new secret hash; the current one keeps working until {@code graceUntil} (null: not at all). */
    public boolean updateSecretHash(UUID clientId, String hash, Instant graceUntil) {
        return rotate("client_secret", clientId, hash, graceUntil);
    }

    public boolean updateAppKeyHash(UUID clientId, String hash, Instant graceUntil) {
        return rotate("client_app_key", clientId, hash, graceUntil);
    }

    /** @param column {@code client_secret} or {@code client_app_key} (never input) */
    private boolean rotate(String column, UUID clientId, String hash, Instant graceUntil) {
        return changed(clientId, jdbc.sql("""
                        update tenant set prev_%1$s_hash = case when ?::timestamptz is null then null else %1$s_hash end,
                                          prev_%1$s_until = ?, %1$s_hash = ?, updated_at = now()
                        where client_id = ?""".formatted(column))
                .params(ts(graceUntil), ts(graceUntil), hash, clientId).update() == 1);
    }

    public void upsertSubscription(UUID clientId, Tenant.Subscription s) {
        jdbc.sql("""
                        insert into tenant_skill (client_id, skill, consent_duration, cache_max_data_retention)
                        values (?, ?, ?, ?)
                        on conflict (client_id, skill) do update
                        set consent_duration = excluded.consent_duration,
                            cache_max_data_retention = excluded.cache_max_data_retention""")
                .params(clientId, s.skill(), s.consentDuration(), s.cacheMaxDataRetention())
                .update();
        changed(clientId, null);
    }

    public boolean deleteSubscription(UUID clientId, String skill) {
        return changed(clientId, jdbc.sql("delete from tenant_skill where client_id = ? and skill = ?").params(clientId, skill).update() == 1);
    }

    public boolean delete(UUID clientId) {
        return changed(clientId, jdbc.sql("delete from tenant where client_id = ?").param(clientId).update() == 1);
    }

    public java.util.Optional<TenantSettings> settings(UUID clientId) {
        return jdbc.sql("select display_name, logo_url, brand_color, redirect_urls, allowed_origins from tenant where client_id = ?")
                .param(clientId)
                .query((rs, n) -> new TenantSettings(rs.getString(1), rs.getString(2), rs.getString(3),
                        List.of((String[]) rs.getArray(4).getArray()), List.of((String[]) rs.getArray(5).getArray())))
                .optional();
    }

    public boolean updateSettings(UUID clientId, TenantSettings s) {
        return jdbc.sql("""
                        update tenant set display_name = ?, logo_url = ?, brand_color = ?, redirect_urls = ?::text[],
                               allowed_origins = ?::text[], updated_at = now()
                        where client_id = ?""")
                .params(s.displayName(), s.logoUrl(), s.brandColor(), pgArray(s.redirectUrls()), pgArray(s.allowedOrigins()), clientId)
                .update() == 1;
    }

    /** Whether any tenant allows browser calls from {@code origin} (a preflight names no tenant). */
    public boolean anyAllowsOrigin(String origin) {
        return jdbc.sql("select exists (select 1 from tenant where ? = any (allowed_origins))").param(origin)
                .query(Boolean.class).single();
    }

    private static String pgArray(List<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
    }
}
