package org.openfinq.server.abuse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** The operator's per-tenant request rate limit. */
@RestController
@Tag(name = "Admin: tenants")
@SecurityRequirement(name = "admin")
public class RateLimitAdminController {

    @Schema(name = "AdminRateLimitRequest")
    public record RateLimitRequest(@Schema(description = "Requests per minute; null returns to the default", example = "6000")
                                   Integer requestsPerMinute) {
    }

    @Schema(name = "AdminRateLimit")
    public record RateLimitView(UUID clientId, int requestsPerMinute,
                                @Schema(description = "Whether this is the server's default (no own setting)") boolean isDefault) {
    }

    private final RateLimits limits;

    public RateLimitAdminController(RateLimits limits) {
        this.limits = limits;
    }

    @GetMapping("/admin/tenants/{clientId}/rate-limit")
    @Operation(summary = "Show a tenant's request rate limit")
    @ApiDoc(response = RateLimitView.class)
    public RateLimitView show(@PathVariable String clientId) {
        return limits.show(id(clientId));
    }

    @PutMapping("/admin/tenants/{clientId}/rate-limit")
    @Operation(summary = "Set a tenant's request rate limit",
            description = "Takes effect on every node within a second. `{\"requests_per_minute\": null}` returns to the default.")
    @ApiDoc(request = RateLimitRequest.class, response = RateLimitView.class)
    public RateLimitView set(@PathVariable String clientId, JsonBody body) {
        body.expect(List.of(), List.of("requests_per_minute"));
        if (!body.node().has("requests_per_minute")) {
            throw ApiException.missingFields(List.of("requests_per_minute"));
        }
        Integer rate = null;
        var n = body.node().get("requests_per_minute");
        if (!n.isNull()) {
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw ApiException.invalidField("requests_per_minute", "must be a whole number from 1 to " + RateLimits.MAX + ", or null");
            }
            rate = n.intValue();
        }
        return limits.set(id(clientId), rate);
    }

    private static UUID id(String clientId) {
        return JsonBody.uuid(clientId, ApiException.notFound("No tenant with client_id " + clientId));
    }
}
