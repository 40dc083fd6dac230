package org.openfinq.server.catalog;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.UUID;

/** Request and response shapes of the Catalogs API. */
public final class CatalogApi {

    private CatalogApi() {
    }

    @Schema(name = "CatalogSkillsRequest")
    public record SkillsRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid") String clientId,
            @Schema(description = "From a client-side app; send this or client_secret") String clientAppKey,
            @Schema(description = "From the tenant's server; send this or client_app_key") String clientSecret,
            SkillsFilter filter) {
    }

    @Schema(name = "CatalogSkillsFilter", description = "Every element is optional; all given ones must match.")
    public record SkillsFilter(
            @Schema(description = "Country name or ISO 3166 alpha-2 code, case-insensitive", example = "RO") String country,
            @Schema(allowableValues = {"aisp", "pisp", "marketplace"}) String type,
            @Schema(allowableValues = {"sandbox", "production"}) String environment,
            @Schema(format = "uuid") String servicerId,
            @Schema(description = "Only skills the tenant subscribes to (true) or does not (false)") Boolean subscribed) {
    }

    @Schema(name = "CatalogServicersRequest")
    public record ServicersRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid") String clientId,
            @Schema(description = "From a client-side app; send this or client_secret") String clientAppKey,
            @Schema(description = "From the tenant's server; send this or client_app_key") String clientSecret,
            ServicersFilter filter) {
    }

    @Schema(name = "CatalogServicersFilter")
    public record ServicersFilter(
            @Schema(description = "Country name or ISO 3166 alpha-2 code, case-insensitive", example = "Romania") String country) {
    }

    @Schema(name = "Skill")
    public record SkillView(
            @Schema(example = "sandbox_ro_aisp_sbx_#1.0") String id,
            String name,
            @Schema(allowableValues = {"aisp", "pisp", "marketplace"}) String type,
            @Schema(allowableValues = {"sandbox", "production"}) String environment,
            UUID servicerId,
            String servicerName,
            @Schema(example = "Romania") String country,
            @Schema(example = "RO") String countryCode,
            @Schema(description = "Session steps in order; steps with the same order are alternatives") List<StepView> steps,
            boolean subscribed,
            @Schema(description = "Minutes until a consent expires (subscribed skills only)", example = "129600") Integer consentDuration,
            @Schema(description = "Minutes cached data is kept at most (subscribed skills only)", example = "172800") Integer cacheMaxDataRetention) {
    }

    @Schema(name = "SkillStep")
    public record StepView(@Schema(example = "sca") String name, @Schema(example = "1") int order) {
    }

    @Schema(name = "Servicer")
    public record ServicerView(UUID id, String name, String country, String countryCode) {
        static ServicerView of(Servicer s) {
            return new ServicerView(s.id(), s.name(), s.country(), s.countryCode());
        }
    }
}
