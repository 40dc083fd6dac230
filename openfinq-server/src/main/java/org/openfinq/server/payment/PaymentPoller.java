package org.openfinq.server.payment;

import org.openfinq.connector.BankException;
import org.openfinq.connector.Psu;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.crypto.DataCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Keeps payments current: after SCA, each non-final payment's status is read from the bank, at 2 s, then
 * doubling up to 5 minutes, until it is final. Payments due are claimed with SKIP LOCKED, so each poll runs on
 * one node.
 */
@Component
public class PaymentPoller {

    private static final Logger log = LoggerFactory.getLogger(PaymentPoller.class);

    private final PaymentStore payments;
    private final Connectors connectors;
    private final Catalog catalog;
    private final DataCipher cipher;
    private final Clock clock;

    public PaymentPoller(PaymentStore payments, Connectors connectors, Catalog catalog, DataCipher cipher, Clock clock) {
        this.payments = payments;
        this.connectors = connectors;
        this.catalog = catalog;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${openfinq.payments.poll-interval:PT1S}", initialDelayString = "PT5S")
    public void scheduled() {
        run();
    }

    /** @return payments polled */
    public int run() {
        Instant now = clock.instant();
        int n = 0;
        for (UUID id : payments.claimDue(now, now.plus(Duration.ofSeconds(30)), 50)) {
            PaymentStore.Payment p = payments.find(id).orElseThrow();
            Duration next = Duration.ofSeconds(2).multipliedBy(1L << Math.min(p.polls(), 7));
            if (next.compareTo(Duration.ofMinutes(5)) > 0) {
                next = Duration.ofMinutes(5);
            }
            try {
                String bank = connectors.forServicer(catalog.servicer(p.servicerId()).orElseThrow()).paymentInitiation()
                        .status(p.product(), cipher.decryptString(p.bankPayment(), "payment:" + p.id()), Psu.UNATTENDED);
                payments.status(p.id(), PaymentLifecycle.of(bank, true), bank, clock.instant(), clock.instant().plus(next));
            } catch (BankException e) {
                log.warn("Status of payment {} unavailable: {}", p.id(), e.getMessage());
                payments.status(p.id(), p.status(), p.bankStatus(), clock.instant(), clock.instant().plus(next));
            }
            n++;
        }
        return n;
    }
}
