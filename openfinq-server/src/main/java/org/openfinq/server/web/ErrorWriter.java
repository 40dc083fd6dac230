package org.openfinq.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.db.DatabaseDown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.UUID;

/**
 * Turns an {@link ApiException} into the error object, records its id and code on the request (for the
 * request log and metrics), and logs unexpected failures with their id.
 */
public final class ErrorWriter {

    public static final String ERROR_CODE_ATTRIBUTE = "openfinq.errorCode";
    public static final String ERROR_ID_ATTRIBUTE = "openfinq.errorId";

    private static final Logger log = LoggerFactory.getLogger(ErrorWriter.class);

    private ErrorWriter() {
    }

    public static ApiError toError(HttpServletRequest request, ApiException e) {
        ApiError error = new ApiError(UUID.randomUUID().toString(), e.type(), e.http(), e.code(), e.getMessage());
        if (request != null) {
            request.setAttribute(ERROR_CODE_ATTRIBUTE, error.code());
            request.setAttribute(ERROR_ID_ATTRIBUTE, error.id());
        }
        return error;
    }

    public static ResponseEntity<ApiError> entity(HttpServletRequest request, ApiException e) {
        ApiError error = toError(request, e);
        ResponseEntity.BodyBuilder b = ResponseEntity.status(error.http()).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfter() != null) {
            b.header(org.springframework.http.HttpHeaders.RETRY_AFTER, e.retryAfterHeader());
        }
        e.headers().forEach((name, value) -> b.header(name, value));
        return b.body(error);
    }

    public static ResponseEntity<ApiError> unexpected(HttpServletRequest request, Throwable t) {
        if (DatabaseDown.is(t)) {
            log.warn("Database unavailable: {}", DatabaseDown.describe(t));
            return entity(request, ApiException.unavailable("The service's database cannot be reached", DatabaseDown.RETRY_AFTER));
        }
        ApiException e = new ApiException("server_error", 500, "internal_server_error",
                "Unexpected server error; report the error id to the operator");
        ApiError error = toError(request, e);
        log.error("Unexpected failure, error id {}", error.id(), t);
        return ResponseEntity.status(500).contentType(MediaType.APPLICATION_JSON).body(error);
    }

    /** For filters, which run outside Spring MVC's exception handling. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ApiException e, ObjectMapper json)
            throws IOException {
        ApiError error = toError(request, e);
        response.setStatus(error.http());
        if (e.retryAfter() != null) {
            response.setHeader(org.springframework.http.HttpHeaders.RETRY_AFTER, e.retryAfterHeader());
        }
        e.headers().forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(error));
    }
}
