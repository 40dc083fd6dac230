package org.openfinq.connector;

/** Payment initiation (PSD2 PIS) at one bank. Initiation is never retried by a connector. */
public interface PaymentInitiation {

    /** Submits a payment; the PSU authorises it at {@link PaymentStart#scaRedirect()}. */
    PaymentStart initiate(PaymentOrder order, Psu psu, Psu.Redirects redirects);

    /** The payment's ISO 20022 transaction status at the bank (e.g. {@code ACSC}). */
    String status(String product, String paymentId, Psu psu);
}
