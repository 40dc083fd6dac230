package org.openfinq.connector;

import java.net.URI;

/**
 * A payment accepted by the bank for authorisation.
 *
 * @param paymentId         the bank's payment id
 * @param transactionStatus ISO 20022 status code (e.g. {@code RCVD})
 * @param authorisation     how the PSU authorises it
 */
public record PaymentStart(String paymentId, String transactionStatus, Authorisation authorisation) {

    /** A payment the PSU authorises on the bank's page {@code scaRedirect}. */
    public PaymentStart(String paymentId, String transactionStatus, URI scaRedirect) {
        this(paymentId, transactionStatus, new Authorisation.Redirect(scaRedirect));
    }

    /** The bank's page when the PSU is redirected, else null. */
    public URI scaRedirect() {
        return authorisation instanceof Authorisation.Redirect r ? r.url() : null;
    }
}
