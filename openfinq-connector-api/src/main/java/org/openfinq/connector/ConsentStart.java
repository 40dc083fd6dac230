package org.openfinq.connector;

import java.net.URI;

/**
 * A consent created at the bank, waiting for the PSU.
 *
 * @param consentId   the bank's consent id (a secret: store it encrypted)
 * @param status      its status at the bank
 * @param authorisation how the PSU authorises it
 */
public record ConsentStart(String consentId, ConsentStatus status, Authorisation authorisation) {

    /** A consent the PSU authorises on the bank's page {@code scaRedirect}. */
    public ConsentStart(String consentId, ConsentStatus status, URI scaRedirect) {
        this(consentId, status, new Authorisation.Redirect(scaRedirect));
    }

    /** The bank's page when the PSU is redirected, else null. */
    public URI scaRedirect() {
        return authorisation instanceof Authorisation.Redirect r ? r.url() : null;
    }
}
