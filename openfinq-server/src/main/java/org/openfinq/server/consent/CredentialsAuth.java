package org.openfinq.server.consent;

import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.db.ChangeNotices;
import org.openfinq.server.db.NoticedCache;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * A credentials_id is usable only by its own tenant and only with its own access_token. Both failures
 * answer 401 without saying whether the record exists for someone else, and count as failed
 * authentications of the tenant (see {@link AuthGuard}).
 */
@Component
public class CredentialsAuth {

    private final ConsentStore store;
    private final NoticedCache<UUID, ConsentStore.Consent> consents;
    private final AuthGuard guard;

    public CredentialsAuth(ConsentStore store, ChangeNotices notices, AuthGuard guard) {
        this.store = store;
        // every change of a consent row (a new access_token, a deletion, an expiry) evicts it on every node
        this.consents = NoticedCache.byId(notices, "consent", 100_000);
        this.guard = guard;
    }

    public ConsentStore.Consent check(Tenant tenant, String credentialsId, String accessToken) {
        String client = tenant.clientId().toString();
        ApiException unknown = ApiException.unauthorized("invalid_credentials_id", "Unknown credentials_id");
        UUID id;
        try {
            id = JsonBody.uuid(credentialsId, unknown);
        } catch (ApiException e) {
            throw guard.failed(client, e);
        }
        ConsentStore.Consent c = consents.get(id, store::find)
                .filter(x -> x.clientId().equals(tenant.clientId()))
                .orElseThrow(() -> guard.failed(client, unknown));
        if (c.accessTokenHash() == null || !Secrets.matches(accessToken, c.accessTokenHash())) {
            throw guard.failed(client, ApiException.unauthorized("invalid_access_token",
                    "The access_token does not belong to this credentials_id"));
        }
        return c;
    }
}
