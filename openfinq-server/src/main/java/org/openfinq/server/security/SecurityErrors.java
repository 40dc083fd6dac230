package org.openfinq.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ContainerErrors;
import org.openfinq.server.web.ErrorWriter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Locale;

/**
 * The error objects of the security layer: firewall rejections (before any chain or routing, so the security
 * headers are set here) and the authorization rule's refusals (only reached if a check filter let a request
 * through without granting it anything).
 */
public final class SecurityErrors implements RequestRejectedHandler {

    private final ObjectMapper json;

    public SecurityErrors(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        Headers.apply(response);
        ApiException error = classify(request, rejected);
        if (error.http() == 405) {
            response.setHeader("Allow", String.join(", ", ContainerErrors.METHODS));
        }
        ErrorWriter.write(request, response, error, json);
    }

    public static ApiException classify(HttpServletRequest request, RequestRejectedException rejected) {
        String message = rejected.getMessage() == null ? "" : rejected.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (!ContainerErrors.METHODS.contains(request.getMethod())) {
            return ContainerErrors.methodNotAllowed(request.getMethod());
        }
        if (lower.contains("http version")) {
            return ContainerErrors.forStatus(505, request.getMethod());
        }
        if (lower.contains("header") || lower.contains("domain")) {
            return ApiException.invalidHeaders("A request header holds characters that are not allowed");
        }
        if (lower.contains("parameter")) {
            return ApiException.invalid("invalid_parameter", "A request parameter holds characters that are not allowed");
        }
        return ApiException.invalid("invalid_path", "The path is not in normal form (no ';' parameters, no encoded "
                + "'/', '\\', '.', '%' or unreserved characters, no NUL, no empty, '.' or '..' segments)");
    }

    /** A 401 with the given code for a chain whose authorization rule refused the request. */
    public AuthenticationEntryPoint unauthorized(String code, String message) {
        return (request, response, e) -> ErrorWriter.write(request, response, ApiException.unauthorized(code, message), json);
    }

    public AccessDeniedHandler denied(String code, String message) {
        return (request, response, e) -> ErrorWriter.write(request, response, ApiException.unauthorized(code, message), json);
    }
}
