package org.openfinq.server.bridge.gocardless;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ErrorWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Map;

/**
 * Every failure of {@code /api/v2} in GoCardless's shape {@code {summary, detail, status_code}}: errors of the bridge
 * carry GoCardless's own summary; others (a locked-out address, the tenant's rate limit, a malformed body) get one by
 * their status. The tenant rate limit's {@code RateLimit-*} headers are also sent as {@code http_x_ratelimit_*}.
 */
@RestControllerAdvice(assignableTypes = GocardlessController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class GocardlessErrors {

    static final String TYPE = "gocardless";
    private static final Logger log = LoggerFactory.getLogger(GocardlessErrors.class);

    static GocardlessApi.Error body(ApiException e) {
        if (TYPE.equals(e.type())) {
            return new GocardlessApi.Error(e.code(), e.getMessage(), e.http());
        }
        String summary = switch (e.http()) {
            case 400 -> "Invalid request";
            case 401 -> "Authentication failed";
            case 403 -> "Forbidden";
            case 404 -> "Not found.";
            case 405 -> "Method not allowed";
            case 429 -> "Rate limit exceeded";
            case 503 -> "Service unavailable";
            default -> "Unknown error";
        };
        return new GocardlessApi.Error(summary, e.getMessage(), e.http());
    }

    /** The tenant rate limit's headers under GoCardless's names (clients pace themselves by these). */
    static void rateHeaders(Map<String, String> rateLimit, java.util.function.BiConsumer<String, String> set) {
        for (String part : new String[]{"Limit", "Remaining", "Reset"}) {
            String v = rateLimit.get("RateLimit-" + part);
            if (v != null) {
                set.accept("http_x_ratelimit_" + part.toLowerCase(java.util.Locale.ROOT), v);
            }
        }
    }

    static ResponseEntity<GocardlessApi.Error> entity(HttpServletRequest request, ApiException e) {
        request.setAttribute(ErrorWriter.ERROR_CODE_ATTRIBUTE, TYPE.equals(e.type()) ? "gocardless" : e.code());
        ResponseEntity.BodyBuilder b = ResponseEntity.status(e.http()).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfter() != null) {
            b.header(HttpHeaders.RETRY_AFTER, e.retryAfterHeader());
        }
        e.headers().forEach(b::header);
        rateHeaders(e.headers(), b::header);
        return b.body(body(e));
    }

    /** For the security filter, outside Spring MVC. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ApiException e, ObjectMapper json) throws IOException {
        ResponseEntity<GocardlessApi.Error> entity = entity(request, e);
        response.setStatus(entity.getStatusCode().value());
        entity.getHeaders().forEach((k, v) -> v.forEach(x -> response.addHeader(k, x)));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(entity.getBody()));
    }

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<GocardlessApi.Error> api(HttpServletRequest request, ApiException e) {
        return entity(request, e);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<GocardlessApi.Error> method(HttpServletRequest request, HttpRequestMethodNotSupportedException e) {
        return entity(request, GocardlessBridge.error(405, "Method not allowed", "Method \"" + e.getMethod() + "\" not allowed."));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<GocardlessApi.Error> unexpected(HttpServletRequest request, Exception e) {
        java.util.Optional<ApiException> client = org.openfinq.server.web.ApiExceptionHandler.clientError(e);
        if (client.isPresent()) {
            return entity(request, client.get());
        }
        log.error("Unexpected failure of {} {}", request.getMethod(), request.getRequestURI(), e);
        return entity(request, GocardlessBridge.error(500, "Unknown error", "An unexpected error occurred"));
    }
}
