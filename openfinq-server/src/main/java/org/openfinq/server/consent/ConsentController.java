package org.openfinq.server.consent;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantAuth;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code POST /v1/tokens}, {@code /v1/consents/get} and {@code /v1/consents/delete}. */
@RestController
@Tag(name = "Tokens and consents")
public class ConsentController {

    private static final List<String> CONSENT_FIELDS = List.of("client_id", "client_secret", "credentials_id", "access_token");

    private final TenantAuth tenants;
    private final CredentialsAuth credentials;
    private final ConsentService consents;

    public ConsentController(TenantAuth tenants, CredentialsAuth credentials, ConsentService consents) {
        this.tenants = tenants;
        this.credentials = credentials;
        this.consents = consents;
    }

    @PostMapping({"/v1/tokens", "/v1s/tokens"})
    @Operation(summary = "Exchange a temp_token for an access_token",
            description = "Server-to-server only. The temp_token is single-use; reuse or expiry answers 401 invalid_temp_token.")
    @ApiDoc(request = ConsentApi.TokenRequest.class, response = ConsentApi.TokenResponse.class, errors = "invalid_temp_token (401)")
    public ConsentApi.TokenResponse token(JsonBody body) {
        body.expect(List.of("client_id", "client_secret", "temp_token"), List.of());
        Tenant tenant = tenants.withSecret(body.text("client_id"), body.text("client_secret"));
        return consents.exchange(tenant, body.text("temp_token"));
    }

    @PostMapping({"/v1/consents/get", "/v1s/consents/get"})
    @Operation(summary = "Get a consent's status")
    @ApiDoc(request = ConsentApi.GetRequest.class, response = ConsentApi.Envelope.class,
            errors = {"invalid_credentials_id (401)", "invalid_access_token (401)"})
    public ConsentApi.Envelope get(JsonBody body) {
        body.expect(CONSENT_FIELDS, List.of());
        Tenant tenant = tenants.withSecret(body.text("client_id"), body.text("client_secret"));
        return consents.get(tenant, credentials.check(tenant, body.text("credentials_id"), body.text("access_token")));
    }

    @PostMapping({"/v1/consents/delete", "/v1s/consents/delete"})
    @Operation(summary = "Delete a consent", description = "ACTIVE to DELETED, and revoked at the bank. Idempotent.")
    @ApiDoc(request = ConsentApi.DeleteRequest.class, response = ConsentApi.Envelope.class,
            errors = {"invalid_pcd_data_retention", "invalid_credentials_id (401)", "invalid_access_token (401)"})
    public ConsentApi.Envelope delete(JsonBody body) {
        body.expect(CONSENT_FIELDS, List.of("pcd_data_retention"));
        Integer pcd = null;
        if (body.present("pcd_data_retention")) {
            var v = body.node().get("pcd_data_retention");
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
                throw ApiException.invalid("invalid_pcd_data_retention", "pcd_data_retention must be a whole number of minutes, 0 or more");
            }
            pcd = v.intValue();
        }
        Tenant tenant = tenants.withSecret(body.text("client_id"), body.text("client_secret"));
        ConsentStore.Consent c = credentials.check(tenant, body.text("credentials_id"), body.text("access_token"));
        return consents.delete(tenant, c.id(), pcd);
    }
}
