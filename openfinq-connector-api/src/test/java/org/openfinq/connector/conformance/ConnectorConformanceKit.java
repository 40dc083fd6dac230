package org.openfinq.connector.conformance;

import org.junit.jupiter.api.Test;
import org.openfinq.connector.Account;
import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.Balance;
import org.openfinq.connector.BankException;
import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Connector;
import org.openfinq.connector.PaymentOrder;
import org.openfinq.connector.PaymentStart;
import org.openfinq.connector.Psu;
import org.openfinq.connector.Transaction;
import org.openfinq.connector.TransactionQuery;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole connector contract, run against a live bank (or simulator) over HTTP: consents with a scripted
 * SCA, accounts, balances, every page of transactions, payments, and the errors. Extend it with a
 * connector, an SCA driver and the bank's test data.
 */
public abstract class ConnectorConformanceKit {

    protected static final Psu PRESENT = Psu.present("203.0.113.7");

    protected abstract Connector connector();

    protected abstract ScaDriver sca();

    protected abstract ConformanceFixture fixture();

    private AccountInformation ais() {
        return connector().accountInformation();
    }

    protected Psu.Redirects redirects() {
        String state = UUID.randomUUID().toString();
        return new Psu.Redirects(URI.create("https://tpp.invalid/ok?state=" + state),
                URI.create("https://tpp.invalid/nok?state=" + state));
    }

    /** A consent the PSU approved in the browser. */
    protected String approvedConsent() {
        Psu.Redirects r = redirects();
        ConsentStart start = ais().createConsent(new ConsentRequest(List.of(), true, LocalDate.now().plusDays(90), 4), PRESENT, r);
        assertThat(sca().approve(start.scaRedirect(), fixture().psuId(), fixture().password())).isEqualTo(r.ok());
        return start.consentId();
    }

    @Test
    void consentApprovedInTheBrowserReadsAccountsBalancesAndTransactions() {
        Psu.Redirects r = redirects();
        ConsentStart start = ais().createConsent(new ConsentRequest(List.of(), true, LocalDate.now().plusDays(90), 4), PRESENT, r);
        assertThat(start.consentId()).isNotBlank();
        assertThat(start.status()).isEqualTo(ConsentStatus.RECEIVED);
        assertThat(start.scaRedirect().getScheme()).startsWith("http");
        assertThat(ais().consentStatus(start.consentId(), PRESENT)).isEqualTo(ConsentStatus.RECEIVED);

        URI back = sca().approve(start.scaRedirect(), fixture().psuId(), fixture().password());
        assertThat(back).as("the bank sends the browser to the TPP's ok URI, state intact").isEqualTo(r.ok());
        assertThat(ais().consentStatus(start.consentId(), PRESENT)).isEqualTo(ConsentStatus.VALID);

        List<Account> accounts = ais().accounts(start.consentId(), PRESENT);
        assertThat(accounts).isNotEmpty();
        accounts.forEach(a -> {
            assertThat(a.resourceId()).isNotBlank();
            assertThat(a.currency()).matches("[A-Z]{3}");
        });
        List<Balance> balances = ais().balances(start.consentId(), accounts.getFirst().resourceId(), PRESENT);
        assertThat(balances).isNotEmpty();
        balances.forEach(b -> {
            assertThat(b.type()).isNotBlank();
            assertThat(b.amount().currency()).isEqualTo(accounts.getFirst().currency());
        });
        List<Transaction> txs = ais().allTransactions(start.consentId(), accounts.getFirst().resourceId(),
                fixture().historyFrom(), null, PRESENT);
        assertThat(txs).isNotEmpty();
        txs.forEach(t -> {
            assertThat(t.amount().amount().signum()).isNotZero();
            if (t.status() == Transaction.BookingStatus.BOOKED) {
                assertThat(t.bookingDate()).isNotNull().isAfterOrEqualTo(fixture().historyFrom());
            }
        });
    }

    @Test
    void everyPageIsReadOnceInOrder() {
        String consent = approvedConsent();
        String account = ais().accounts(consent, PRESENT).getFirst().resourceId();
        List<Integer> pageSizes = new ArrayList<>();
        List<Transaction> seen = new ArrayList<>();
        ais().forEachTransactionPage(consent, account, new TransactionQuery(fixture().historyFrom(), null, true, false),
                PRESENT, page -> {
                    pageSizes.add(page.transactions().size());
                    seen.addAll(page.transactions());
                });
        if (fixture().expectsPaging()) {
            assertThat(pageSizes).hasSizeGreaterThan(1);
        }
        Set<String> ids = new HashSet<>();
        seen.forEach(t -> assertThat(ids.add(t.transactionId() + "|" + t.entryReference())).as("no page repeats a transaction").isTrue());
        assertThat(seen).allMatch(t -> t.status() == Transaction.BookingStatus.BOOKED);
    }

