package org.openfinq.server.bridge.gocardless;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** GoCardless secret pairs of a tenant, for the operator (admin token). The secret_key appears only in the create answer. */
@RestController
@Tag(name = "Admin: GoCardless bridge", description = "Operator only (admin token): GoCardless Bank Account Data secret "
        + "pairs (secret_id, secret_key) for a tenant's end-users, their state, and revocation.")
@SecurityRequirement(name = "admin")
public class GocardlessAdminController {

    private final GocardlessBridge bridge;

    public GocardlessAdminController(GocardlessBridge bridge) {
        this.bridge = bridge;
    }

    @PostMapping("/admin/tenants/{clientId}/gocardless/secrets")
    @Operation(summary = "Issue a GoCardless secret pair", description = "For one tenant_user_id: the pair's tokens create "
            + "and read that user's requisitions under /api/v2. The secret_key is shown only here.")
    @ApiDoc(request = GocardlessApi.SecretRequest.class, response = GocardlessApi.Secret.class, status = 201)
    public ResponseEntity<GocardlessApi.Secret> issue(@PathVariable String clientId, JsonBody body) {
        body.expect(List.of("tenant_user_id"), List.of());
        return ResponseEntity.status(201).body(bridge.issue(JsonBody.tenantId(clientId), body.text("tenant_user_id")));
    }

    @GetMapping("/admin/tenants/{clientId}/gocardless/secrets")
    @Operation(summary = "List a tenant's GoCardless secret pairs (no secrets)")
    @ApiDoc(response = GocardlessApi.SecretInfo.class, array = true)
    public List<GocardlessApi.SecretInfo> list(@PathVariable String clientId) {
        return bridge.list(JsonBody.tenantId(clientId));
    }

    @DeleteMapping("/admin/tenants/{clientId}/gocardless/secrets/{id}")
    @Operation(summary = "Revoke a GoCardless secret pair", description = "token/new refuses it and its tokens answer 401 "
            + "from now on; the user's requisitions stay (a new pair of the same user sees them).")
    @ApiDoc(status = 204)
    public ResponseEntity<Void> revoke(@PathVariable String clientId, @PathVariable String id) {
        bridge.revoke(JsonBody.tenantId(clientId), JsonBody.uuid(id, ApiException.notFound("No active GoCardless secret " + id + " for this tenant")));
        return ResponseEntity.noContent().build();
    }
}
