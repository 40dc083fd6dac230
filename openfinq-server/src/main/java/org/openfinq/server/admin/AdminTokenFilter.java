package org.openfinq.server.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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

    public AdminTokenFilter(AdminToken token, ObjectMapper json) {
        this.token = token;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!token.enabled()) {
            ErrorWriter.write(request, response, ApiException.unauthorized("invalid_api_keys",
                    "The admin HTTP API is disabled: set OPENFINQ_ADMIN_TOKEN"), json);
            return;
        }
        if (!token.matches(Bearer.token(request))) {
            ErrorWriter.write(request, response, ApiException.unauthorized("invalid_api_keys",
                    "The admin API needs 'Authorization: Bearer <admin token>'"), json);
            return;
        }
        Bearer.grant("admin", Bearer.ADMIN);
        chain.doFilter(request, response);
    }
}
