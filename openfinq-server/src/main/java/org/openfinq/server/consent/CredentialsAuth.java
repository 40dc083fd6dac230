package org.openfinq.server.consent;

import org.openfinq.server.abuse.AuthGuard;
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
    private final AuthGuard guard;

    public CredentialsAuth(ConsentStore store, AuthGuard guard) {
        this.store = store;
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
        ConsentStore.Consent c = store.find(id)
                .filter(x -> x.clientId().equals(tenant.clientId()))
                .orElseThrow(() -> guard.failed(client, unknown));
        if (c.accessTokenHash() == null || !Secrets.matches(accessToken, c.accessTokenHash())) {
            throw guard.failed(client, ApiException.unauthorized("invalid_access_token",
                    "The access_token does not belong to this credentials_id"));
        }
        return c;
    }
}
