package org.openfinq.server.webhook;

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
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A tenant's webhook endpoints, for the operator (admin token). The signing secret appears only in create/rotate answers. */
@RestController
@Tag(name = "Admin: webhooks")
@SecurityRequirement(name = "admin")
public class WebhookAdminController {

    private final Webhooks webhooks;

    public WebhookAdminController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping("/admin/tenants/{clientId}/webhooks")
    @Operation(summary = "Register a webhook endpoint", description = "Deliveries follow Standard Webhooks (webhook-id, "
            + "webhook-timestamp, webhook-signature v1 HMAC-SHA256). The answer's secret is shown only here and on rotation.")
    @ApiDoc(request = WebhookApi.CreateRequest.class, response = WebhookApi.WebhookView.class, status = 201,
            errors = "invalid_webhook_url")
    public ResponseEntity<WebhookApi.WebhookView> create(@PathVariable String clientId, JsonBody body) {
        body.expect(List.of("url"), List.of("events"));
        String url = body.text("url");
        List<String> events = null;
        if (body.present("events")) {
            JsonNode node = body.node().get("events");
            if (!node.isArray() || node.isEmpty()) {
                throw ApiException.invalidField("events", "must be a non-empty array of event types");
            }
            events = new ArrayList<>();
            for (JsonNode n : node) {
                if (!n.isString()) {
                    throw ApiException.invalidField("events", "must be a non-empty array of event types");
                }
                events.add(n.stringValue());
            }
        }
        return ResponseEntity.status(201).body(WebhookApi.WebhookView.of(webhooks.create(JsonBody.tenantId(clientId), url, events)));
    }

    @GetMapping("/admin/tenants/{clientId}/webhooks")
    @Operation(summary = "List a tenant's webhook endpoints")
    @ApiDoc(response = WebhookApi.WebhookView.class, array = true)
    public List<WebhookApi.WebhookView> list(@PathVariable String clientId) {
        return webhooks.list(JsonBody.tenantId(clientId)).stream().map(WebhookApi.WebhookView::of).toList();
    }

    @DeleteMapping("/admin/tenants/{clientId}/webhooks/{id}")
    @Operation(summary = "Delete a webhook endpoint", description = "Its pending deliveries go with it.")
    @ApiDoc(status = 204)
    public ResponseEntity<Void> delete(@PathVariable String clientId, @PathVariable String id) {
        webhooks.delete(JsonBody.tenantId(clientId), endpoint(id));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/admin/tenants/{clientId}/webhooks/{id}/rotate-secret")
    @Operation(summary = "Rotate a webhook endpoint's signing secret", description = "Deliveries are signed with the new "
            + "secret from now on; the answer shows it once.")
    @ApiDoc(response = WebhookApi.WebhookView.class)
    public WebhookApi.WebhookView rotate(@PathVariable String clientId, @PathVariable String id) {
        return WebhookApi.WebhookView.of(webhooks.rotate(JsonBody.tenantId(clientId), endpoint(id)));
    }

    @PostMapping("/admin/tenants/{clientId}/webhooks/{id}/resend")
    @Operation(summary = "Re-send one event to a webhook endpoint", description = "Queues a new delivery of a kept event "
            + "(with the same webhook-id), even if it was delivered or failed before.")
    @ApiDoc(request = WebhookApi.ResendRequest.class, response = WebhookApi.ResendResult.class, status = 202)
    public ResponseEntity<WebhookApi.ResendResult> resend(@PathVariable String clientId, @PathVariable String id, JsonBody body) {
        body.expect(List.of("event_id"), List.of());
        UUID eventId = JsonBody.uuid(body.text("event_id"), ApiException.invalidField("event_id", "must be an event id (uuid)"));
        UUID queued = webhooks.resend(JsonBody.tenantId(clientId), endpoint(id), eventId);
        return ResponseEntity.status(202).body(new WebhookApi.ResendResult(queued.toString(), true));
    }


    private static UUID endpoint(String id) {
        return JsonBody.uuid(id, ApiException.notFound("No webhook endpoint " + id + " for this tenant"));
    }
}
