package org.openfinq.server.signing;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ErrorWriter;
import org.openfinq.server.web.RequestBodyFilter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * {@code /v1s/**}: the same calls as {@code /v1}, refused with 401 before any other work unless the JWS in
 * {@code Authorization} verifies against the exact body bytes received. A multipart upload's digest covers
 * the uploaded file's bytes; it is checked by the upload itself.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
public class SignedRequestFilter extends OncePerRequestFilter {

    public static final String JWS_ATTRIBUTE = "openfinq.jws";

    private final JwsVerifier verifier;
    private final ObjectMapper json;
    private final long limit;

    public SignedRequestFilter(JwsVerifier verifier, ObjectMapper json, OpenfinqProperties props) {
        this.verifier = verifier;
        this.json = json;
        this.limit = props.maxBodyBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1s/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            SignedJWT jws = verifier.parse(request.getHeader("Authorization"));
            String type = request.getContentType();
            if (type != null && type.toLowerCase().startsWith("multipart/")) {
                request.setAttribute(JWS_ATTRIBUTE, jws);
                chain.doFilter(request, response);
                return;
            }
            byte[] body = RequestBodyFilter.readLimited(request.getInputStream(), limit);
            if (body == null) {
                throw new ApiException("invalid_request", 413, "invalid_body", "The request body is larger than " + limit + " bytes");
            }
            verifier.verify(jws, clientId(body), body);
            request.setAttribute(RequestBodyFilter.RAW_BODY_ATTRIBUTE, body);
        } catch (ApiException e) {
            ErrorWriter.write(request, response, e, json);
            return;
        }
        chain.doFilter(request, response);
    }

    private String clientId(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            JsonNode id = node == null ? null : node.get("client_id");
            return id != null && id.isString() ? id.stringValue() : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
