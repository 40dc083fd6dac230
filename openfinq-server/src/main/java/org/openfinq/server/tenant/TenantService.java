package org.openfinq.server.tenant;

import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.web.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Tenant management, shared by the admin HTTP API, the admin CLI and the demo tenant. */
@Service
public class TenantService {

    /** The longest grace period a rotation may give the old value. */
    public static final Duration MAX_GRACE = Duration.ofDays(30);

    private final TenantStore store;
    private final Catalog catalog;
    private final AuditLog audit;
    private final Clock clock;

    public TenantService(TenantStore store, Catalog catalog, AuditLog audit, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public Tenant.Issued create(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ApiException.invalidField("name", "must be a non-empty string of at most 200 characters");
        }
        UUID clientId = UUID.randomUUID();
        String secret = Secrets.newSecret();
        String appKey = Secrets.newSecret();
        store.insert(clientId, name.strip(), Secrets.hash(secret), Secrets.hash(appKey));
        audit.admin("tenant.create", clientId, null, Map.of("name", name.strip()));
        return new Tenant.Issued(store.find(clientId).orElseThrow(), secret, appKey);
    }

    /** Creates a tenant subscribed to the given skills with default settings, all or nothing. */
    @Transactional
    public Tenant.Issued createSubscribed(String name, List<String> skills) {
        Tenant.Issued issued = create(name);
        for (String skill : skills) {
            subscribe(issued.tenant().clientId(), skill, null, null);
        }
        return new Tenant.Issued(get(issued.tenant().clientId()), issued.clientSecret(), issued.clientAppKey());
    }

    public List<Tenant> list() {
        return store.list();
    }

    public Optional<Tenant> find(UUID clientId) {
        return store.find(clientId);
    }

    public Tenant get(UUID clientId) {
        return store.find(clientId).orElseThrow(() -> ApiException.notFound("No tenant with client_id " + clientId));
    }

    public Tenant.Issued rotateSecret(UUID clientId) {
        return rotateSecret(clientId, Duration.ZERO);
    }

    /** A new client_secret; the old one keeps working for {@code grace} (zero: refused at once here, within milliseconds on every other node). */
    @Transactional
    public Tenant.Issued rotateSecret(UUID clientId, Duration grace) {
        Instant until = graceUntil(grace);
        String secret = Secrets.newSecret();
        if (!store.updateSecretHash(clientId, Secrets.hash(secret), until)) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
        audit.admin("tenant.rotate_secret", clientId, null, graceDetails(grace, until));
        return new Tenant.Issued(get(clientId), secret, null);
    }

    public Tenant.Issued rotateAppKey(UUID clientId) {
        return rotateAppKey(clientId, Duration.ZERO);
    }

    /** A new client_app_key; the old one keeps working for {@code grace}. */
    @Transactional
    public Tenant.Issued rotateAppKey(UUID clientId, Duration grace) {
        Instant until = graceUntil(grace);
        String appKey = Secrets.newSecret();
        if (!store.updateAppKeyHash(clientId, Secrets.hash(appKey), until)) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
        audit.admin("tenant.rotate_app_key", clientId, null, graceDetails(grace, until));
        return new Tenant.Issued(get(clientId), null, appKey);
    }

