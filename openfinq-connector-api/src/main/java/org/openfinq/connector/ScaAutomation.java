package org.openfinq.connector;

/**
 * Optional capability of test banks and simulators: decide the SCA of a consent or payment for a test PSU
 * without a browser (e.g. step {@code sca_implicit} of sandbox skills). A connector offers it only when its
 * bank profile enables it; production banks never do.
 */
public interface ScaAutomation {

    /** Approves ({@code approve}) or denies the SCA of a consent the bank created, as PSU {@code psuId}. */
    void decideConsent(String consentId, String psuId, boolean approve, Psu psu);

    /** Approves or denies the SCA of a payment the bank created, as PSU {@code psuId}. */
    void decidePayment(String paymentId, String psuId, boolean approve, Psu psu);
}
