package org.openfinq.connector;

import java.time.LocalDate;

/**
 * A single credit transfer to initiate.
 *
 * @param product               payment product (e.g. {@code sepa-credit-transfers})
 * @param endToEndId            the payer's reference, passed along to the payee
 * @param debtorIban            the PSU's account to pay from
 * @param amount                positive amount and currency
 * @param creditorName          the payee's name
 * @param creditorIban          the payee's IBAN
 * @param remittanceInformation unstructured text for the payee
 * @param requestedExecutionDate execution date, or null for as soon as possible
 */
public record PaymentOrder(String product, String endToEndId, String debtorIban, Money amount, String creditorName,
                           String creditorIban, String remittanceInformation, LocalDate requestedExecutionDate) {

    /**
     * Why a bank would refuse this order (an IBAN that fails {@link Iban}, text outside {@link SepaText}), or null.
     * Connectors check it before sending, so the PSU is never sent to SCA for a payment the bank refuses.
     */
    public String problem() {
        String p;
        if ((p = Iban.problem(debtorIban)) != null) {
            return "debtor IBAN " + p;
        }
        if ((p = Iban.problem(creditorIban)) != null) {
            return "creditor IBAN " + p;
        }
        if ((p = SepaText.problem(creditorName)) != null) {
            return "creditor name " + p;
        }
        if ((p = SepaText.problem(remittanceInformation)) != null) {
            return "remittance information " + p;
        }
        return null;
    }
}
