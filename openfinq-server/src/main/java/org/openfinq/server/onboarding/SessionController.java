package org.openfinq.server.onboarding;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import java.io.IOException;
import java.io.UncheckedIOException;

/** {@code POST /v1/sessions}, {@code POST /v1/sessions/:id/steps} and the step upload. */
@RestController
@Tag(name = "Sessions")
public class SessionController {

    private final SessionService sessions;
    private final Completion completion;
    private final org.openfinq.server.signing.JwsVerifier verifier;

    private final DecoupledSca decoupled;

    public SessionController(SessionService sessions, Completion completion, org.openfinq.server.signing.JwsVerifier verifier,
                             DecoupledSca decoupled) {
        this.decoupled = decoupled;
        this.verifier = verifier;
        this.sessions = sessions;
        this.completion = completion;
    }

    @PostMapping({"/v1/sessions", "/v1s/sessions"})
    @Operation(summary = "Create session", description = "Starts an onboarding session for a skill the tenant subscribes to. "
            + "Safe from a client-side app.")
    @ApiDoc(request = SessionApi.CreateRequest.class, response = SessionApi.CreateResponse.class,
            errors = {"invalid_skill_name", "invalid_client_app_key (401)", "unauthorized_tenant (401)"})
    public SessionApi.CreateResponse create(JsonBody body) {
        return sessions.create(body);
    }

    @PostMapping({"/v1/sessions/{id}/steps", "/v1s/sessions/{id}/steps"})
    @Operation(summary = "Submit step", description = "Submits a step's data with the nonce of the previous answer. Steps come in "
            + "the skill's order; a nonce is single-use, bound to its session and valid 30 minutes.")
    @ApiDoc(request = SessionApi.StepRequest.class, response = SessionApi.StepResponse.class,
            errors = {"invalid_session_id (400, 404)", "invalid_skill_name", "invalid_step", "external_api_error codes",
                    "invalid_api_keys (401: nonce)", "invalid_client_id (401)", "idempotency_key_conflict (409)",
                    "step_conflict (409: another call of this session's step is at the bank)"})
    public SessionApi.StepResponse step(@PathVariable String id, JsonBody body, HttpServletRequest request) {
        return sessions.submit(id, body, request.getRemoteAddr(), request.getHeader("Idempotency-Key"));
    }

    @PostMapping({"/v1/sessions/{id}/status", "/v1s/sessions/{id}/status"})
    @Operation(summary = "Session status", description = "The session's status, e.g. while the end-user approves in the "
            + "bank's app (decoupled SCA: the sca or payment_intent step answered sca_approach=decoupled). Authenticated with "
            + "the nonce of the session's last answer. When a decoupled approval completed the session, the answer carries "
            + "the temp_token once. Safe from a client-side app.")
    @ApiDoc(request = SessionApi.StatusRequest.class, response = SessionApi.StatusResponse.class,
            errors = {"invalid_session_id (404)", "invalid_client_id (401)", "invalid_api_keys (401: nonce)"})
    public SessionApi.StatusResponse status(@PathVariable String id, JsonBody body) {
        return decoupled.status(id, body.text("client_id"), body.text("nonce"));
    }

    @PostMapping({"/v1/sessions/{id}/steps/{stepId}/upload", "/v1s/sessions/{id}/steps/{stepId}/upload"})
    @Operation(summary = "Upload a file for a step", description = "multipart/form-data with client_id, nonce (from the step's "
            + "answer) and file (PDF, JPEG or PNG, at most 5 MiB). Stored encrypted; ends the session with a temp_token.")
    @ApiDoc(request = SessionApi.UploadRequest.class, requestType = "multipart/form-data", response = SessionApi.StepResponse.class,
            errors = {"invalid_session_id", "invalid_step", "invalid_api_keys (401: nonce)"})
    public SessionApi.StepResponse upload(@PathVariable String id, @PathVariable String stepId, HttpServletRequest request) {
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw ApiException.invalidHeaders("Content-Type must be multipart/form-data");
        }
        JsonBody.requireStorable("client_id", multipart.getParameter("client_id"));
        JsonBody.requireStorable("nonce", multipart.getParameter("nonce"));
        MultipartFile file = multipart.getFile("file");
        if (file != null) {
            JsonBody.requireStorable("file.filename", file.getOriginalFilename());
            JsonBody.requireStorable("file.content_type", file.getContentType());
        }
        SessionService.Upload upload = null;
        if (file != null) {
            try {
                upload = new SessionService.Upload(file.getOriginalFilename(), file.getContentType(), file.getBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (request.getAttribute(org.openfinq.server.signing.SignedRequestFilter.JWS_ATTRIBUTE) instanceof org.openfinq.server.signing.CompactJws jws) {
            verifier.verify(jws, multipart.getParameter("client_id"), upload == null ? new byte[0] : upload.content(), request);
        }
        return sessions.upload(id, stepId, multipart.getParameter("client_id"), multipart.getParameter("nonce"), upload, completion);
    }
}
