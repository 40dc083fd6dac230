package org.openfinq.connector;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Which transactions to read.
 *
 * @param dateFrom first booking date, inclusive
 * @param dateTo   last booking date, inclusive, or null for today
 * @param booked   include booked transactions
 * @param pending  include pending transactions
 */
public record TransactionQuery(LocalDate dateFrom, LocalDate dateTo, boolean booked, boolean pending) {
    public TransactionQuery {
        Objects.requireNonNull(dateFrom, "dateFrom");
        if (!booked && !pending) {
            throw new IllegalArgumentException("ask for booked or pending transactions, or both");
        }
    }

    public static TransactionQuery both(LocalDate from, LocalDate to) {
        return new TransactionQuery(from, to, true, true);
    }
}
