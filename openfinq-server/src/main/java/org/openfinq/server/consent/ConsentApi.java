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
                         @Schema(description = "Set once the consent was deleted with it") Integer pcdDataRetention) {
    }

    @Schema(name = "ConsentOriginator")
    public record Originator(String country, String servicer, String skill) {
    }

    @Schema(name = "TenantAppInfo")
    public record TenantAppInfo(String clientId, String name) {
    }
}
