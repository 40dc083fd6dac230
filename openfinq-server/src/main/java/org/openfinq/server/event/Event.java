package org.openfinq.server.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A change worth telling a tenant. {@code credentialsId} or {@code paymentId} names what changed;
 * {@code dedupeKey}, when set, makes the event told at most once.
 */
public record Event(UUID id, long seq, String type, Instant createdAt, UUID clientId, String tenantUserId, UUID credentialsId,
                    UUID paymentId, Map<String, Object> data, String dedupeKey) {

    public static final String SYNC_INITIAL_COMPLETED = "sync.initial_completed";
    public static final String TRANSACTIONS_UPDATED = "transactions.updated";
    public static final String SYNC_FAILED = "sync.failed";
    public static final String SYNC_RATE_LIMITED = "sync.rate_limited";
    public static final String CONSENT_EXPIRING = "consent.expiring";
    public static final String CONSENT_EXPIRED = "consent.expired";
    public static final String CONSENT_DELETED = "consent.deleted";
    public static final String PAYMENT_STATUS_CHANGED = "payment.status_changed";

    public static final java.util.List<String> TYPES = java.util.List.of(SYNC_INITIAL_COMPLETED, TRANSACTIONS_UPDATED,
            SYNC_FAILED, SYNC_RATE_LIMITED, CONSENT_EXPIRING, CONSENT_EXPIRED, CONSENT_DELETED, PAYMENT_STATUS_CHANGED);

    /** An event about a consent (credentials_id). */
    public static Event consent(String type, UUID clientId, String tenantUserId, UUID credentialsId, Map<String, Object> data) {
        return new Event(null, 0, type, null, clientId, tenantUserId, credentialsId, null, data, null);
    }

    /** An event about a payment. */
    public static Event payment(String type, UUID clientId, String tenantUserId, UUID paymentId, Map<String, Object> data) {
        return new Event(null, 0, type, null, clientId, tenantUserId, null, paymentId, data, null);
    }

    /** The same event, told at most once for this key. */
    public Event once(String key) {
        return new Event(id, seq, type, createdAt, clientId, tenantUserId, credentialsId, paymentId, data, key);
    }
}
