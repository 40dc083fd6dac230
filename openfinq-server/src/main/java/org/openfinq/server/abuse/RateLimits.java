package org.openfinq.server.abuse;

import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.tenant.TenantService;
import org.openfinq.server.web.ApiException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Per-tenant request rate settings, shared by the admin HTTP API and the admin CLI. */
@Service
public class RateLimits {

    public static final int MAX = 10_000_000;

    private final AbuseStore store;
    private final TenantRateLimiter limiter;
    private final AuditLog audit;
    private final int defaultRate;
    private final TenantService tenants;

    public RateLimits(AbuseStore store, TenantRateLimiter limiter, AuditLog audit, OpenfinqProperties props, TenantService tenants) {
        this.tenants = tenants;
        this.store = store;
        this.limiter = limiter;
        this.audit = audit;
        this.defaultRate = props.limits().tenantRate();
    }

    public RateLimitAdminController.RateLimitView show(UUID clientId) {
        tenants.get(clientId);
        return store.rate(clientId).map(r -> new RateLimitAdminController.RateLimitView(clientId, r, false))
                .orElseGet(() -> new RateLimitAdminController.RateLimitView(clientId, defaultRate, true));
    }

    public RateLimitAdminController.RateLimitView set(UUID clientId, Integer perMinute) {
        if (perMinute != null && (perMinute < 1 || perMinute > MAX)) {
            throw ApiException.invalidField("requests_per_minute", "must be a whole number from 1 to " + MAX + ", or null");
        }
        try {
            store.setRate(clientId, perMinute);
        } catch (DataIntegrityViolationException e) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
        limiter.forget(clientId);
        Map<String, Object> details = new HashMap<>();
        details.put("requests_per_minute", perMinute);
        audit.admin("tenant.rate_limit", clientId, null, details);
        return show(clientId);
    }
}