    private Instant graceUntil(Duration grace) {
        if (grace == null || grace.isZero()) {
            return null;
        }
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw ApiException.invalidField("grace_seconds", "must be from 0 to " + MAX_GRACE.toSeconds() + " (" + MAX_GRACE.toDays() + " days)");
        }
        return clock.instant().plus(grace).truncatedTo(ChronoUnit.SECONDS);
    }

    private static Map<String, Object> graceDetails(Duration grace, Instant until) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("grace_seconds", grace == null ? 0 : grace.toSeconds());
        d.put("grace_until", until == null ? null : until.toString());
        return d;
    }

    @Transactional
    public Tenant subscribe(UUID clientId, String skill, Integer consentDuration, Integer cacheMaxDataRetention) {
        get(clientId);
        if (catalog.skill(skill).isEmpty()) {
            throw ApiException.invalid("invalid_skill_name", "No skill '" + skill + "' in the catalog");
        }
        int duration = consentDuration == null ? Tenant.Subscription.DEFAULT_CONSENT_DURATION : consentDuration;
        int retention = cacheMaxDataRetention == null ? Tenant.Subscription.DEFAULT_CACHE_MAX_DATA_RETENTION
                : cacheMaxDataRetention;
        if (duration <= 0) {
            throw ApiException.invalidField("consent_duration", "must be a positive number of minutes");
        }
        if (retention <= 0) {
            throw ApiException.invalidField("cache_max_data_retention", "must be a positive number of minutes");
        }
        store.upsertSubscription(clientId, new Tenant.Subscription(skill, duration, retention));
        audit.admin("tenant.subscribe", clientId, skill, Map.of("consent_duration", duration, "cache_max_data_retention", retention));
        return get(clientId);
    }

    @Transactional
    public Tenant unsubscribe(UUID clientId, String skill) {
        get(clientId);
        if (!store.deleteSubscription(clientId, skill)) {
            throw ApiException.notFound("Tenant " + clientId + " is not subscribed to '" + skill + "'");
        }
        audit.admin("tenant.unsubscribe", clientId, skill, Map.of());
        return get(clientId);
    }

    @Transactional
    public void delete(UUID clientId) {
        Tenant t = get(clientId);
        if (!store.delete(clientId)) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
        audit.admin("tenant.delete", clientId, null, Map.of("name", t.name()));
    }

    /** Verifies the presented client_secret (or app key) against the stored hash. */
    public boolean secretMatches(UUID clientId, String clientSecret) {
        return store.findWithKeys(clientId).map(t -> t.keys().secretMatches(clientSecret, clock.instant())).orElse(false);
    }

    public boolean appKeyMatches(UUID clientId, String clientAppKey) {
        return store.findWithKeys(clientId).map(t -> t.keys().appKeyMatches(clientAppKey, clock.instant())).orElse(false);
    }

    /** The app's name as end-users see it: the display name, else the tenant's name; null for an unknown tenant. */
    public String appName(UUID clientId) {
        TenantSettings s = store.settings(clientId).orElse(null);
        if (s != null && s.displayName() != null) {
            return s.displayName();
        }
        return find(clientId).map(Tenant::name).orElse(null);
    }

    public TenantSettings settings(UUID clientId) {
        return store.settings(clientId).orElseThrow(() -> ApiException.notFound("No tenant with client_id " + clientId));
    }

    /** The settings a change names; a field left out keeps its value, a null clears it. */
    public record SettingsChange(java.util.Map<String, Object> fields) {
        public static final List<String> NAMES = List.of("display_name", "logo_url", "brand_color", "redirect_urls", "allowed_origins");
    }

    /** Applies a settings change after checking every field; all or nothing. */
    @Transactional
    public TenantSettings updateSettings(UUID clientId, SettingsChange change) {
        TenantSettings s = settings(clientId);
        java.util.Map<String, Object> f = change.fields();
        TenantSettings next = new TenantSettings(
                f.containsKey("display_name") ? TenantSettings.checkDisplayName((String) f.get("display_name")) : s.displayName(),
                f.containsKey("logo_url") ? TenantSettings.checkLogo((String) f.get("logo_url")) : s.logoUrl(),
                f.containsKey("brand_color") ? TenantSettings.checkColor((String) f.get("brand_color")) : s.brandColor(),
                f.containsKey("redirect_urls") ? TenantSettings.checkRedirects(list(f.get("redirect_urls"))) : s.redirectUrls(),
                f.containsKey("allowed_origins") ? TenantSettings.checkOrigins(list(f.get("allowed_origins"))) : s.allowedOrigins());
        store.updateSettings(clientId, next);
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        f.forEach((k, v) -> details.put(k, k.equals("logo_url") ? (v == null ? "cleared" : "set") : v == null ? "cleared" : v));
        audit.admin("tenant.settings", clientId, null, details);
        return next;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object v) {
        return v == null ? List.of() : (List<String>) v;
    }
}
