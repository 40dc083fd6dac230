package org.openfinq.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.tenant.TenantStore;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ErrorWriter;
import org.openfinq.server.web.RequestBodyFilter;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Locale;
import java.util.UUID;

/**
 * CORS for the calls that take the {@code client_app_key} (sessions, steps, uploads, catalogs, Connect start on {@code /v1}), the
 * only ones meant for client-side code. A preflight names no tenant, so it is answered when any tenant lists the
 * origin in {@code allowed_origins}; the call itself carries {@code Access-Control-Allow-Origin} only when the
 * tenant of its {@code client_id} lists the origin (a multipart upload, whose fields are not read here, when any
 * tenant does). Every other path never answers a preflight (405) and never carries CORS headers, so the calls that
 * take a {@code client_secret} can never be read by a web page of another origin.
 */
public final class BrowserOrigins extends OncePerRequestFilter {

    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    /** The client_app_key calls (POST). */
    public static final RequestMatcher APP_KEY_PATHS = new OrRequestMatcher(
            PATHS.matcher("/v1/sessions"),
            PATHS.matcher("/v1/sessions/{id}/steps"),
            PATHS.matcher("/v1/sessions/{id}/steps/{stepId}/upload"),
            PATHS.matcher("/v1/sessions/{id}/status"),
            PATHS.matcher("/v1/catalogs/skills/get"),
            PATHS.matcher("/v1/catalogs/servicers/get"),
            PATHS.matcher("/v1/connect/sessions"));

    private static final String ALLOWED_HEADERS = "Content-Type, Idempotency-Key";

    private final TenantStore tenants;
    private final ObjectMapper json;

    public BrowserOrigins(TenantStore tenants, ObjectMapper json) {
        this.tenants = tenants;
        this.json = json;
    }

    /** A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
    public static boolean isPreflight(HttpServletRequest request) {
        return HttpMethod.OPTIONS.matches(request.getMethod()) && request.getHeader("Origin") != null
                && request.getHeader("Access-Control-Request-Method") != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        boolean appKeyPath = APP_KEY_PATHS.matches(request);
        if (HttpMethod.OPTIONS.matches(request.getMethod())) {
            response.addHeader("Vary", "Origin");
            String method = request.getHeader("Access-Control-Request-Method");
            if (!appKeyPath || origin == null || !"POST".equals(method) || !tenants.anyAllowsOrigin(origin.toLowerCase(Locale.ROOT))) {
                ErrorWriter.write(request, response, new ApiException("invalid_request", 403, "cors_origin_not_allowed",
                        "Browser calls from this origin are not allowed here; a tenant's allowed_origins open the "
                                + "client_app_key calls to its origins"), json);
                return;
            }
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Methods", "POST");
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", "600");
            response.setStatus(204);
            return;
        }
        if (origin != null && appKeyPath) {
            response.addHeader("Vary", "Origin");
            if (allowed(request, origin.toLowerCase(Locale.ROOT))) {
                response.setHeader("Access-Control-Allow-Origin", origin);
            }
        }
        chain.doFilter(request, response);
    }

    private boolean allowed(HttpServletRequest request, String origin) {
        if (!(request.getAttribute(RequestBodyFilter.RAW_BODY_ATTRIBUTE) instanceof byte[] body) || body.length == 0) {
            return tenants.anyAllowsOrigin(origin);
        }
        try {
            JsonNode parsed = json.readTree(body);
            if (parsed.has("client_secret")) {
                return false; // a call with the client_secret is never answered to a web page
            }
            JsonNode client = parsed.path("client_id");
            UUID id = UUID.fromString(client.asString(""));
            return tenants.settings(id).map(s -> s.allowsOrigin(origin)).orElse(false);
        } catch (RuntimeException e) {
            return false; // the call itself will be refused with a clear error
        }
    }
}
