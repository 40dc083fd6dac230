package org.openfinq.server.abuse;

import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.openfinq.server.jobs.Workers;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed authentications (bad client_secret, client_app_key, access_token, admin token or signature)
 * per client_id and per source address: after {@code openfinq.limits.auth-failures} failures within
 * {@code auth-window}, the key is locked for {@code lockout} and every request with it is answered 429
 * {@code too_many_requests} with {@code Retry-After}, before its credentials are looked at.
 * <p>
 * Counters and lockouts live in PostgreSQL, so every node counts together and the failure that goes over
 * the limit is refused on whichever node it arrives. To keep successful requests free of a database round
 * trip, each node checks them against a copy of the currently locked keys, reloaded every
 * {@code openfinq.limits.lockout-refresh} (1 s): a lockout made on another node holds here within that time.
 */
@Service
public class AuthGuard {

    private static final Logger log = LoggerFactory.getLogger(AuthGuard.class);

    private final AbuseStore store;
    private final AuditLog audit;
    private final OpenfinqProperties.Limits limits;
    private final Clock clock;
    private volatile Map<String, Instant> locked = new ConcurrentHashMap<>();

    public AuthGuard(AbuseStore store, AuditLog audit, OpenfinqProperties props, Clock clock, Workers workers,
                     @Value("${openfinq.limits.lockout-refresh:PT1S}") Duration lockoutRefresh) {
        this.store = store;
        this.audit = audit;
        this.limits = props.limits();
        this.clock = clock;
        // per node: each node's copy of the lockouts (not a cluster-wide job)
        workers.register("lockout-refresh", 1, lockoutRefresh, () -> {
            refresh();
            return false;
        });
    }

    /** Refuses (429) a request whose address or client_id is locked; called before any credential check. */
    public void check(String address, String clientId) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(addressKey(address), now), lockedUntil(clientKey(clientId), now));
        if (until != null) {
            throw refused(until, now);
        }
    }

    /** {@link #check(String, String)} with the address of the current request. */
    public void check(String clientId) {
        check(currentAddress(), clientId);
    }

    /**
     * Records a failed authentication; answers what to send: the failure itself, or 429 when the address or
     * client_id is now over its limit.
     */
    public ApiException failed(String address, String clientId, ApiException failure) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // as PostgreSQL keeps it
        Instant until = later(count(addressKey(address), null, address, now, failure),
                count(clientKey(clientId), clientId, address, now, failure));
        return until == null ? failure : refused(until, now);
    }

    /** {@link #failed(String, String, ApiException)} with the address of the current request. */
    public ApiException failed(String clientId, ApiException failure) {
        return failed(currentAddress(), clientId, failure);
    }

    /** One more failure for the key; the end of its lockout when this request must already be refused. */
    private Instant count(String key, String clientId, String address, Instant now, ApiException failure) {
        if (key == null) {
            return null;
        }
        Instant lockEnd = now.plus(limits.lockout());
        AbuseStore.Failures f;
        try {
            f = store.fail(key, now, limits.authWindow(), limits.authFailures(), lockEnd);
        } catch (RuntimeException e) {
            log.warn("Cannot count a failed authentication for {}: {}", key, e.toString());
            return null;
        }
        if (f.lockedUntil() != null && f.lockedUntil().isAfter(now)) {
            locked.put(key, f.lockedUntil());
            if (f.lockedUntil().equals(lockEnd)) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("failures", f.failures());
                details.put("locked_until", f.lockedUntil().toString());
                details.put("last_code", failure.code());
                audit.record(clientId != null ? "client:" + clientId : "address:" + address, "auth.lockout",
                        uuid(clientId), key, address, details);
                log.warn("Authentication locked out for {} until {} after {} failures", key, f.lockedUntil(), f.failures());
            }
        }
        return f.failures() > limits.authFailures() && f.lockedUntil() != null && f.lockedUntil().isAfter(now)
                ? f.lockedUntil() : null;
    }

    /** Reloads this node's copy of the lockouts (every second, on every node: see the constructor). */
    public void refresh() {
        try {
            locked = new ConcurrentHashMap<>(store.locked(clock.instant()));
        } catch (RuntimeException e) {
            log.debug("Cannot reload lockouts: {}", e.toString());
        }
    }

    private Instant lockedUntil(String key, Instant now) {
        if (key == null) {
            return null;
        }
        Instant until = locked.get(key);
        return until != null && until.isAfter(now) ? until : null;
    }

    private static ApiException refused(Instant until, Instant now) {
        long seconds = Duration.between(now, until).toMillis() / 1000 + 1;
        return ApiException.tooManyRequests("Too many failed authentications; retry after " + seconds + " s", seconds);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    static String addressKey(String address) {
        return address == null || address.isEmpty() ? null : "addr:" + address;
    }

    /** Only well-formed client ids are counted (anything else is counted by address alone). */
    static String clientKey(String clientId) {
        return uuid(clientId) == null ? null : "client:" + uuid(clientId);
    }

    private static UUID uuid(String s) {
        if (s == null || s.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String currentAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a ? a.getRequest().getRemoteAddr() : null;
    }
}
