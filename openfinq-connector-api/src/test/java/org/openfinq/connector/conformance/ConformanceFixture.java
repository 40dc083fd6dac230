package org.openfinq.connector.conformance;

import org.openfinq.connector.Money;

import java.time.Duration;
import java.time.LocalDate;

/**
 * What the conformance kit needs to know about a bank's test data.
 *
 * @param psuId            a PSU who can log in
 * @param password         their password
 * @param historyFrom      a date from which the PSU's first account has transactions
 * @param expectsPaging    whether reading from {@code historyFrom} spans more than one page
 * @param debtorIban       one of the PSU's accounts to pay from
 * @param product          a payment product the bank offers
 * @param amount           an amount the debtor account can pay
 * @param creditorName     a payee
 * @param creditorIban     the payee's IBAN
 * @param settlesWithin    how long an approved payment may take to reach ACSC
 */
public record ConformanceFixture(String psuId, String password, LocalDate historyFrom, boolean expectsPaging,
                                 String debtorIban, String product, Money amount, String creditorName,
                                 String creditorIban, Duration settlesWithin) {
}
