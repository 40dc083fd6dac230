package org.openfinq.connector;

/** Payment initiation (PSD2 PIS) at one bank. Initiation is never retried by a connector. */
public interface PaymentInitiation {

    /** Submits a payment; the PSU authorises it as {@link PaymentStart#authorisation()} says. */
    PaymentStart initiate(PaymentOrder order, Psu psu, Psu.Redirects redirects);

    /** As {@link AccountInformation#completeRedirect}, for a payment. */
    default void completeRedirect(String paymentId, String continuation, java.util.Map<String, String> callback, Psu psu) {
        throw new UnsupportedOperationException("this connector answers no redirect continuation");
    }

    /** The payment's ISO 20022 transaction status at the bank (e.g. {@code ACSC}). */
    String status(String product, String paymentId, Psu psu);
}
