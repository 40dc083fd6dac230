package org.openfinq.connector;

import java.net.URI;

/**
 * A consent created at the bank, waiting for the PSU.
 *
 * @param consentId   the bank's consent id (a secret: store it encrypted)
 * @param status      its status at the bank
 * @param scaRedirect where to send the PSU's browser to authorise it
 */
public record ConsentStart(String consentId, ConsentStatus status, URI scaRedirect) {
}
