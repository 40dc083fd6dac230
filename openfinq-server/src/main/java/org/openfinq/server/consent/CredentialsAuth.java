package org.openfinq.server.consent;

import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * A credentials_id is usable only by its own tenant and only with its own access_token. Both failures
 * answer 401 without saying whether the record exists for someone else.
 */
@Component
public class CredentialsAuth {

    private final ConsentStore store;

    public CredentialsAuth(ConsentStore store) {
        this.store = store;
    }

    public ConsentStore.Consent check(Tenant tenant, String credentialsId, String accessToken) {
        ApiException unknown = ApiException.unauthorized("invalid_credentials_id", "Unknown credentials_id");
        UUID id = JsonBody.uuid(credentialsId, unknown);
        ConsentStore.Consent c = store.find(id)
                .filter(x -> x.clientId().equals(tenant.clientId()))
                .orElseThrow(() -> unknown);
        if (c.accessTokenHash() == null || !Secrets.matches(accessToken, c.accessTokenHash())) {
            throw ApiException.unauthorized("invalid_access_token", "The access_token does not belong to this credentials_id");
        }
        return c;
    }
}
