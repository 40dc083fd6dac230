package org.openfinq.connector;

/**
 * An account the consent gives access to.
 *
 * @param resourceId      the bank's id for this account within the consent (used in later calls)
 * @param iban            IBAN, if the account has one
 * @param bic             the bank's BIC, if known
 * @param currency        ISO 4217 account currency
 * @param name            name given by the bank or the PSU
 * @param product         the bank's product name
 * @param cashAccountType ISO 20022 ExternalCashAccountType1Code (e.g. {@code CACC})
 * @param ownerName       the account holder, if the bank says
 */
public record Account(String resourceId, String iban, String bic, String currency, String name, String product,
                      String cashAccountType, String ownerName) {
}
