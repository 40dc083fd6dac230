package org.openfinq.client.model;

import java.util.List;

/**
 * One page of {@code transactions/sync}: transactions added, modified (same id and utx_id, e.g. pending to
 * booked) and removed since the cursor. Keep {@code nextCursor} (it stays valid 30 days, on any node) and call
 * again while {@code hasMore}.
 */
public record TransactionChanges(List<Transaction> added, List<Transaction> modified, List<Removed> removed,
                                 String nextCursor, boolean hasMore) {

    /** A transaction removed from the account's data (e.g. a pending one the bank stopped reporting). */
    public record Removed(String id, String utxId) {
    }
}
