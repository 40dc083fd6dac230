package org.openfinq.server.tenant;

import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Checks the tenant credentials carried in a request body. Every check reads the database, so a rotated
 * key is refused by every node at once.
 */
@Component
public class TenantAuth {

    private final TenantStore store;

    public TenantAuth(TenantStore store) {
        this.store = store;
    }

    /** {@code client_id} + {@code client_app_key}: calls that are safe from a client-side app. */
    public Tenant withAppKey(String clientId, String clientAppKey) {
        TenantStore.Authenticated t = store.findWithKeys(clientId(clientId)).orElseThrow(TenantAuth::unknownClient);
        if (!Secrets.matches(clientAppKey, t.keys().clientAppKeyHash())) {
            throw ApiException.unauthorized("invalid_client_app_key", "The client_app_key is not valid for this client_id");
        }
        return t.tenant();
    }

    /** {@code client_id} + {@code client_secret}: server-to-server calls. */
    public Tenant withSecret(String clientId, String clientSecret) {
        TenantStore.Authenticated t = store.findWithKeys(clientId(clientId)).orElseThrow(TenantAuth::unknownClient);
        if (!Secrets.matches(clientSecret, t.keys().clientSecretHash())) {
            throw ApiException.unauthorized("invalid_client_secret", "The client_secret is not valid for this client_id");
        }
        return t.tenant();
    }

    private static UUID clientId(String clientId) {
        return JsonBody.uuid(clientId, unknownClient());
    }

    private static ApiException unknownClient() {
        return ApiException.unauthorized("invalid_client_id", "Unknown client_id");
    }
}
