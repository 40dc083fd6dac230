package org.openfinq.connector;

import java.util.List;
import java.util.Optional;

/**
 * One page of transactions and where the next one is.
 *
 * @param transactions this page, in the bank's order
 * @param next         an opaque cursor for the next page, or null on the last page
 */
public record TransactionPage(List<Transaction> transactions, String next) {
    public TransactionPage {
        transactions = List.copyOf(transactions);
    }

    public Optional<String> nextCursor() {
        return Optional.ofNullable(next);
    }
}
