package org.openfinq.server.signing;

import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.tenant.TenantService;
import org.openfinq.server.web.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Signer identities and keys of tenants: shared by the admin HTTP API, the admin CLI and the demo signer. */
@Service
public class SignerService {

    public static final int MAX_KEYS = 10;

    private final SignerStore store;
    private final TenantService tenants;
    private final KeyUrlFetcher urls;
    private final Clock clock;
    private final AuditLog audit;

    public SignerService(SignerStore store, TenantService tenants, KeyUrlFetcher urls, Clock clock, AuditLog audit) {
        this.store = store;
        this.tenants = tenants;
        this.urls = urls;
        this.clock = clock;
        this.audit = audit;
    }

    public SignerStore.Signer addSigner(UUID clientId, String identity, String keyUrl) {
        tenants.get(clientId);
        if (identity == null || !identity.matches("[^@\\s]+@[^@\\s]+")) {
            throw ApiException.invalidField("identity", "must be the signer's e-mail (the JWS iss, sub and email)");
        }
        if (keyUrl != null && !urls.allowed(keyUrl)) {
            throw ApiException.invalidField("key_url", "must be an https URL (or http on an allow-listed host)");
        }
        SignerStore.Signer s = store.addSigner(clientId, identity, keyUrl, clock.instant());
        audit.admin("signer.add", clientId, identity, keyUrl == null ? Map.of() : Map.of("key_url", keyUrl));
        return s;
    }

    @Transactional
    public Map<String, Object> addKey(UUID clientId, String identity, String kid, String publicKey) {
        SignerStore.Signer signer = signer(clientId, identity);
        PublicKeys.Parsed parsed = PublicKeys.parse(publicKey);
        String id = kid != null && !kid.isBlank() ? kid : parsed.kid() != null ? parsed.kid() : PublicKeys.thumbprint(parsed.key());
        if (store.key(signer.id(), id).isPresent()) {
            throw ApiException.invalidField("kid", "signer " + identity + " already has a key '" + id + "'");
        }
        if (store.keyCount(signer.id()) >= MAX_KEYS) {
            throw ApiException.invalidField("public_key", "a signer has at most " + MAX_KEYS + " keys; remove one first");
        }
        store.addKey(signer, id, PublicKeys.pem(parsed.key()), parsed.key().getModulus().bitLength(), clock.instant());
        audit.admin("signer.key_add", clientId, identity, Map.of("kid", id, "bits", parsed.key().getModulus().bitLength()));
        return view(signer);
    }

    public Map<String, Object> removeKey(UUID clientId, String identity, String kid) {
        SignerStore.Signer signer = signer(clientId, identity);
        if (!store.removeKey(signer, kid)) {
            throw ApiException.notFound("Signer " + identity + " has no key '" + kid + "'");
        }
        audit.admin("signer.key_remove", clientId, identity, Map.of("kid", kid));
        return view(signer);
    }

    public void removeSigner(UUID clientId, String identity) {
        tenants.get(clientId);
        if (!store.removeSigner(clientId, identity)) {
            throw ApiException.notFound("No signer " + identity + " for tenant " + clientId);
        }
        audit.admin("signer.remove", clientId, identity, Map.of());
    }

    public List<Map<String, Object>> list(UUID clientId) {
        tenants.get(clientId);
        return store.signers(clientId).stream().map(this::view).toList();
    }

    public void replayGuard(UUID clientId, boolean on) {
        if (!store.setRequireJti(clientId, on)) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
        audit.admin("tenant.replay_guard", clientId, null, Map.of("enabled", on));
    }

    /** Requires (or not) htm/htu claims naming the endpoint on every /v1s request of the tenant. */
    public void endpointBinding(UUID clientId, boolean on) {
        if (!store.setRequireBinding(clientId, on)) {
            throw ApiException.notFound("No tenant with client_id " + clientId);
        }
        audit.admin("tenant.endpoint_binding", clientId, null, Map.of("enabled", on));
    }

    SignerStore.Signer signer(UUID clientId, String identity) {
        tenants.get(clientId);
        return store.signer(clientId, identity).orElseThrow(() -> ApiException.notFound("No signer " + identity + " for tenant " + clientId));
    }

    public Map<String, Object> view(SignerStore.Signer s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("identity", s.identity());
        v.put("key_url", s.keyUrl());
        v.put("keys", store.keys(s.id()).stream().map(k -> Map.of("kid", k.kid(), "bits", k.bits(),
                "created_at", k.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())).toList());
        return v;
    }
}
