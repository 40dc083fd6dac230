package org.openfinq.server.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

import java.io.IOException;

/**
 * One log line per call (method, path without query string, status, time, error code and id) and the
 * {@code openfinq_requests} timer per route, status and error code. Bodies, headers and query strings
 * are never logged: they carry secrets.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("openfinq.request");

    private final MeterRegistry registry;
    /** The timers by their tags, so a call records without building and looking up its meter id. */
    private final java.util.concurrent.ConcurrentHashMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    private record TimerKey(String method, String route, int status, String code) {
    }

    public RequestLogFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long nanos = System.nanoTime() - start;
            Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            String route = pattern == null ? (response.getStatus() == 404 ? "unmatched" : "other") : pattern.toString();
            Object code = request.getAttribute(ErrorWriter.ERROR_CODE_ATTRIBUTE);
            Object id = request.getAttribute(ErrorWriter.ERROR_ID_ATTRIBUTE);
            int status = response.getStatus();
            String codeTag = code == null ? "none" : code.toString();
            timers.computeIfAbsent(new TimerKey(request.getMethod(), route, status, codeTag), k -> Timer.builder("openfinq.requests")
                            .description("API calls by route, status and error code")
                            .tag("method", k.method())
                            .tag("route", k.route())
                            .tag("status", Integer.toString(k.status()))
                            .tag("code", k.code())
                            .publishPercentileHistogram()
                            .register(registry))
                    .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (log.isInfoEnabled()) {
                log.info("{} {} {} {}ms{}", request.getMethod(), loggedPath(request.getRequestURI()), response.getStatus(),
                        nanos / 1_000_000, code == null ? "" : " code=" + code + " error_id=" + id);
            }
        }
    }

    /** The path as logged: a SimpleFIN claim URL's last segment is its single-use secret, so it is left out. */
    static String loggedPath(String uri) {
        return uri != null && uri.startsWith(CLAIM_PREFIX) ? CLAIM_PREFIX + "{token}" : uri;
    }

    private static final String CLAIM_PREFIX = "/simplefin/claim/";
}
