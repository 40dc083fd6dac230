package org.openfinq.server.signing;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** The operator's signer API: a tenant's signer identities and public keys for /v1s, and its replay guard. */
@RestController
@Tag(name = "Admin: signers")
@SecurityRequirement(name = "admin")
public class SignerAdminController {

    @Schema(name = "AdminAddSignerRequest")
    public record AddSigner(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "backend@my-project.iam.gserviceaccount.com") String identity,
                            @Schema(description = "JWKS or Google X.509 URL to fetch keys from") String keyUrl) {
    }

    @Schema(name = "AdminAddKeyRequest")
    public record AddKey(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "PEM public key, PEM X.509 certificate or JWK (RSA >= 2048 bits)") String publicKey,
                         @Schema(description = "Defaults to the JWK's kid or the key's thumbprint") String kid) {
    }

    @Schema(name = "AdminReplayGuardRequest")
    public record ReplayGuard(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Boolean enabled) {
    }

    @Schema(name = "AdminSigner")
    public record SignerView(String identity, String keyUrl, List<Map<String, Object>> keys) {
    }

    private final SignerService signers;

    public SignerAdminController(SignerService signers) {
        this.signers = signers;
    }

    @PostMapping("/admin/tenants/{clientId}/signers")
    @Operation(summary = "Register a signer identity")
    @ApiDoc(request = AddSigner.class, response = SignerView.class, status = 201)
    public ResponseEntity<Map<String, Object>> add(@PathVariable String clientId, JsonBody body) {
        body.expect(List.of("identity"), List.of("key_url"));
        return ResponseEntity.status(201).body(signers.view(signers.addSigner(JsonBody.tenantId(clientId), body.text("identity"),
                body.optText("key_url").orElse(null))));
    }

    @GetMapping("/admin/tenants/{clientId}/signers")
    @Operation(summary = "List signer identities and keys")
    @ApiDoc(response = SignerView.class, array = true)
    public List<Map<String, Object>> list(@PathVariable String clientId) {
        return signers.list(JsonBody.tenantId(clientId));
    }

    @DeleteMapping("/admin/tenants/{clientId}/signers/{identity}")
    @Operation(summary = "Remove a signer identity and its keys")
    @ApiDoc(status = 204)
    public ResponseEntity<Void> remove(@PathVariable String clientId, @PathVariable String identity) {
        signers.removeSigner(JsonBody.tenantId(clientId), identity);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/admin/tenants/{clientId}/signers/{identity}/keys")
    @Operation(summary = "Add a public key (at most 10 per signer)")
    @ApiDoc(request = AddKey.class, response = SignerView.class)
    public Map<String, Object> addKey(@PathVariable String clientId, @PathVariable String identity, JsonBody body) {
        body.expect(List.of("public_key"), List.of("kid"));
        return signers.addKey(JsonBody.tenantId(clientId), identity, body.optText("kid").orElse(null), body.text("public_key"));
    }

    @DeleteMapping("/admin/tenants/{clientId}/signers/{identity}/keys/{kid}")
    @Operation(summary = "Remove a key", description = "Refused at once on this node, within milliseconds on every other node.")
    @ApiDoc(response = SignerView.class)
    public Map<String, Object> removeKey(@PathVariable String clientId, @PathVariable String identity, @PathVariable String kid) {
        return signers.removeKey(JsonBody.tenantId(clientId), identity, kid);
    }

    @PutMapping("/admin/tenants/{clientId}/replay-guard")
    @Operation(summary = "Require a single-use jti on every /v1s request of the tenant")
    @ApiDoc(request = ReplayGuard.class, status = 204)
    public ResponseEntity<Void> replayGuard(@PathVariable String clientId, JsonBody body) {
        body.expect(List.of("enabled"), List.of());
        signers.replayGuard(JsonBody.tenantId(clientId), body.optBoolean("enabled").orElseThrow());
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/admin/tenants/{clientId}/endpoint-binding")
    @Operation(summary = "Require htm (method) and htu (path) claims naming the endpoint on every /v1s request of the tenant",
            description = "Without it, htm and htu are still checked whenever a JWS carries them.")
    @ApiDoc(request = ReplayGuard.class, status = 204)
    public ResponseEntity<Void> endpointBinding(@PathVariable String clientId, JsonBody body) {
        body.expect(List.of("enabled"), List.of());
        signers.endpointBinding(JsonBody.tenantId(clientId), body.optBoolean("enabled").orElseThrow());
        return ResponseEntity.noContent().build();
    }
}
