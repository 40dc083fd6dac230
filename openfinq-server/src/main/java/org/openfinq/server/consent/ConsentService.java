package org.openfinq.server.consent;

import org.openfinq.connector.BankException;
import org.openfinq.connector.Psu;
import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.catalog.Skill;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.event.Event;
import org.openfinq.server.event.Events;
import org.openfinq.server.sync.SyncStatus;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Token exchange, consent status and consent deletion. */
@Service
public class ConsentService {

    private static final Logger log = LoggerFactory.getLogger(ConsentService.class);

    private final ConsentStore store;
    private final Catalog catalog;
    private final Connectors connectors;
    private final DataCipher cipher;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SyncStatus syncStatus;
    private final Events events;
    private final AuditLog audit;

    public ConsentService(ConsentStore store, Catalog catalog, Connectors connectors, DataCipher cipher,
                          TransactionTemplate tx, Clock clock, SyncStatus syncStatus, Events events, AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.catalog = catalog;
        this.connectors = connectors;
        this.cipher = cipher;
        this.tx = tx;
        this.clock = clock;
        this.syncStatus = syncStatus;
        this.events = events;
    }

    /** Exchanges a temp_token for the consent's access_token; the temp_token is used up. */
    public ConsentApi.TokenResponse exchange(Tenant tenant, String tempToken) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            String hash = Secrets.hash(tempToken);
            ConsentStore.TempToken t = store.lockTempToken(hash)
                    .filter(x -> x.clientId().equals(tenant.clientId()))
                    .orElseThrow(() -> ApiException.unauthorized("invalid_temp_token", "Unknown temp_token"));
            if (t.usedAt() != null) {
                throw ApiException.unauthorized("invalid_temp_token", "The temp_token was already exchanged");
            }
            if (!now.isBefore(t.expiresAt())) {
                throw ApiException.unauthorized("invalid_temp_token", "The temp_token expired");
            }
            ConsentStore.Consent c = store.lock(t.consentId()).orElseThrow();
            store.useTempToken(hash, now);
            String accessToken = Secrets.newSecret();
            store.setAccessToken(c.id(), Secrets.hash(accessToken), now);
            return new ConsentApi.TokenResponse(c.id().toString(), accessToken, utc(c.consentExp()), utc(c.maxDataRetention()));
        });
    }

    /** A consent by its id (credentials_id), in any state. */
    public java.util.Optional<ConsentStore.Consent> find(java.util.UUID id) {
        return store.find(id);
    }

    /** The consents of one end-user of a tenant, in any state. */
    public java.util.List<ConsentStore.Consent> ofUser(java.util.UUID clientId, String tenantUserId) {
        return store.ofUser(clientId, tenantUserId);
    }

    public ConsentApi.Envelope get(Tenant tenant, ConsentStore.Consent c) {
        return new ConsentApi.Envelope("read", "credentials_info", 200, "Consent info retrieved", result(tenant, c));
    }

    /**
     * ACTIVE becomes DELETED and the bank consent is revoked; deleting again answers the same. An expired
     * consent stays EXPIRED.
     */
    public ConsentApi.Envelope delete(Tenant tenant, java.util.UUID id, Integer pcdMinutes) {
        ConsentStore.Consent deleted = tx.execute(status -> {
            Instant now = clock.instant();
            ConsentStore.Consent c = store.lock(id).orElseThrow();
            if (c.statusAt(now).equals("ACTIVE")) {
                Instant retention = pcdMinutes == null ? c.maxDataRetention() : now.plus(Duration.ofMinutes(pcdMinutes));
                store.markDeleted(c.id(), pcdMinutes, retention, now);
                events.record(statusEvent(Event.CONSENT_DELETED, store.find(id).orElseThrow()));
            } else if (c.status().equals("ACTIVE")) {
                store.markExpired(c.id(), now);
                events.record(statusEvent(Event.CONSENT_EXPIRED, store.find(id).orElseThrow()));
            }
            ConsentStore.Consent after = store.find(id).orElseThrow();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status_before", c.statusAt(now));
            details.put("status", after.status());
            details.put("pcd_data_retention", pcdMinutes);
            audit.client("consent.delete", tenant.clientId(), id.toString(), details);
            return after;
        });
        revokeAtBank(deleted);
        if (deleted.status().equals("DELETED") && !deleted.maxDataRetention().isAfter(clock.instant())) {
            store.deleteCachedData(id);
        }
        return new ConsentApi.Envelope("delete", "credentials_deleted", 200, "Consent deleted", result(tenant, deleted));
    }

    /**
     * Revokes the bank consent once; a bank failure leaves it for a later retry and does not undo the deletion.
     * Runs outside any transaction (the bank is called with no connection held); the revocation is recorded only
     * if no concurrent revocation recorded it first (revoking twice at the bank is harmless).
     *
     * @return whether the bank consent was revoked now
     */
    public boolean revokeAtBank(ConsentStore.Consent c) {
        if (!c.status().equals("DELETED") || c.bankConsent() == null || c.bankRevokedAt() != null) {
            return false;
        }
        Optional<Servicer> servicer = catalog.servicer(c.servicerId());
        if (servicer.isEmpty()) {
            return false;
        }
        try {
            String bankId = cipher.decryptString(c.bankConsent(), "consent:" + c.id());
            connectors.forServicer(servicer.get()).accountInformation().deleteConsent(bankId, Psu.UNATTENDED);
            return store.markBankRevoked(c.id(), clock.instant());
        } catch (BankException e) {
            log.warn("Revoking consent {} at {} failed ({}); it will be retried", c.id(), servicer.get().name(), e.getMessage());
            return false;
        }
    }

    /** consent.deleted or consent.expired, told in the transaction that changes the status. */
    static Event statusEvent(String type, ConsentStore.Consent c) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", type.equals(Event.CONSENT_DELETED) ? "DELETED" : "EXPIRED");
        data.put("consent_exp", utc(c.consentExp()));
        data.put("max_data_retention", utc(c.maxDataRetention()));
        return Event.consent(type, c.clientId(), c.tenantUserId(), c.id(), data);
    }

    private ConsentApi.Sync sync(ConsentStore.Consent c) {
        return syncStatus.of(c.id()).map(s -> new ConsentApi.Sync(s.state(), utc(s.initialSyncCompletedAt()), utc(s.lastSuccessAt()),
                        utc(s.nextRefreshAt()), utc(s.rateLimitedUntil()), s.lastError() == null ? null
                        : new ConsentApi.SyncError(s.lastError().code(), s.lastError().message(), s.lastError().source(),
                        s.lastError().retryable())))
                .orElse(null);
    }

    private ConsentApi.Result result(Tenant tenant, ConsentStore.Consent c) {
        Skill skill = catalog.skill(c.skill()).orElse(null);
        Servicer servicer = catalog.servicer(c.servicerId()).orElse(null);
        return new ConsentApi.Result(tenant.clientId().toString(), c.id().toString(), utc(c.consentExp()),
                new ConsentApi.Originator(servicer == null ? null : servicer.country(),
                        servicer == null ? null : servicer.name(), skill == null ? c.skill() : skill.id()),
                c.statusAt(clock.instant()), new ConsentApi.TenantAppInfo(tenant.clientId().toString(), tenant.name()),
                utc(c.createdAt()), utc(c.updatedAt()), utc(c.maxDataRetention()), c.pcdDataRetention(), sync(c));
    }

    public static String utc(Instant i) {
        return i == null ? null : i.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
