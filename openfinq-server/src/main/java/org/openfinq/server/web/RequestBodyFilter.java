package org.openfinq.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.http.MediaType;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body check of the JSON APIs ({@code /v1}, {@code /v1s}, {@code /admin}; it runs in their security
 * chains, see {@code SecurityConfig}): requires {@code Content-Type: application/json} (or none, read as JSON)
 * on requests with a body, reads the body once up to the configured limit, and keeps the exact bytes received on the request
 * (endpoints parse them; {@code /v1s} hashes them). Only the upload routes take {@code multipart/*}, with any
 * method; everywhere else a multipart body is refused before anything parses it.
 */
public class RequestBodyFilter extends OncePerRequestFilter {

    public static final String RAW_BODY_ATTRIBUTE = "openfinq.rawBody";
    /** The raw body's JSON tree when a filter already parsed it strictly ({@code JsonBody.tree}); endpoints reuse it. */
    public static final String PARSED_BODY_ATTRIBUTE = "openfinq.parsedBody";

    private final long limit;
    private final ObjectMapper json;
    private final RequestMatcher uploads;

    public RequestBodyFilter(OpenfinqProperties props, ObjectMapper json, RequestMatcher uploads) {
        this.limit = props.maxBodyBytes();
        this.json = json;
        this.uploads = uploads;
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String ct = request.getContentType();
        return ct != null && ct.toLowerCase().startsWith("multipart/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isMultipart(request)) {
            if (uploads.matches(request)) {
                chain.doFilter(request, response);
            } else {
                ErrorWriter.write(request, response, ApiException.invalidHeaders(
                        "Content-Type must be application/json (multipart/form-data is only taken by uploads)"), json);
            }
            return;
        }
        String m = request.getMethod();
        if (!(m.equals("POST") || m.equals("PUT") || m.equals("PATCH"))) {
            chain.doFilter(request, response);
            return;
        }
        if (hasNoBody(request)) {
            request.setAttribute(RAW_BODY_ATTRIBUTE, new byte[0]);
            chain.doFilter(request, response);
            return;
        }
        // No Content-Type at all is read as JSON (what a client that sends bytes without naming them, e.g. Python's
        // requests.post(data=...), does); any other declared type is refused: its sender meant something else.
        if (request.getContentType() != null && !isJson(request.getContentType())) {
            ErrorWriter.write(request, response, ApiException.invalidHeaders(
                    "Content-Type must be application/json (got " + (request.getContentType() == null ? "none"
                            : "'" + request.getContentType() + "'") + ")"), json);
            return;
        }
        if (request.getContentLengthLong() > limit) {
            ErrorWriter.write(request, response, tooLarge(), json);
            return;
        }
        byte[] body = request.getAttribute(RAW_BODY_ATTRIBUTE) instanceof byte[] read ? read
                : readLimited(request.getInputStream(), limit);
        if (body == null) {
            ErrorWriter.write(request, response, tooLarge(), json);
            return;
        }
        request.setAttribute(RAW_BODY_ATTRIBUTE, body);
        chain.doFilter(request, response);
    }

    /** A request without a body needs no Content-Type (e.g. an admin POST that only acts). */
    private static boolean hasNoBody(HttpServletRequest request) {
        return request.getContentLengthLong() == 0
                || (request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") == null);
    }

    private ApiException tooLarge() {
        return new ApiException("invalid_request", 413, "invalid_body", "The request body is larger than " + limit + " bytes");
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equalsIgnoreCase("application") && type.getSubtype().equalsIgnoreCase("json")
                    && (type.getCharset() == null || type.getCharset().name().equals("UTF-8"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The body, or null when it is over the limit. */
    public static byte[] readLimited(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
