package org.openfinq.connector;

import java.time.LocalDate;

/**
 * One transaction as the bank reports it.
 *
 * @param transactionId            the bank's id, if it gives one (stable across reads at well-behaved banks)
 * @param entryReference           the bank's entry reference, if any
 * @param endToEndId               the payer's end-to-end id, if any
 * @param status                   booked or pending
 * @param bookingDate              booking date (pending transactions may have none)
 * @param valueDate                value date, if any
 * @param amount                   signed amount; negative is a debit
 * @param creditorName             the payee, for debits
 * @param creditorIban             the payee's IBAN, if known
 * @param debtorName               the payer, for credits
 * @param debtorIban               the payer's IBAN, if known
 * @param remittanceInformation    unstructured remittance text
 * @param purposeCode              ISO 20022 purpose code, if any
 * @param bankTransactionCode      ISO 20022 bank transaction code (domain-family-subfamily), if any
 * @param proprietaryCode          the bank's own transaction code or category, if any
 * @param balanceAfter             the account balance after this transaction, if the bank reports it
 */
public record Transaction(String transactionId, String entryReference, String endToEndId, BookingStatus status,
                          LocalDate bookingDate, LocalDate valueDate, Money amount, String creditorName,
                          String creditorIban, String debtorName, String debtorIban, String remittanceInformation,
                          String purposeCode, String bankTransactionCode, String proprietaryCode, Money balanceAfter) {

    /** Whether the bank has booked the transaction. */
    public enum BookingStatus {
        BOOKED, PENDING
    }
}
