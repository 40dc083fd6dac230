package org.openfinq.server.onboarding;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/** Request and response shapes of the Sessions API (Finqware v1). */
public final class SessionApi {

    private SessionApi() {
    }

    @Schema(name = "CreateSessionRequest")
    public record CreateRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Any string that identifies your end-user") String tenantUserId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid") String clientId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientAppKey,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "sandbox_ro_aisp_sbx_#1.0") String skill) {
    }

    @Schema(name = "CreateSessionResponse")
    public record CreateResponse(
            @Schema(description = "Single-use key for the first step; valid 30 minutes") String nonce,
            @Schema(format = "uuid") String sessionId,
            @Schema(example = "SESSION_CREATED") String status) {
    }

    @Schema(name = "SubmitStepRequest")
    public record StepRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid") String clientId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "From the previous answer") String nonce,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String skill,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "sca") String step,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The step's payload; its shape depends on the step "
                    + "(sca: psu_redirect_link, psu_id, history_days; sca_implicit: psu_id, history_days; product_form: value, "
                    + "currency, period; applicant: first_name, last_name, email, birth_date, phone, national_id; "
                    + "documents: document_type)") Map<String, Object> data) {
    }

    @Schema(name = "StepResponse")
    public record StepResponse(
            @Schema(format = "uuid", description = "Use it for more input to this step, e.g. an upload") String stepId,
            @Schema(description = "Key for the next step or upload; null when the session is completed") String nonce,
            @Schema(allowableValues = {"SESSION_IN_PROGRESS", "SESSION_COMPLETED"}) String status,
            @Schema(description = "sca: {headers, method, url} to open, or for a bank that asks in its app "
                    + "{sca_approach: decoupled, message, status_url}; the last step: {temp_token}") Map<String, Object> data) {
    }

    @Schema(name = "SessionStatusRequest")
    public record StatusRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid") String clientId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The nonce of the session's last answer; "
                    + "reads do not use it up, except the one that answers the temp_token") String nonce) {
    }

    @Schema(name = "SessionStatusResponse")
    public record StatusResponse(
            @Schema(format = "uuid") String sessionId,
            @Schema(allowableValues = {"SESSION_CREATED", "SESSION_IN_PROGRESS", "SESSION_COMPLETED", "SESSION_FAILED",
                    "SESSION_EXPIRED"}) String status,
            @Schema(description = "{awaiting: bank} while the end-user approves at the bank; {temp_token} once, when a "
                    + "decoupled approval completed the session; {error, message} when it failed") Map<String, Object> data) {
    }

    @Schema(name = "StepUploadRequest", description = "multipart/form-data")
    public record UploadRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String nonce,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", format = "binary",
                    description = "PDF, JPEG or PNG, at most 5 MiB") String file) {
    }
}
