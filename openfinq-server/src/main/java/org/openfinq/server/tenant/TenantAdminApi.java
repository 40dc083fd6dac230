package org.openfinq.server.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Request and response shapes of the admin tenant API (and the admin CLI's output). */
public final class TenantAdminApi {

    private TenantAdminApi() {
    }

    @Schema(name = "AdminCreateTenantRequest")
    public record CreateRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "my-fintech") String name,
                                @Schema(description = "Skills to subscribe with default settings") List<String> skills) {
    }

    @Schema(name = "AdminRotateRequest")
    public record RotateRequest(@Schema(description = "Seconds the old value keeps working (default 0: refused at once; at most 30 days)",
            example = "86400") Long graceSeconds) {
    }

    @Schema(name = "AdminSubscribeRequest")
    public record SubscribeRequest(
            @Schema(description = "Minutes until a consent expires", example = "129600") Integer consentDuration,
            @Schema(description = "Minutes cached data is kept at most", example = "172800") Integer cacheMaxDataRetention) {
    }

    @Schema(name = "AdminTenant")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TenantView(
            UUID clientId,
            String name,
            Instant createdAt,
            List<SubscriptionView> skills,
            @Schema(description = "Shown once, on creation or rotation") String clientSecret,
            @Schema(description = "Shown once, on creation or rotation") String clientAppKey,
            @Schema(description = "The previous client_secret works until then (set by a rotation with a grace period)")
            Instant clientSecretGraceUntil,
            @Schema(description = "The previous client_app_key works until then (set by a rotation with a grace period)")
            Instant clientAppKeyGraceUntil) {

        public static TenantView of(Tenant t) {
            return new TenantView(t.clientId(), t.name(), t.createdAt().truncatedTo(ChronoUnit.SECONDS),
                    t.skills().stream().map(SubscriptionView::of).toList(), null, null, t.secretGraceUntil(), t.appKeyGraceUntil());
        }

        public static TenantView of(Tenant.Issued issued) {
            TenantView v = of(issued.tenant());
            return new TenantView(v.clientId(), v.name(), v.createdAt(), v.skills(), issued.clientSecret(), issued.clientAppKey(),
                    v.clientSecretGraceUntil(), v.clientAppKeyGraceUntil());
        }
    }

    @Schema(name = "AdminSubscription")
    public record SubscriptionView(String skill, int consentDuration, int cacheMaxDataRetention) {
        static SubscriptionView of(Tenant.Subscription s) {
            return new SubscriptionView(s.skill(), s.consentDuration(), s.cacheMaxDataRetention());
        }
    }

    @Schema(name = "AdminTenantSettings", description = "A PATCH changes the fields it names; null clears a field.")
    public record SettingsView(
            @Schema(description = "The app's name on the hosted pages and the bank's pages", example = "Acme Budget") String displayName,
            @Schema(description = "An https URL or a data:image/...;base64 URI (at most 65536 characters)") String logoUrl,
            @Schema(description = "#rrggbb", example = "#0b5fff") String brandColor,
            @Schema(description = "Allowed psu_redirect_link values: exact URLs (query ignored) or prefixes ending in '/*'; "
                    + "empty allows any") List<String> redirectUrls,
            @Schema(description = "Origins (scheme://host[:port]) allowed to call the client_app_key endpoints from a browser")
            List<String> allowedOrigins) {

        public static SettingsView of(TenantSettings s) {
            return new SettingsView(s.displayName(), s.logoUrl(), s.brandColor(), s.redirectUrls(), s.allowedOrigins());
        }
    }
}
