package org.openfinq.server.payment;

import java.util.Set;

/**
 * openfinq's payment statuses, from the bank's ISO 20022 transaction status:
 * {@code initiated} (at the bank, waiting for the end-user's SCA: RCVD before SCA), {@code accepted} (ACTC, ACCP,
 * ACFC, ACWC, PATC, PART), {@code pending} (ACSP, PDNG, ACWP), {@code settled} (ACSC, ACCC), {@code rejected}
 * (RJCT, or SCA denied) and {@code cancelled} (CANC). The last three are final.
 */
public final class PaymentLifecycle {

    public static final Set<String> FINAL = Set.of("settled", "rejected", "cancelled");

    private PaymentLifecycle() {
    }

    /** The first status poll after the bank accepted the payment (before the end-user is back, if ever). */
    public static java.time.Duration firstPoll() {
        return java.time.Duration.ofSeconds(2);
    }

    /** The wait after poll number {@code polls} (0-based): 2 s doubling, at most 5 minutes. */
    public static java.time.Duration backoff(int polls) {
        java.time.Duration next = java.time.Duration.ofSeconds(2).multipliedBy(1L << Math.min(Math.max(polls, 0), 8));
        return next.compareTo(java.time.Duration.ofMinutes(5)) > 0 ? java.time.Duration.ofMinutes(5) : next;
    }

    public static String of(String iso, boolean scaDone) {
        return switch (iso) {
            case "RCVD" -> scaDone ? "accepted" : "initiated";
            case "ACTC", "ACCP", "ACFC", "ACWC", "PATC", "PART" -> "accepted";
            case "ACSP", "PDNG", "ACWP" -> "pending";
            case "ACSC", "ACCC" -> "settled";
            case "RJCT" -> "rejected";
            case "CANC" -> "cancelled";
            default -> "pending";
        };
    }
}
