package org.openfinq.server.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.security.Bearer;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ErrorWriter;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The admin token check: {@code Authorization: Bearer <admin token>}. It runs in the security chain of
 * {@code /admin/**} (see {@code SecurityConfig}), which is the only way to reach an admin route; a request
 * it lets through is granted {@link Bearer#ADMIN}, which that chain requires.
 */
public class AdminTokenFilter extends OncePerRequestFilter {

    private final AdminToken token;
    private final ObjectMapper json;
    private final AuthGuard guard;

    public AdminTokenFilter(AdminToken token, ObjectMapper json, AuthGuard guard) {
        this.token = token;
        this.json = json;
        this.guard = guard;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!token.enabled()) {
            ErrorWriter.write(request, response, ApiException.unauthorized("invalid_api_keys",
                    "The admin HTTP API is disabled: set OPENFINQ_ADMIN_TOKEN"), json);
            return;
        }
        try {
            guard.check(request.getRemoteAddr(), null);
            if (!token.matches(Bearer.token(request))) {
                throw guard.failed(request.getRemoteAddr(), null, ApiException.unauthorized("invalid_api_keys",
                        "The admin API needs 'Authorization: Bearer <admin token>'"));
            }
        } catch (ApiException e) {
            ErrorWriter.write(request, response, e, json);
            return;
        }
        request.setAttribute(AuditLog.ACTOR_ATTRIBUTE, token.id());
        Bearer.grant("admin", Bearer.ADMIN);
        chain.doFilter(request, response);
    }
}
