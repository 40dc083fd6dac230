package org.openfinq.client.model;

/** The consents get/delete envelope. */
public record Consent(String opType, String code, int http, String message, Result result) {

    public record Result(String clientId, String credentialsId, String consentExp, Originator originator, String status,
                         TenantAppInfo tenantAppInfo, String utcCreated, String utcLastUpdate, String maxDataRetention,
                         Integer pcdDataRetention, Sync sync) {
    }

    /** The account data's sync: state pending, syncing, ready, rate_limited or failed; times UTC or null. */
    public record Sync(String state, String initialSyncCompletedAt, String lastSuccessAt, String nextRefreshAt,
                       String rateLimitedUntil, SyncError lastError) {
    }

    /** Why the last sync failed; source bank, psu or openfinq. */
    public record SyncError(String code, String message, String source, boolean retryable) {
    }

    public record Originator(String country, String servicer, String skill) {
    }

    public record TenantAppInfo(String clientId, String name) {
    }
}
