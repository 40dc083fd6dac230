package org.openfinq.server.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Records who did what: admin actions, consent deletions and authentication lockouts, into the append-only
 * {@code audit_event} table. Callers pass only identifiers and settings, never a secret.
 */
@Service
public class AuditLog {

    /** Request attribute naming the admin caller ({@code admin:<token id>}), set where the admin token is checked. */
    public static final String ACTOR_ATTRIBUTE = "openfinq.actor";

    private final AuditStore store;
    private final Clock clock;
    private final String defaultActor;

    /**
     * @param defaultActor who acts when no HTTP request does: {@code system} in a server, {@code cli:<user>} in
     *                     the admin CLI (which sets {@code openfinq.audit.actor})
     */
    public AuditLog(AuditStore store, Clock clock, @Value("${openfinq.audit.actor:system}") String defaultActor) {
        this.store = store;
        this.clock = clock;
        this.defaultActor = defaultActor;
    }

    /** An admin action, by the admin caller of the current request (or the CLI / the server itself). */
    public void admin(String action, UUID clientId, String target, Map<String, ?> details) {
        HttpServletRequest request = currentRequest();
        Object actor = request == null ? null : request.getAttribute(ACTOR_ATTRIBUTE);
        record(actor == null ? defaultActor : actor.toString(), action, clientId, target, address(request), details);
    }

    /** An action of a tenant app, authenticated as {@code clientId}. */
    public void client(String action, UUID clientId, String target, Map<String, ?> details) {
        record("client:" + clientId, action, clientId, target, address(currentRequest()), details);
    }

    public void record(String actor, String action, UUID clientId, String target, String address, Map<String, ?> details) {
        store.insert(clock.instant(), actor, action, clientId, target, address, details == null ? Map.of() : details);
    }

    private static String address(HttpServletRequest request) {
        return request == null ? null : request.getRemoteAddr();
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a ? a.getRequest() : null;
    }
}
