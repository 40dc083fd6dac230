package org.openfinq.client.model;

import java.util.Map;

/** A step's answer: the nonce for the next step, the session status and the step's data. */
public record Step(String stepId, String nonce, String status, Map<String, Object> data) {

    /** The temp_token of a step that completed the session, or null. */
    public String tempToken() {
        return data == null ? null : (String) data.get("temp_token");
    }

    /** The bank page to open (sca and payment_intent), or null. */
    public String scaUrl() {
        return data == null ? null : (String) data.get("url");
    }

    /** The payment of a payment_intent step, or null. */
    public String paymentId() {
        return data == null ? null : (String) data.get("payment_id");
    }
}
