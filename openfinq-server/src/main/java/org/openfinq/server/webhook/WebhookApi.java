package org.openfinq.server.webhook;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.temporal.ChronoUnit;
import java.util.List;

/** Request and response shapes of the admin webhook API. */
public final class WebhookApi {

    private WebhookApi() {
    }

    @Schema(name = "AdminCreateWebhookRequest")
    public record CreateRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "https://app.example.com/openfinq-webhooks",
            description = "https URL whose host resolves only to public addresses (unless the operator allows the host)") String url,
                                @Schema(description = "Event types to send; absent = every type") List<String> events) {
    }

    @Schema(name = "AdminWebhook")
    public record WebhookView(@Schema(format = "uuid") String id,
                              String url,
                              @Schema(nullable = true, description = "Event types sent; null = every type") List<String> events,
                              @Schema(nullable = true, description = "Signing secret (whsec_...), only in the create and rotate answers")
                              String secret,
                              @Schema(example = "2026-11-30T14:00:00Z") String createdAt) {

        public static WebhookView of(Webhooks.View v) {
            return new WebhookView(v.id().toString(), v.url(), v.events(), v.secret(),
                    v.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }

    @Schema(name = "AdminResendRequest")
    public record ResendRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid",
            description = "id of a kept event of this tenant") String eventId) {
    }

    @Schema(name = "AdminResendResult")
    public record ResendResult(@Schema(format = "uuid") String eventId,
                               @Schema(description = "Always true: the event is queued for delivery to the endpoint") boolean queued) {
    }
}
