package org.openfinq.server.tenant;

import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.abuse.TenantRateLimiter;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Checks the tenant credentials carried in a request body. Every check reads the database, so a rotated
 * key is refused by every node at once (after the rotation's grace period, if it had one). A locked-out
 * client_id or address is refused first; failures are counted; an authenticated call spends one request of
 * the tenant's rate limit.
 */
@Component
public class TenantAuth {

    private final TenantStore store;
    private final AuthGuard guard;
    private final TenantRateLimiter rate;
    private final Clock clock;

    public TenantAuth(TenantStore store, AuthGuard guard, TenantRateLimiter rate, Clock clock) {
        this.store = store;
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
        TenantStore.Authenticated t = store.findWithKeys(id).orElseThrow(() -> guard.failed(clientId, unknown));
        if (!matches.test(t.keys())) {
            throw guard.failed(clientId, ApiException.unauthorized("invalid_" + field, "The " + field + " is not valid for this client_id"));
        }
        rate.acquire(t.tenant().clientId());
        return t.tenant();
    }
}
