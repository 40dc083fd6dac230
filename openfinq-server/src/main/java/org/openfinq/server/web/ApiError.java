package org.openfinq.server.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** The Finqware error object. */
@Schema(name = "Error", description = "Every error answer. The HTTP status equals `http`.")
public record ApiError(
        @Schema(description = "Error id; it is also in the server log line of the request", example = "0b5a4c4e-9a55-4d43-9b1e-3c2b6d2f9a10") String id,
        @Schema(description = "Generic class", allowableValues = {"invalid_request", "unauthorized", "external_api_error", "server_error"}) String type,
        @Schema(description = "HTTP status", example = "400") int http,
        @Schema(description = "Specific code", example = "missing_fields") String code,
        @Schema(description = "Developer-friendly message") String message) {
}
