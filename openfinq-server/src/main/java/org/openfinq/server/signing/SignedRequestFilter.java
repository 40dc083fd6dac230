package org.openfinq.server.signing;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.security.Bearer;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ErrorWriter;
import org.openfinq.server.web.JsonBody;
import org.openfinq.server.web.RequestBodyFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The signature check of {@code /v1s/**}: the same calls as {@code /v1}, refused with 401 before any other
 * work unless the JWS in {@code Authorization} verifies against the body bytes received (or their compact JSON
 * form, as the Finqware docs compute the digest). It runs in the
 * security chain of {@code /v1s/**} (see {@code SecurityConfig}); a request it lets through is granted
 * {@link Bearer#SIGNED}, which that chain requires. Only the upload routes take a multipart body: its digest
 * covers the uploaded file's bytes and is checked by the upload itself.
 */
public class SignedRequestFilter extends OncePerRequestFilter {

    public static final String JWS_ATTRIBUTE = "openfinq.jws";

    private final JwsVerifier verifier;
    private final ObjectMapper json;
    private final long limit;

    private final RequestMatcher uploads;

    public SignedRequestFilter(JwsVerifier verifier, ObjectMapper json, OpenfinqProperties props, RequestMatcher uploads) {
        this.verifier = verifier;
        this.json = json;
        this.limit = props.maxBodyBytes();
        this.uploads = uploads;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            CompactJws jws = verifier.parse(request);
            String type = request.getContentType();
            if (type != null && type.toLowerCase().startsWith("multipart/") && uploads.matches(request)) {
                request.setAttribute(JWS_ATTRIBUTE, jws);
                Bearer.grant("signed-upload", Bearer.SIGNED);
                chain.doFilter(request, response);
                return;
            }
            byte[] body = RequestBodyFilter.readLimited(request.getInputStream(), limit);
            if (body == null) {
                throw new ApiException("invalid_request", 413, "invalid_body", "The request body is larger than " + limit + " bytes");
            }
            JsonNode parsed = parse(body);
            if (parsed != null) {
                request.setAttribute(RequestBodyFilter.PARSED_BODY_ATTRIBUTE, parsed);
            }
            verifier.verifyJson(jws, clientId(parsed), body, request);
            request.setAttribute(RequestBodyFilter.RAW_BODY_ATTRIBUTE, body);
            Bearer.grant("signed", Bearer.SIGNED);
        } catch (ApiException e) {
            ErrorWriter.write(request, response, e, json);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The body read by the same strict parser the endpoint uses (so both see one value; the endpoint reuses it). */
    private static JsonNode parse(byte[] body) {
        try {
            return JsonBody.tree(body);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** The body's client_id. */
    private static String clientId(JsonNode node) {
        JsonNode id = node == null ? null : node.get("client_id");
        return id != null && id.isString() ? id.stringValue() : null;
    }
}
