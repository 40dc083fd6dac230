package org.openfinq.connector.berlingroup;

import org.openfinq.connector.Psu;
import org.openfinq.connector.ScaAutomation;

import java.util.Map;

/**
 * Browserless SCA of a simulator that serves {@code POST <path>/consents/{id}/authorise} and
 * {@code POST <path>/payments/{id}/authorise} with {@code {"psuId", "approve"}}; enabled by the profile quirk
 * {@code sca_automation.path} (the openfinq sandbox bank: {@code /sandbox/v1}).
 */
final class BgScaAutomation implements ScaAutomation {

    static final String QUIRK = "sca_automation.path";

    private final BgHttp http;
    private final String path;

    BgScaAutomation(BgHttp http, String path) {
        this.http = http;
        this.path = path;
    }

    @Override
    public void decideConsent(String consentId, String psuId, boolean approve, Psu psu) {
        http.post(path + "/consents/" + BgAccountInformation.enc(consentId) + "/authorise", Map.of(),
                Map.of("psuId", psuId, "approve", approve), psu);
    }

    @Override
    public void decidePayment(String paymentId, String psuId, boolean approve, Psu psu) {
        http.post(path + "/payments/" + BgAccountInformation.enc(paymentId) + "/authorise", Map.of(),
                Map.of("psuId", psuId, "approve", approve), psu);
    }
}
