package org.openfinq.server.sync;

import org.openfinq.connector.Transaction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

/**
 * The id of a transaction that is the same across re-syncs and across consents of the same end-user:
 * {@code Base64(SHA-256(tuple))}, the tuple being {@code v1|servicer|account|ref}, where account is the IBAN
 * (or the bank's account id) and ref is the bank's entry reference, else its transaction id, else the
 * transaction's content ({@code c:booking date|value date|amount|currency|counterparty|remittance|n}, n
 * counting identical transactions on the account). The entry reference comes first because banks keep it
 * when a pending transaction is booked, while many change the transaction id: the booked transaction keeps
 * the pending one's utx_id.
 */
public final class UtxId {

    private UtxId() {
    }

    public static String of(UUID servicerId, String account, Transaction t, int occurrence) {
        String ref;
        if (t.entryReference() != null && !t.entryReference().isBlank()) {
            ref = "e:" + t.entryReference();
        } else if (t.transactionId() != null && !t.transactionId().isBlank()) {
            ref = "t:" + t.transactionId();
        } else {
            ref = content(t) + "|" + occurrence;
        }
        return hash("v1|" + servicerId + "|" + account + "|" + ref);
    }

    /** The content key used when the bank gives no reference; equal keys are told apart by occurrence. */
    public static String content(Transaction t) {
        return "c:" + t.bookingDate() + "|" + t.valueDate() + "|" + t.amount().amount().toPlainString() + "|"
                + t.amount().currency() + "|" + (t.amount().amount().signum() < 0 ? t.creditorName() : t.debtorName())
                + "|" + t.remittanceInformation();
    }

    /** Looked up once: each hash clones it instead of asking the security providers for a new one. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(String tuple) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            try { // a provider whose digests cannot be cloned
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return Base64.getEncoder().encodeToString(digest.digest(tuple.getBytes(StandardCharsets.UTF_8)));
    }
}
