package org.openfinq.client.model;

/**
 * A consent's pointer and key, from the token exchange. Keep it server-side.
 *
 * @param consentExp       when the consent expires (UTC)
 * @param maxDataRetention when its cached data is removed (UTC)
 */
public record Credentials(String credentialsId, String accessToken, String consentExp, String maxDataRetention) {
}
