package org.openfinq.server.bridge.gocardless;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.security.Bearer;
import org.openfinq.server.web.ApiException;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Optional;

/**
 * The access token check of {@code /api/v2} (see {@code SecurityConfig}): every route but {@code token/} and the
 * requisition {@code link/} pages needs {@code Authorization: Bearer <access JWT>} of a pair that is not revoked,
 * and is then granted {@link #AUTHORITY}, which those routes require. A wrong token answers GoCardless's 401
 * "Invalid token" and counts towards the per-address lockout.
 */
public class GocardlessAuthFilter extends jakarta.servlet.http.HttpFilter {

    public static final String AUTHORITY = "openfinq:gocardless";
    public static final String TOKEN = GocardlessBridge.ROOT + "/token/";
    public static final String LINK = GocardlessBridge.ROOT + "/link/";
    static final String CALLER = "openfinq.gocardless.caller";

    private final GocardlessBridge bridge;
    private final AuthGuard guard;
    private final ObjectMapper json;

    public GocardlessAuthFilter(GocardlessBridge bridge, AuthGuard guard, ObjectMapper json) {
        this.bridge = bridge;
        this.guard = guard;
        this.json = json;
    }

    /** Routes that need no access token. */
    public static boolean open(String uri) {
        return uri.startsWith(TOKEN) || uri.startsWith(LINK);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (open(org.openfinq.server.web.RoutedPath.of(request))) {
            chain.doFilter(request, response);
            return;
        }
        try {
            guard.check(request.getRemoteAddr(), null);
            String token = Bearer.token(request);
            Optional<GocardlessBridge.Caller> caller = token == null ? Optional.empty() : bridge.authenticate(token);
            if (caller.isEmpty()) {
                throw guard.failed(request.getRemoteAddr(), null, GocardlessBridge.invalidToken());
            }
            request.setAttribute(CALLER, caller.get());
            Bearer.grant("gocardless:" + caller.get().secretId(), AUTHORITY);
        } catch (ApiException e) {
            GocardlessErrors.write(request, response, e, json);
            return;
        }
        chain.doFilter(request, response);
    }
}
