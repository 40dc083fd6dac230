package org.openfinq.server.tenant;

import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.web.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tenant management, shared by the admin HTTP API, the admin CLI and the demo tenant. */
@Service
public class TenantService {

    private final TenantStore store;
    private final Catalog catalog;

    public TenantService(TenantStore store, Catalog catalog) {
        this.store = store;
        this.catalog = catalog;
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
        String secret = Secrets.newSecret();
        if (!store.updateSecretHash(clientId, Secrets.hash(secret))) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
        return new Tenant.Issued(get(clientId), secret, null);
    }

    public Tenant.Issued rotateAppKey(UUID clientId) {
        String appKey = Secrets.newSecret();
        if (!store.updateAppKeyHash(clientId, Secrets.hash(appKey))) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
        return new Tenant.Issued(get(clientId), null, appKey);
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
        return get(clientId);
    }

    public Tenant unsubscribe(UUID clientId, String skill) {
        get(clientId);
        if (!store.deleteSubscription(clientId, skill)) {
            throw ApiException.notFound("Tenant " + clientId + " is not subscribed to '" + skill + "'");
        }
        return get(clientId);
    }

    public void delete(UUID clientId) {
        if (!store.delete(clientId)) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
    }

    /** Verifies the presented client_secret (or app key) against the stored hash. */
    public boolean secretMatches(UUID clientId, String clientSecret) {
        return store.findWithKeys(clientId).map(t -> Secrets.matches(clientSecret, t.keys().clientSecretHash())).orElse(false);
    }

    public boolean appKeyMatches(UUID clientId, String clientAppKey) {
        return store.findWithKeys(clientId).map(t -> Secrets.matches(clientAppKey, t.keys().clientAppKeyHash())).orElse(false);
    }
}
