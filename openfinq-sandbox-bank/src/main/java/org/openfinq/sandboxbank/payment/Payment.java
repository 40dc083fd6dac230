package org.openfinq.sandboxbank.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A payment at the sandbox bank. After approval its status moves with time: ACTC, ACSP at half the
 * settlement delay, ACSC at the full delay; a payment the debtor account cannot cover is rejected (RJCT).
 */
public record Payment(String id, String product, String endToEndId, String debtorIban, BigDecimal amount,
                      String currency, String creditorName, String creditorIban, String remittance,
                      LocalDate requestedExecutionDate, String status, String psuId, String redirectOk,
                      String redirectNok, Instant createdAt, Instant approvedAt, String loginTicket) {

    public Payment withStatus(String s, Instant approved) {
        return new Payment(id, product, endToEndId, debtorIban, amount, currency, creditorName, creditorIban, remittance,
                requestedExecutionDate, s, psuId, redirectOk, redirectNok, createdAt, approved, loginTicket);
    }

    /** The payment with other redirect targets (an OAuth2 authorisation request names its own). */
    public Payment withRedirects(String ok, String nok) {
        return new Payment(id, product, endToEndId, debtorIban, amount, currency, creditorName, creditorIban, remittance,
                requestedExecutionDate, status, psuId, ok, nok, createdAt, approvedAt, loginTicket);
    }

    public Payment withLogin(String psu, String ticket) {
        return new Payment(id, product, endToEndId, debtorIban, amount, currency, creditorName, creditorIban, remittance,
                requestedExecutionDate, status, psu, redirectOk, redirectNok, createdAt, approvedAt, ticket);
    }
}
