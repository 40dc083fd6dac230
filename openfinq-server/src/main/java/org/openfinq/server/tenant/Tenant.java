package org.openfinq.server.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant app and the skills it subscribes to.
 *
 * @param secretGraceUntil the previous client_secret works until then (a rotation with a grace period), or null
 * @param appKeyGraceUntil the same for the previous client_app_key
 */
public record Tenant(UUID clientId, String name, Instant createdAt, List<Subscription> skills,
                     Instant secretGraceUntil, Instant appKeyGraceUntil) {

    /** A tenant's settings for one skill; durations are in minutes. */
    public record Subscription(String skill, int consentDuration, int cacheMaxDataRetention) {
        public static final int DEFAULT_CONSENT_DURATION = 129600;
        public static final int DEFAULT_CACHE_MAX_DATA_RETENTION = 172800;
    }

    public Optional<Subscription> subscription(String skill) {
        return skills.stream().filter(s -> s.skill().equals(skill)).findFirst();
    }

    /** A new tenant or a rotation: the plain secrets, shown once and never stored. */
    public record Issued(Tenant tenant, String clientSecret, String clientAppKey) {
    }
}
