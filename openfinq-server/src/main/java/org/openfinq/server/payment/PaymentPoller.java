package org.openfinq.server.payment;

import org.openfinq.connector.BankException;
import org.openfinq.connector.Psu;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.crypto.DataCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Keeps payments current: every non-final payment is polled at the bank from the moment the bank accepted it
 * (whether or not the end-user's browser comes back), at 2 s, then doubling up to 5 minutes, until it is final.
 * A payment still waiting for the end-user's authorisation when its authorisation window ends is given up as
 * {@code rejected}; one authorised but still not final {@code poll-for} after its creation (or
 * its requested execution date) is no longer polled. Payments due are claimed with SKIP LOCKED in one statement,
 * so each poll runs on one node; the bank is read with no connection held and the answer recorded only if the
 * payment did not change meanwhile. Run by the job scheduler (see {@code PaymentJobs}).
 */
@Component
@org.springframework.boot.context.properties.EnableConfigurationProperties(PaymentProperties.class)
public class PaymentPoller {

    private static final Logger log = LoggerFactory.getLogger(PaymentPoller.class);

    /** How long a claimed payment is this node's; longer than one status read with its retries. */
    static final Duration CLAIM = Duration.ofMinutes(2);

    private final PaymentStore payments;
    private final Connectors connectors;
    private final Catalog catalog;
    private final DataCipher cipher;
    private final PaymentProperties props;
    private final org.openfinq.server.onboarding.SessionStore sessions;
    private final Clock clock;

    public PaymentPoller(PaymentStore payments, Connectors connectors, Catalog catalog, DataCipher cipher,
                         PaymentProperties props, org.openfinq.server.onboarding.SessionStore sessions, Clock clock) {
        this.sessions = sessions;
        this.payments = payments;
        this.connectors = connectors;
        this.catalog = catalog;
        this.cipher = cipher;
        this.props = props;
        this.clock = clock;
    }

    /** @return payments polled */
    public int run() {
        Instant now = clock.instant();
        int n = 0;
        for (UUID id : payments.claimDue(now, now.plus(CLAIM), 50)) {
            poll(id);
            n++;
        }
        return n;
    }

    /** One status poll of a claimed payment. */
    public void poll(UUID id) {
        PaymentStore.Payment p = payments.find(id).orElse(null);
        if (p == null || PaymentLifecycle.FINAL.contains(p.status())) {
            return;
        }
        String status = p.status();
        String bankStatus = p.bankStatus();
        Duration wait = PaymentLifecycle.backoff(p.polls());
        try {
            bankStatus = connectors.forServicer(catalog.servicer(p.servicerId()).orElseThrow()).paymentInitiation()
                    .status(p.product(), cipher.decryptString(p.bankPayment(), "payment:" + p.id()), Psu.UNATTENDED);
            status = PaymentLifecycle.of(bankStatus, !p.status().equals("initiated"));
        } catch (BankException e) {
            log.warn("Status of payment {} unavailable: {}", p.id(), e.getMessage());
            if (e instanceof BankException.Refused r && r.retryAfter().compareTo(wait) > 0) {
                wait = r.retryAfter();
            }
        }
        Instant now = clock.instant();
        Instant next = now.plus(wait);
        if (status.equals("initiated") && !now.isBefore(p.createdAt().plus(props.authorisationWindow()))) {
            log.info("Payment {} was not authorised within {}; it is rejected", p.id(), props.authorisationWindow());
            status = "rejected";
        } else if (!now.isBefore(pollUntil(p))) {
            log.warn("Payment {} is still {} ({}) after {}; polling stops", p.id(), status, bankStatus, props.pollFor());
            next = null;
        }
        if (!payments.status(p.id(), p.polls(), status, bankStatus, now, next)) {
            log.debug("Payment {} changed while its status was read; this poll's answer is dropped", p.id());
        } else if (p.status().equals("initiated") && !status.equals("initiated") && p.sessionId() != null) {
            // the bank decided without the end-user's browser coming back (decoupled SCA): the session ends here
            boolean ok = !status.equals("rejected") && !status.equals("cancelled");
            sessions.settleAwaitingBank(p.sessionId(), ok, "tpp_redirect_error", "The payment was " + status, now);
        }
    }

    private Instant pollUntil(PaymentStore.Payment p) {
        Instant from = p.createdAt();
        if (p.requestedExecutionDate() != null) {
            Instant execution = p.requestedExecutionDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            from = execution.isAfter(from) ? execution : from;
        }
        return from.plus(props.pollFor());
    }
}