    @Test
    void deniedConsentIsRejectedAndUnusable() {
        Psu.Redirects r = redirects();
        ConsentStart start = ais().createConsent(new ConsentRequest(List.of(), true, LocalDate.now().plusDays(30), 4), PRESENT, r);
        assertThat(sca().deny(start.scaRedirect(), fixture().psuId(), fixture().password())).isEqualTo(r.nok());
        assertThat(ais().consentStatus(start.consentId(), PRESENT)).isEqualTo(ConsentStatus.REJECTED);
        assertThatThrownBy(() -> ais().accounts(start.consentId(), PRESENT)).isInstanceOf(BankException.ConsentInvalid.class);
    }

    @Test
    void deletedConsentIsRefusedAndDeleteIsIdempotent() {
        String consent = approvedConsent();
        ais().deleteConsent(consent, PRESENT);
        ais().deleteConsent(consent, PRESENT);
        assertThat(ais().consentStatus(consent, PRESENT)).isEqualTo(ConsentStatus.TERMINATED_BY_TPP);
        assertThatThrownBy(() -> ais().accounts(consent, PRESENT))
                .isInstanceOfSatisfying(BankException.ConsentInvalid.class, e -> {
                    assertThat(e.fault()).isEqualTo(BankException.Fault.PSU);
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void unknownConsentIsConsentInvalid() {
        assertThatThrownBy(() -> ais().accounts("no-such-consent-" + UUID.randomUUID(), PRESENT))
                .isInstanceOf(BankException.ConsentInvalid.class);
    }

    @Test
    void approvedPaymentSettles() throws InterruptedException {
        Psu.Redirects r = redirects();
        PaymentStart start = connector().paymentInitiation().initiate(order(fixture().creditorIban()), PRESENT, r);
        assertThat(start.paymentId()).isNotBlank();
        assertThat(start.transactionStatus()).isEqualTo("RCVD");
        assertThat(sca().approve(start.scaRedirect(), fixture().psuId(), fixture().password())).isEqualTo(r.ok());
        Instant deadline = Instant.now().plus(fixture().settlesWithin());
        String status = connector().paymentInitiation().status(fixture().product(), start.paymentId(), PRESENT);
        assertThat(status).isIn("ACTC", "ACCP", "ACSP", "ACWC", "ACSC", "ACCC");
        while (!status.equals("ACSC") && !status.equals("ACCC") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            status = connector().paymentInitiation().status(fixture().product(), start.paymentId(), PRESENT);
        }
        assertThat(status).isIn("ACSC", "ACCC");
    }

    @Test
    void deniedPaymentIsRejected() {
        Psu.Redirects r = redirects();
        PaymentStart start = connector().paymentInitiation().initiate(order(fixture().creditorIban()), PRESENT, r);
        assertThat(sca().deny(start.scaRedirect(), fixture().psuId(), fixture().password())).isEqualTo(r.nok());
        assertThat(connector().paymentInitiation().status(fixture().product(), start.paymentId(), PRESENT)).isIn("RJCT", "CANC");
    }

    @Test
    void invalidPaymentIsOurFault() {
        String badIban = fixture().creditorIban().substring(0, 2) + "00" + fixture().creditorIban().substring(4);
        assertThatThrownBy(() -> connector().paymentInitiation().initiate(order(badIban), PRESENT, redirects()))
                .isInstanceOfSatisfying(BankException.BadRequest.class, e -> {
                    assertThat(e.fault()).isEqualTo(BankException.Fault.TPP);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.httpStatus()).isEqualTo(400);
                });
    }

    @Test
    void paymentABankWouldRefuseIsRefusedBeforeSca() {
        // right check digits, but DE BBANs are digits only: refused by the connector itself
        assertThatThrownBy(() -> connector().paymentInitiation().initiate(order("DE86ABCD00440532013000"), PRESENT, redirects()))
                .isInstanceOfSatisfying(BankException.BadRequest.class, e -> {
                    assertThat(e.fault()).isEqualTo(BankException.Fault.TPP);
                    assertThat(e.getMessage()).contains("creditor IBAN does not follow the account number structure of DE IBANs");
                });
    }

    private PaymentOrder order(String creditorIban) {
        return new PaymentOrder(fixture().product(), "E2E-" + UUID.randomUUID().toString().substring(0, 8),
                fixture().debtorIban(), fixture().amount(), fixture().creditorName(), creditorIban,
                "Invoice 2026-11", null);
    }
}
