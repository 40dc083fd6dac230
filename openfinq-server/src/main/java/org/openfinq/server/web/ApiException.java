package org.openfinq.server.web;

import java.util.Collection;

/**
 * A failure with a Finqware error object: {@code {id, type, http, code, message}}. The HTTP status of the
 * response always equals {@code http}. It carries no stack trace.
 */
public class ApiException extends RuntimeException {

    private final String type;
    private final int http;
    private final String code;
    private java.time.Duration retryAfter;
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

    public ApiException(String type, int http, String code, String message) {
        // no stack trace: it is an answer to the client, never logged with one, and the checks of every call build
        // their refusals ahead (filling a stack trace through the filter chain cost more than the check itself)
        super(message, null, false, false);
        this.type = type;
        this.http = http;
        this.code = code;
    }

    /** Answers with a {@code Retry-After} header (whole seconds, at least 1): trying again then may succeed. */
    public ApiException retryAfter(java.time.Duration after) {
        this.retryAfter = after;
        return this;
    }

    /** The {@code Retry-After} of the answer, or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    /** The {@code Retry-After} header value: whole seconds, rounded up, at least 1. */
    public String retryAfterHeader() {
        if (retryAfter == null) {
            return null;
        }
        long ms = retryAfter.toMillis();
        return Long.toString(Math.max(1, (ms + 999) / 1000));
    }

    /**
     * 503 {@code api_error}/{@code service_unavailable}: a dependency of the server (its database) is down for
     * now; the same request may succeed after {@code after}.
     */
    public static ApiException unavailable(String what, java.time.Duration after) {
        return new ApiException("api_error", 503, "service_unavailable", what + "; this is temporary: retry the same request after "
                + Math.max(1, after.toSeconds()) + " s").retryAfter(after);
    }

    public static ApiException invalid(String code, String message) {
        return new ApiException("invalid_request", 400, code, message);
    }

    public static ApiException invalidBody(String message) {
        return invalid("invalid_body", message);
    }

    public static ApiException invalidField(String field, String problem) {
        return invalid("invalid_field", "Invalid field '" + field + "': " + problem);
    }

    public static ApiException missingFields(Collection<String> fields) {
        return invalid("missing_fields", "Missing required fields: " + String.join(", ", fields));
    }

    public static ApiException unknownFields(Collection<String> fields) {
        return invalid("unknown_fields", "Unknown fields: " + String.join(", ", fields));
    }

    public static ApiException invalidHeaders(String message) {
        return invalid("invalid_headers", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException("invalid_request", 404, "not_found", message);
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException("unauthorized", 401, code, message);
    }

    /** Too many requests: 429 with {@code Retry-After} (whole seconds, at least 1). */
    public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiException("invalid_request", 429, "too_many_requests", message)
                .retryAfter(java.time.Duration.ofSeconds(Math.max(1, retryAfterSeconds)));
    }

    /** A response header that goes with this error (e.g. {@code RateLimit-Remaining}). */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }

    public String type() {
        return type;
    }

    public int http() {
        return http;
    }

    public String code() {
        return code;
    }
}
