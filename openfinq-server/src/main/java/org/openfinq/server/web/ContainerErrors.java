package org.openfinq.server.web;

import java.util.List;

/**
 * The error object for a status the servlet container chose itself (a request it could not read or does not
 * support). A malformed request is never answered with 5xx: Tomcat's 501 (unknown method or transfer coding)
 * and 505 (HTTP version) become 405 and 400.
 */
public final class ContainerErrors {

    /** The only methods the API answers; TRACE, OPTIONS, CONNECT and made-up methods are 405. */
    public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private ContainerErrors() {
    }

    public static ApiException methodNotAllowed(String method) {
        return new ApiException("invalid_request", 405, "method_not_allowed", "The method " + printable(method)
                + " is not supported; the API answers " + String.join(", ", METHODS));
    }

    public static ApiException forStatus(int status, String method) {
        if (status == 405 || (status == 501 && !METHODS.contains(method))) {
            return methodNotAllowed(method);
        }
        return switch (status) {
            case 404 -> ApiException.notFound("No such endpoint");
            case 408 -> new ApiException("invalid_request", 408, "request_timeout", "The request was not received in time");
            case 413, 414, 431 -> new ApiException("invalid_request", status, "request_too_large",
                    "The request line, headers or body are too large");
            case 501 -> ApiException.invalidHeaders("The request uses a transfer coding or feature that is not supported");
            case 505 -> ApiException.invalid("unsupported_http_version", "Only HTTP/1.1 (and HTTP/1.0) requests are answered");
            default -> status >= 500
                    ? new ApiException("server_error", status, "internal_server_error", "The server could not answer")
                    : new ApiException("invalid_request", status, "invalid_request",
                    "The request is malformed (request line, headers, URL or body framing) and was refused before routing");
        };
    }

    private static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        String cut = s.length() > 20 ? s.substring(0, 20) + "..." : s;
        return cut.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
