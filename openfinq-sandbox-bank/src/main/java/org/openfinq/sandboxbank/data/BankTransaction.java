package org.openfinq.sandboxbank.data;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One generated transaction. A pending transaction has id {@code P...} and no booking date; once booked it
 * has id {@code T...}; both share the {@code entryReference}.
 *
 * @param amount       signed: negative is a debit
 * @param balanceAfter the booked balance after it (null while pending)
 */
public record BankTransaction(String id, String entryReference, String endToEndId, boolean booked,
                              LocalDate bookingDate, LocalDate valueDate, BigDecimal amount, String currency,
                              String counterpartyName, String counterpartyIban, String remittance,
                              String purposeCode, String bankTransactionCode, String category,
                              BigDecimal balanceAfter) {
}
