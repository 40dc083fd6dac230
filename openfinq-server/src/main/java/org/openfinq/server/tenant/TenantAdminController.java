package org.openfinq.server.tenant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.openfinq.server.web.RequestBodyFilter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The operator's tenant API, guarded by the admin token. Secrets appear only in create/rotate answers. */
@RestController
@Tag(name = "Admin: tenants")
@SecurityRequirement(name = "admin")
public class TenantAdminController {

    private final TenantService tenants;

    public TenantAdminController(TenantService tenants) {
        this.tenants = tenants;
    }

    @PostMapping("/admin/tenants")
    @Operation(summary = "Create a tenant app", description = "Answers its client_id, client_secret and client_app_key, shown only here.")
    @ApiDoc(request = TenantAdminApi.CreateRequest.class, response = TenantAdminApi.TenantView.class, status = 201,
            errors = "invalid_skill_name")
    public ResponseEntity<TenantAdminApi.TenantView> create(JsonBody body) {
        body.expect(List.of("name"), List.of("skills"));
        String name = body.text("name");
        List<String> skills = skills(body);
        Tenant.Issued issued = tenants.createSubscribed(name, skills);
        return ResponseEntity.status(201).body(TenantAdminApi.TenantView.of(issued));
    }

    private static List<String> skills(JsonBody body) {
        if (!body.present("skills")) {
            return List.of();
        }
        var node = body.node().get("skills");
        if (!node.isArray()) {
            throw ApiException.invalidField("skills", "must be an array of skill ids");
        }
        return node.valueStream().map(n -> {
            if (!n.isString()) {
                throw ApiException.invalidField("skills", "must be an array of skill ids");
            }
            return n.stringValue();
        }).toList();
    }

    @GetMapping("/admin/tenants")
    @Operation(summary = "List tenant apps")
    @ApiDoc(response = TenantAdminApi.TenantView.class, array = true)
    public List<TenantAdminApi.TenantView> list() {
        return tenants.list().stream().map(TenantAdminApi.TenantView::of).toList();
    }

    @GetMapping("/admin/tenants/{clientId}")
    @Operation(summary = "Show a tenant app")
    @ApiDoc(response = TenantAdminApi.TenantView.class)
    public TenantAdminApi.TenantView show(@PathVariable String clientId) {
        return TenantAdminApi.TenantView.of(tenants.get(JsonBody.tenantId(clientId)));
    }

