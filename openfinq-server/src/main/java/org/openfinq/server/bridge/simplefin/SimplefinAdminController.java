package org.openfinq.server.bridge.simplefin;

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

/** SimpleFIN setup tokens of a tenant, for the operator (admin token). The setup token appears only in the create answer. */
@RestController
@Tag(name = "Admin: SimpleFIN bridge", description = "Operator only (admin token): SimpleFIN setup tokens for a tenant's "
        + "end-users, their state, and revocation.")
@SecurityRequirement(name = "admin")
public class SimplefinAdminController {

    private final SimplefinBridge bridge;

    public SimplefinAdminController(SimplefinBridge bridge) {
        this.bridge = bridge;
    }

    @PostMapping("/admin/tenants/{clientId}/simplefin/tokens")
    @Operation(summary = "Issue a SimpleFIN setup token", description = "For one tenant_user_id: the access URL claimed with "
            + "it reads every active consent of that user. The claim URL is built from OPENFINQ_PUBLIC_URL.")
    @ApiDoc(request = SimplefinApi.TokenRequest.class, response = SimplefinApi.Token.class, status = 201)
    public ResponseEntity<SimplefinApi.Token> issue(@PathVariable String clientId, JsonBody body) {
        body.expect(List.of("tenant_user_id"), List.of());
        return ResponseEntity.status(201).body(bridge.issue(JsonBody.tenantId(clientId), body.text("tenant_user_id")));
    }

    @GetMapping("/admin/tenants/{clientId}/simplefin/tokens")
    @Operation(summary = "List a tenant's SimpleFIN setup tokens and access URLs (no secrets)")
    @ApiDoc(response = SimplefinApi.Grant.class, array = true)
    public List<SimplefinApi.Grant> list(@PathVariable String clientId) {
        return bridge.list(JsonBody.tenantId(clientId));
    }

    @DeleteMapping("/admin/tenants/{clientId}/simplefin/tokens/{id}")
    @Operation(summary = "Revoke a SimpleFIN setup token or access URL", description = "From now on the claim URL and the "
            + "access URL answer 403.")
    @ApiDoc(status = 204)
    public ResponseEntity<Void> revoke(@PathVariable String clientId, @PathVariable String id) {
        bridge.revoke(JsonBody.tenantId(clientId), JsonBody.uuid(id, ApiException.notFound("No active SimpleFIN grant " + id + " for this tenant")));
        return ResponseEntity.noContent().build();
    }
}
