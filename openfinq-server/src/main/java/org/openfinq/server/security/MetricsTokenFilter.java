package org.openfinq.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ErrorWriter;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * {@code /metrics} needs {@code Authorization: Bearer <OPENFINQ_METRICS_TOKEN>}; without a configured token it
 * is not served at all. {@code /health} stays open.
 */
public class MetricsTokenFilter extends OncePerRequestFilter {

    private final String token;
    private final ObjectMapper json;

    public MetricsTokenFilter(String token, ObjectMapper json) {
        this.token = token == null || token.isBlank() ? null : token;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token == null) {
            ErrorWriter.write(request, response, ApiException.unauthorized("invalid_api_keys",
                    "Metrics are not served: set OPENFINQ_METRICS_TOKEN and scrape with 'Authorization: Bearer <token>'"), json);
            return;
        }
        if (!Bearer.matches(token, Bearer.token(request))) {
            ErrorWriter.write(request, response, ApiException.unauthorized("invalid_api_keys",
                    "Metrics need 'Authorization: Bearer <metrics token>'"), json);
            return;
        }
        Bearer.grant("metrics", Bearer.METRICS);
        chain.doFilter(request, response);
    }
}