    @DeleteMapping("/admin/tenants/{clientId}")
    @Operation(summary = "Delete a tenant app")
    @ApiDoc(status = 204)
    public ResponseEntity<Void> delete(@PathVariable String clientId) {
        tenants.delete(JsonBody.tenantId(clientId));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/admin/tenants/{clientId}/rotate-secret")
    @Operation(summary = "Rotate the client_secret", description = "Without a body (or with `grace_seconds` 0) the old "
            + "secret is refused at once on this node and within milliseconds on every other; with `grace_seconds` it keeps working until `client_secret_grace_until`.")
    @ApiDoc(request = TenantAdminApi.RotateRequest.class, response = TenantAdminApi.TenantView.class)
    public TenantAdminApi.TenantView rotateSecret(@PathVariable String clientId, HttpServletRequest request) {
        return TenantAdminApi.TenantView.of(tenants.rotateSecret(JsonBody.tenantId(clientId), grace(request)));
    }

    @PostMapping("/admin/tenants/{clientId}/rotate-app-key")
    @Operation(summary = "Rotate the client_app_key", description = "Without a body (or with `grace_seconds` 0) the old "
            + "key is refused at once on this node and within milliseconds on every other; with `grace_seconds` it keeps working until `client_app_key_grace_until`.")
    @ApiDoc(request = TenantAdminApi.RotateRequest.class, response = TenantAdminApi.TenantView.class)
    public TenantAdminApi.TenantView rotateAppKey(@PathVariable String clientId, HttpServletRequest request) {
        return TenantAdminApi.TenantView.of(tenants.rotateAppKey(JsonBody.tenantId(clientId), grace(request)));
    }

    /** The optional body of a rotation: {@code {"grace_seconds": n}}. */
    private static Duration grace(HttpServletRequest request) {
        byte[] raw = (byte[]) request.getAttribute(RequestBodyFilter.RAW_BODY_ATTRIBUTE);
        if (raw == null || raw.length == 0) {
            return Duration.ZERO;
        }
        JsonBody body = JsonBody.parse(raw);
        body.expect(List.of(), List.of("grace_seconds"));
        return Duration.ofSeconds(body.optLong("grace_seconds").orElse(0L));
    }

    @PutMapping("/admin/tenants/{clientId}/skills/{skill}")
    @Operation(summary = "Subscribe to a skill (or change its settings)",
            description = "The skill id goes URL-encoded in the path (`#` is `%23`). The body may be `{}`.")
    @ApiDoc(request = TenantAdminApi.SubscribeRequest.class, response = TenantAdminApi.TenantView.class,
            errors = "invalid_skill_name")
    public TenantAdminApi.TenantView subscribe(@PathVariable String clientId, @PathVariable String skill, JsonBody body) {
        body.expect(List.of(), List.of("consent_duration", "cache_max_data_retention"));
        Integer duration = minutes(body, "consent_duration");
        Integer retention = minutes(body, "cache_max_data_retention");
        return TenantAdminApi.TenantView.of(tenants.subscribe(JsonBody.tenantId(clientId), skill, duration, retention));
    }

    @DeleteMapping("/admin/tenants/{clientId}/skills/{skill}")
    @Operation(summary = "Unsubscribe from a skill")
    @ApiDoc(response = TenantAdminApi.TenantView.class)
    public TenantAdminApi.TenantView unsubscribe(@PathVariable String clientId, @PathVariable String skill) {
        return TenantAdminApi.TenantView.of(tenants.unsubscribe(JsonBody.tenantId(clientId), skill));
    }

    private static Integer minutes(JsonBody body, String field) {
        return body.optLong(field).map(v -> {
            if (v <= 0 || v > Integer.MAX_VALUE) {
                throw ApiException.invalidField(field, "must be a positive number of minutes");
            }
            return v.intValue();
        }).orElse(null);
    }


    @PatchMapping("/admin/tenants/{clientId}")
    @Operation(summary = "Change a tenant app's settings", description = "Sets display_name, logo_url, brand_color, "
            + "redirect_urls and allowed_origins; a field left out keeps its value, null clears it. Answers all settings.")
    @ApiDoc(request = TenantAdminApi.SettingsView.class, response = TenantAdminApi.SettingsView.class)
    public TenantAdminApi.SettingsView patch(@PathVariable String clientId, JsonBody body) {
        body.expect(List.of(), TenantService.SettingsChange.NAMES);
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (String name : List.of("display_name", "logo_url", "brand_color")) {
            if (body.node().has(name)) {
                var node = body.node().get(name);
                if (!node.isNull() && !node.isString()) {
                    throw ApiException.invalidField(name, "must be a string or null");
                }
                fields.put(name, node.isNull() ? null : node.stringValue());
            }
        }
        for (String name : List.of("redirect_urls", "allowed_origins")) {
            if (body.node().has(name)) {
                var node = body.node().get(name);
                if (node.isNull()) {
                    fields.put(name, null);
                    continue;
                }
                if (!node.isArray() || node.valueStream().anyMatch(n -> !n.isString())) {
                    throw ApiException.invalidField(name, "must be an array of strings");
                }
                fields.put(name, node.valueStream().map(n -> n.stringValue()).toList());
            }
        }
        UUID id = JsonBody.tenantId(clientId);
        return TenantAdminApi.SettingsView.of(tenants.updateSettings(id, new TenantService.SettingsChange(fields)));
    }

    @GetMapping("/admin/tenants/{clientId}/settings")
    @Operation(summary = "Show a tenant app's settings")
    @ApiDoc(response = TenantAdminApi.SettingsView.class)
    public TenantAdminApi.SettingsView settings(@PathVariable String clientId) {
        return TenantAdminApi.SettingsView.of(tenants.settings(JsonBody.tenantId(clientId)));
    }
}
