package org.openfinq.server.consent;

import io.swagger.v3.oas.annotations.media.Schema;

/** Request and response shapes of the Tokens and Consents APIs (Finqware v1). */
public final class ConsentApi {

    private ConsentApi() {
    }

    @Schema(name = "TokenRequest")
    public record TokenRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "From the end of a session; single use, valid 10 minutes") String tempToken) {
    }

    @Schema(name = "TokenResponse")
    public record TokenResponse(
            @Schema(description = "A pointer to the newly created consent resource", format = "uuid") String credentialsId,
            @Schema(description = "The authorization key of this consent; keep it server-side") String accessToken,
            @Schema(description = "When the consent expires (UTC)", example = "2020-11-03T11:22:54Z") String consentExp,
            @Schema(description = "When its cached data is removed (UTC)", example = "2020-12-03T11:22:54Z") String maxDataRetention) {
    }

    @Schema(name = "ConsentGetRequest")
    public record GetRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialsId,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String accessToken) {
    }

    @Schema(name = "ConsentDeleteRequest")
    public record DeleteRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                                @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                                @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialsId,
                                @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String accessToken,
                                @Schema(description = "Minutes the cached data is kept after deletion (>= 0; 0 = as soon as possible)") Integer pcdDataRetention) {
    }

    @Schema(name = "ConsentEnvelope")
    public record Envelope(@Schema(allowableValues = {"read", "delete"}) String opType,
                           @Schema(allowableValues = {"credentials_info", "credentials_deleted"}) String code,
                           int http,
                           @Schema(example = "Consent info retrieved") String message,
                           Result result) {
    }

    @Schema(name = "ConsentResult")
    public record Result(String clientId, String credentialsId, String consentExp, Originator originator,
                         @Schema(allowableValues = {"ACTIVE", "DELETED", "EXPIRED"}) String status,
                         TenantAppInfo tenantAppInfo, String utcCreated, String utcLastUpdate, String maxDataRetention,
                         @Schema(nullable = true, description = "Minutes the data is kept after deletion, as given on delete; "
                                 + "null unless it was given") Integer pcdDataRetention,
                         @Schema(nullable = true, description = "The account data's sync status; null for a consent without "
                                 + "account data (payments)") Sync sync) {
    }

    @Schema(name = "ConsentSync", description = "state: pending (no complete sync yet), syncing (a sync runs now), ready (the "
            + "first complete sync of every account is stored and the last sync succeeded), rate_limited (the bank refuses "
            + "calls until rate_limited_until), failed (the last sync failed; see last_error). Cached data is served in every "
            + "state. Times are UTC, null while unknown.")
    public record Sync(@Schema(allowableValues = {"pending", "syncing", "ready", "rate_limited", "failed"}) String state,
                       @Schema(nullable = true, example = "2026-11-30T14:00:00Z") String initialSyncCompletedAt,
                       @Schema(nullable = true, example = "2026-11-30T14:00:00Z") String lastSuccessAt,
                       @Schema(nullable = true, example = "2026-11-30T20:00:00Z") String nextRefreshAt,
                       @Schema(nullable = true, example = "2026-12-01T00:00:00Z") String rateLimitedUntil,
                       @Schema(nullable = true) SyncError lastError) {
    }

    @Schema(name = "ConsentSyncError")
    public record SyncError(@Schema(example = "external_api_connection_error") String code, String message,
                            @Schema(allowableValues = {"bank", "psu", "openfinq"}) String source, boolean retryable) {
    }

    @Schema(name = "ConsentOriginator")
    public record Originator(String country, String servicer, String skill) {
    }

    @Schema(name = "TenantAppInfo")
    public record TenantAppInfo(String clientId, String name) {
    }
}
