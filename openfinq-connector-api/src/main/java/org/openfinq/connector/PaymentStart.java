package org.openfinq.connector;

import java.net.URI;

/**
 * A payment accepted by the bank for authorisation.
 *
 * @param paymentId         the bank's payment id
 * @param transactionStatus ISO 20022 status code (e.g. {@code RCVD})
 * @param scaRedirect       where to send the PSU's browser to authorise it
 */
public record PaymentStart(String paymentId, String transactionStatus, URI scaRedirect) {
}
