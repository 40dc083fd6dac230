package org.openfinq.server.onboarding;

import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantStore;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The end of a successful session: the consent (credentials) record with the tenant's settings for the skill,
 * and a single-use temp_token for it. Runs inside the caller's transaction.
 */
@Component
public class Completion {

    /** The new consent and its temp_token (plain: shown to the client once). */
    public record Done(UUID consentId, String tempToken) {
    }

    private final ConsentStore consents;
    private final TenantStore tenants;
    private final SessionStore sessions;
    private final DataCipher cipher;
    private final OpenfinqProperties props;
    private final org.openfinq.server.sync.RefreshScheduler refresh;
    private final Clock clock;

    public Completion(ConsentStore consents, TenantStore tenants, SessionStore sessions, DataCipher cipher,
                      OpenfinqProperties props, org.openfinq.server.sync.RefreshScheduler refresh, Clock clock) {
        this.refresh = refresh;
        this.consents = consents;
        this.tenants = tenants;
        this.sessions = sessions;
        this.cipher = cipher;
        this.props = props;
        this.clock = clock;
    }

    /**
     * Creates the consent record ({@code bankConsentId} null for skills without a bank consent); a bank consent
     * starts syncing at once, while the end-user ({@code psuIp}) is present.
     */
    public UUID createConsent(SessionStore.Session s, Servicer servicer, String bankConsentId, String psuIp) {
        Instant now = clock.instant();
        Tenant.Subscription sub = tenants.subscriptions(s.clientId()).stream()
                .filter(x -> x.skill().equals(s.skill())).findFirst()
                .orElse(new Tenant.Subscription(s.skill(), Tenant.Subscription.DEFAULT_CONSENT_DURATION,
                        Tenant.Subscription.DEFAULT_CACHE_MAX_DATA_RETENTION));
        UUID id = UUID.randomUUID();
        byte[] sealed = bankConsentId == null ? null : cipher.encrypt(bankConsentId, "consent:" + id);
        consents.insert(id, s.clientId(), s.tenantUserId(), s.skill(), servicer.id(), s.id(), sealed,
                now.plus(Duration.ofMinutes(sub.consentDuration())), now.plus(Duration.ofMinutes(sub.cacheMaxDataRetention())), now);
        if (bankConsentId != null) {
            refresh.start(id, psuIp);
        }
        return id;
    }

    /** Issues a temp_token for the consent of a session that is already completed (decoupled SCA). */
    public String tempToken(SessionStore.Session s, UUID consentId) {
        String token = Secrets.newSecret();
        consents.insertTempToken(Secrets.hash(token), s.id(), consentId, s.clientId(), clock.instant().plus(props.onboarding().tempTokenTtl()));
        return token;
    }

    /** Issues the temp_token for a consent and marks the session completed. */
    public Done finish(SessionStore.Session s, UUID consentId) {
        Instant now = clock.instant();
        String token = Secrets.newSecret();
        consents.insertTempToken(Secrets.hash(token), s.id(), consentId, s.clientId(), now.plus(props.onboarding().tempTokenTtl()));
        sessions.update(s.id(), "SESSION_COMPLETED", s.nextOrder() + 1, null, now, s.expiresAt());
        return new Done(consentId, token);
    }
}
