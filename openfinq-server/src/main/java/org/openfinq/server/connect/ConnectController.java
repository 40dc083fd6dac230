package org.openfinq.server.connect;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Map;

/** {@code POST /v1/connect/sessions}: the tenant's server asks for a hosted Connect flow. */
@RestController
@Tag(name = "Connect")
public class ConnectController {

    @Schema(name = "ConnectSessionRequest")
    public record CreateRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
            @Schema(description = "From the tenant's server; send this or client_app_key") String clientSecret,
            @Schema(description = "From the tenant's front end (a web or mobile app); send this or client_secret. Needs "
                    + "the tenant's redirect_urls to be set; browser calls need its allowed_origins (CORS)") String clientAppKey,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String tenantUserId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Where the browser goes at the end, with "
                    + "temp_token (AIS), payment_id and status (PIS), or error and message: error=tpp_redirect_error (the bank "
                    + "step failed or the end-user denied at the bank; also session_id or payment_id), error=user_cancelled "
                    + "(the end-user cancelled on the hosted pages). Must match the tenant's redirect_urls when set.")
            String psuRedirectLink,
            @Schema(description = "Offer only this skill") String skill,
            @Schema(description = "Offer only banks of this country (ISO 3166 alpha-2)", example = "RO") String country,
            @Schema(description = "aisp (default) or pisp", example = "aisp") String type,
            @Schema(description = "en or ro; default from the browser's Accept-Language", example = "ro") String language,
            @Schema(description = "The payment_intent step's data without psu_redirect_link (group_header, payment_info, "
                    + "payment_product, psu_id); makes this a pisp flow the end-user confirms on the hosted page")
            Map<String, Object> paymentIntent) {
    }

    @Schema(name = "ConnectSession")
    public record CreateResponse(
            @Schema(description = "Open once in the end-user's browser; single use") @JsonProperty("connect_url") String connectUrl,
            @Schema(description = "The link and the flow it opens end here (15 minutes)") @JsonProperty("expires_at") Instant expiresAt) {
    }

    private final ConnectService connect;

    public ConnectController(ConnectService connect) {
        this.connect = connect;
    }

    @PostMapping("/v1/connect/sessions")
    @Operation(summary = "Start a hosted Connect flow", description = "Answers a single-use connect_url for the end-user's "
            + "browser: bank picker, consent (or payment confirmation), the bank's SCA, then the psu_redirect_link. "
            + "Uses the session engine: the flow's session and consent are like those of the sca or payment_intent steps. "
            + "The tenant's server calls it with the client_secret; a front end may call it with the client_app_key when "
            + "the tenant has set redirect_urls (and allowed_origins for browser calls).")
    @ApiDoc(request = CreateRequest.class, response = CreateResponse.class,
            errors = {"invalid_client_id", "invalid_client_secret", "invalid_client_app_key", "invalid_field", "missing_fields", "invalid_skill_name", "unauthorized_tenant"})
    public CreateResponse create(JsonBody body) {
        ConnectService.Created c = connect.create(body);
        return new CreateResponse(c.connectUrl(), c.expiresAt());
    }
}
