package org.openfinq.server.data;

import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.consent.CredentialsAuth;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantAuth;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;

/**
 * The checks every data call passes: tenant keys, the credentials_id with its own access_token, the
 * consent's own tenant_user_id, and a consent that is still active.
 */
@Component
public class DataAuth {

    static final List<String> REQUIRED = List.of("client_id", "client_secret", "credentials_id", "access_token", "tenant_user_id");

    private final TenantAuth tenants;
    private final CredentialsAuth credentials;
    private final Clock clock;

    public DataAuth(TenantAuth tenants, CredentialsAuth credentials, Clock clock) {
        this.tenants = tenants;
        this.credentials = credentials;
        this.clock = clock;
    }

    public ConsentStore.Consent check(JsonBody body, List<String> optional) {
        body.expect(REQUIRED, optional);
        Tenant tenant = tenants.withSecret(body.text("client_id"), body.text("client_secret"));
        ConsentStore.Consent c = credentials.check(tenant, body.text("credentials_id"), body.text("access_token"));
        if (!c.tenantUserId().equals(body.text("tenant_user_id"))) {
            throw ApiException.unauthorized("invalid_credentials_id", "This credentials_id belongs to another tenant_user_id");
        }
        switch (c.statusAt(clock.instant())) {
            case "EXPIRED" -> throw ApiException.unauthorized("expired_credentials", "The consent expired on " + c.consentExp());
            case "DELETED" -> throw ApiException.unauthorized("inactive_credentials", "The consent was deleted");
            default -> {
            }
        }
        return c;
    }
}
