package org.openfinq.client.model;

/** The consents get/delete envelope. */
public record Consent(String opType, String code, int http, String message, Result result) {

    public record Result(String clientId, String credentialsId, String consentExp, Originator originator, String status,
                         TenantAppInfo tenantAppInfo, String utcCreated, String utcLastUpdate, String maxDataRetention,
                         Integer pcdDataRetention) {
    }

    public record Originator(String country, String servicer, String skill) {
    }

    public record TenantAppInfo(String clientId, String name) {
    }
}
