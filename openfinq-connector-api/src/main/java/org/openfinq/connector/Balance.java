package org.openfinq.connector;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One balance of an account.
 *
 * @param type                NextGenPSD2 balance type ({@code closingBooked}, {@code interimAvailable}, {@code expected}, ...)
 * @param amount              signed amount; negative is an overdraft
 * @param creditLimitIncluded whether a credit line is counted in
 * @param referenceDate       the date the balance is for (closing balances), or null
 * @param lastChangeDateTime  when it last changed (intraday balances), or null
 */
public record Balance(String type, Money amount, Boolean creditLimitIncluded, LocalDate referenceDate,
                      Instant lastChangeDateTime) {
}
