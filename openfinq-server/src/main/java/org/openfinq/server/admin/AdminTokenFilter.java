package org.openfinq.server.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ErrorWriter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;

/** Guards {@code /admin/**}: {@code Authorization: Bearer <admin token>}. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AdminTokenFilter extends OncePerRequestFilter {

    private final AdminToken token;
    private final ObjectMapper json;

    public AdminTokenFilter(AdminToken token, ObjectMapper json) {
        this.token = token;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/admin/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!token.enabled()) {
            ErrorWriter.write(request, response, ApiException.unauthorized("invalid_api_keys",
                    "The admin HTTP API is disabled: set OPENFINQ_ADMIN_TOKEN"), json);
            return;
        }
        String header = request.getHeader("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        if (!token.matches(presented)) {
            ErrorWriter.write(request, response, ApiException.unauthorized("invalid_api_keys",
                    "The admin API needs 'Authorization: Bearer <admin token>'"), json);
            return;
        }
        chain.doFilter(request, response);
    }
}
