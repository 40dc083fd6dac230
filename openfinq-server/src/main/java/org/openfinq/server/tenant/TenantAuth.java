package org.openfinq.server.tenant;

import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.abuse.TenantRateLimiter;
import org.openfinq.server.db.ChangeNotices;
import org.openfinq.server.db.NoticedCache;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Checks the tenant credentials carried in a request body against the tenant's stored hashes, kept in a per-node
 * {@link NoticedCache}: a rotation or deletion on any node evicts them on every node as it commits (see
 * docs/decisions.md "Credential cache"), so a rotated key is refused everywhere within milliseconds (after the
 * rotation's grace period, if it had one). A locked-out
 * client_id or address is refused first; failures are counted; an authenticated call spends one request of
 * the tenant's rate limit.
 */
@Component
public class TenantAuth {

    private final TenantStore store;
    private final NoticedCache<UUID, TenantStore.Authenticated> tenants;
    private final AuthGuard guard;
    private final TenantRateLimiter rate;
    private final Clock clock;

    public TenantAuth(TenantStore store, ChangeNotices notices, AuthGuard guard, TenantRateLimiter rate, Clock clock) {
        this.store = store;
        this.tenants = NoticedCache.byId(notices, "tenant", 10_000);
        this.guard = guard;
        this.rate = rate;
        this.clock = clock;
    }

    /** {@code client_id} + {@code client_app_key}: calls that are safe from a client-side app. */
    public Tenant withAppKey(String clientId, String clientAppKey) {
        return authenticate(clientId, k -> k.appKeyMatches(clientAppKey, clock.instant()), "client_app_key");
    }

    /** {@code client_id} + {@code client_secret}: server-to-server calls. */
    public Tenant withSecret(String clientId, String clientSecret) {
        return authenticate(clientId, k -> k.secretMatches(clientSecret, clock.instant()), "client_secret");
    }

    private Tenant authenticate(String clientId, Predicate<TenantStore.Keys> matches, String field) {
        guard.check(clientId);
        ApiException unknown = ApiException.unauthorized("invalid_client_id", "Unknown client_id");
        UUID id = JsonBody.uuid(clientId, unknown);
        TenantStore.Authenticated t = tenants.get(id, store::findWithKeys).orElseThrow(() -> guard.failed(clientId, unknown));
        if (!matches.test(t.keys())) {
            throw guard.failed(clientId, ApiException.unauthorized("invalid_" + field, "The " + field + " is not valid for this client_id"));
        }
        rate.acquire(t.tenant().clientId());
        return t.tenant();
    }
}
