package org.openfinq.client.model;

/** A new onboarding session: its id and the nonce for the first step. */
public record Session(String nonce, String sessionId, String status) {
}
