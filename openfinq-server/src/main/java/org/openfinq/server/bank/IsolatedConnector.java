package org.openfinq.server.bank;

import org.openfinq.connector.Account;
import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.Balance;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Connector;
import org.openfinq.connector.PaymentInitiation;
import org.openfinq.connector.PaymentOrder;
import org.openfinq.connector.PaymentStart;
import org.openfinq.connector.Psu;
import org.openfinq.connector.ScaAutomation;
import org.openfinq.connector.TransactionPage;
import org.openfinq.connector.TransactionQuery;

import java.util.List;
import java.util.Optional;

/** A connector whose every bank call runs inside the bank's bulkhead and circuit breaker ({@link BankIsolation}). */
final class IsolatedConnector implements Connector {

    private final Connector inner;
    private final BankIsolation isolation;
    private final AccountInformation ais;
    private final PaymentInitiation pis;

    IsolatedConnector(Connector inner, BankIsolation isolation) {
        this.inner = inner;
        this.isolation = isolation;
        this.ais = new Ais();
        this.pis = new Pis();
    }

    @Override
    public BankProfile profile() {
        return inner.profile();
    }

    @Override
    public AccountInformation accountInformation() {
        return ais;
    }

    @Override
    public PaymentInitiation paymentInitiation() {
        return pis;
    }

    @Override
    public Optional<ScaAutomation> scaAutomation() {
        return inner.scaAutomation().map(a -> new ScaAutomation() {
            @Override
            public void decideConsent(String consentId, String psuId, boolean approve, Psu psu) {
                isolation.call(bank(), "sca_automation", () -> {
                    a.decideConsent(consentId, psuId, approve, psu);
                    return null;
                });
            }

            @Override
            public void decidePayment(String paymentId, String psuId, boolean approve, Psu psu) {
                isolation.call(bank(), "sca_automation", () -> {
                    a.decidePayment(paymentId, psuId, approve, psu);
                    return null;
                });
            }
        });
    }

    private String bank() {
        return inner.profile().id();
    }

    private final class Ais implements AccountInformation {
        @Override
        public ConsentStart createConsent(ConsentRequest request, Psu psu, Psu.Redirects redirects) {
            return isolation.call(bank(), "create_consent", () -> inner.accountInformation().createConsent(request, psu, redirects));
        }

        @Override
        public void completeRedirect(String consentId, String continuation, java.util.Map<String, String> callback, Psu psu) {
            isolation.call(bank(), "complete_authorisation", () -> {
                inner.accountInformation().completeRedirect(consentId, continuation, callback, psu);
                return null;
            });
        }

        @Override
        public ConsentStatus consentStatus(String consentId, Psu psu) {
            return isolation.call(bank(), "consent_status", () -> inner.accountInformation().consentStatus(consentId, psu));
        }

        @Override
        public void deleteConsent(String consentId, Psu psu) {
            isolation.call(bank(), "delete_consent", () -> {
                inner.accountInformation().deleteConsent(consentId, psu);
                return null;
            });
        }

        @Override
        public List<Account> accounts(String consentId, Psu psu) {
            return isolation.call(bank(), "accounts", () -> inner.accountInformation().accounts(consentId, psu));
        }

        @Override
        public List<Balance> balances(String consentId, String accountId, Psu psu) {
            return isolation.call(bank(), "balances", () -> inner.accountInformation().balances(consentId, accountId, psu));
        }

        @Override
        public TransactionPage transactions(String consentId, String accountId, TransactionQuery query, String cursor, Psu psu) {
            return isolation.call(bank(), "transactions", () -> inner.accountInformation().transactions(consentId, accountId, query, cursor, psu));
        }
    }

    private final class Pis implements PaymentInitiation {
        @Override
        public PaymentStart initiate(PaymentOrder order, Psu psu, Psu.Redirects redirects) {
            return isolation.call(bank(), "initiate_payment", () -> inner.paymentInitiation().initiate(order, psu, redirects));
        }

        @Override
        public void completeRedirect(String paymentId, String continuation, java.util.Map<String, String> callback, Psu psu) {
            isolation.call(bank(), "complete_authorisation", () -> {
                inner.paymentInitiation().completeRedirect(paymentId, continuation, callback, psu);
                return null;
            });
        }

        @Override
        public String status(String product, String paymentId, Psu psu) {
            return isolation.call(bank(), "payment_status", () -> inner.paymentInitiation().status(product, paymentId, psu));
        }
    }
}
