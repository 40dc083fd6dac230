package org.openfinq.server.webhook;

import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.event.Event;
import org.openfinq.server.event.Events;
import org.openfinq.server.tenant.TenantService;
import org.openfinq.server.web.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's webhook endpoints: registration (URL checked against SSRF), listing, deletion, secret rotation and
 * re-sending one event. The signing secret ({@code whsec_} + base64 of 24 random bytes) is shown once and stored
 * AES-256-GCM encrypted, since every delivery is signed with it.
 */
@Service
public class Webhooks {

    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String SECRET_PREFIX = "whsec_";

    /** An endpoint as shown; {@code secret} only right after creation or rotation. */
    public record View(UUID id, String url, List<String> events, String secret, java.time.Instant createdAt) {
    }

    private final WebhookStore store;
    private final DataCipher cipher;
    private final UrlGuard guard;
    private final Events events;
    private final TenantService tenants;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public Webhooks(WebhookStore store, DataCipher cipher, UrlGuard guard, Events events, TenantService tenants,
                    AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.guard = guard;
        this.events = events;
        this.tenants = tenants;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public View create(UUID clientId, String url, List<String> types) {
        tenants.get(clientId);
        try {
            guard.check(url);
        } catch (UrlGuard.Refused e) {
            throw ApiException.invalid("invalid_webhook_url", "url " + e.getMessage());
        }
        if (types != null) {
            for (String t : types) {
                if (!Event.TYPES.contains(t)) {
                    throw ApiException.invalidField("events", "must hold only " + String.join(", ", Event.TYPES));
                }
            }
        }
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        java.time.Instant now = clock.instant();
        List<String> kept = types == null ? null : List.copyOf(new java.util.LinkedHashSet<>(types));
        tx.executeWithoutResult(s -> {
            store.insert(new WebhookStore.Endpoint(id, clientId, url, kept, cipher.encrypt(secret, context(id)),
                    events.lastSeq(clientId), now));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("url", url);
            details.put("events", kept == null ? "all" : kept);
            audit.admin("webhook.create", clientId, id.toString(), details);
        });
        return new View(id, url, kept, secret, now);
    }

    public List<View> list(UUID clientId) {
        tenants.get(clientId);
        return store.list(clientId).stream().map(e -> new View(e.id(), e.url(), e.events(), null, e.createdAt())).toList();
    }

    public void delete(UUID clientId, UUID id) {
        tx.executeWithoutResult(s -> {
            if (!store.delete(clientId, id)) {
                throw notFound(id);
            }
            audit.admin("webhook.delete", clientId, id.toString(), Map.of());
        });
    }

    public View rotate(UUID clientId, UUID id) {
        String secret = newSecret();
        WebhookStore.Endpoint e = tx.execute(s -> {
            if (!store.updateSecret(clientId, id, cipher.encrypt(secret, context(id)))) {
                throw notFound(id);
            }
            audit.admin("webhook.rotate_secret", clientId, id.toString(), Map.of());
            return store.find(clientId, id).orElseThrow();
        });
        return new View(e.id(), e.url(), e.events(), secret, e.createdAt());
    }

    /** Queues one kept event for delivery to the endpoint again (even if delivered before). */
    public UUID resend(UUID clientId, UUID id, UUID eventId) {
        WebhookStore.Endpoint e = store.find(clientId, id).orElseThrow(() -> notFound(id));
        Event event = events.find(clientId, eventId)
                .orElseThrow(() -> ApiException.notFound("No event " + eventId + " of this tenant is kept"));
        tx.executeWithoutResult(s -> {
            store.enqueue(e.id(), event.id(), Events.json(event), clock.instant());
            audit.admin("webhook.resend", clientId, id.toString(), Map.of("event_id", eventId.toString()));
        });
        return event.id();
    }

    static ApiException notFound(UUID id) {
        return ApiException.notFound("No webhook endpoint " + id + " for this tenant");
    }

    static String context(UUID endpointId) {
        return "webhook:" + endpointId;
    }

    private static String newSecret() {
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    /** {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} keyed with the decoded part of {@code whsec_...}. */
    public static String sign(String secret, String msgId, long timestamp, String body) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((msgId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
