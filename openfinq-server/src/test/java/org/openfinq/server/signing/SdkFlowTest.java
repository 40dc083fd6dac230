package org.openfinq.server.signing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.client.OpenfinqClient;
import org.openfinq.client.OpenfinqException;
import org.openfinq.client.Signer;
import org.openfinq.client.model.Account;
import org.openfinq.client.model.Consent;
import org.openfinq.client.model.Credentials;
import org.openfinq.client.model.TransactionChanges;
import org.openfinq.client.model.Session;
import org.openfinq.client.model.Step;
import org.openfinq.client.model.Transaction;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java SDK runs the whole onboarding and data flow against a running server on /v1s. */
class SdkFlowTest {

    static final String ID = "sdk@tenant.iam.gserviceaccount.com";
    static TestDatabase db;
    static TestServer server;
    static Tenants.Creds tenant;
    static OpenfinqClient sdk;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"));
        tenant = Tenants.create(server.api(), "sdk", Flows.AIS, Flows.LOAN, Flows.PIS);
        KeyPair key = Jws.rsa(2048);
        SignedRequestTest.register(server.api(), tenant, ID, "sdk-1", SignedRequestTest.pem(key));
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        sdk = OpenfinqClient.builder(server.baseUrl(), tenant.clientId()).clientSecret(tenant.clientSecret())
                .clientAppKey(tenant.clientAppKey()).signer(Signer.fromPem(pem, "sdk-1", ID)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void onboardingAndDataOverSignedRequests() {
        assertThat(sdk.skills(null)).extracting(s -> s.id()).contains(Flows.AIS, Flows.LOAN, Flows.PIS);
        Session session = sdk.createSession("sdk-user", Flows.AIS);
        Step step = sdk.submitStep(session.sessionId(), session.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "alice"));
        assertThat(step.status()).isEqualTo("SESSION_COMPLETED");
        Credentials credentials = sdk.exchangeToken(step.tempToken());
        assertThat(credentials.consentExp()).endsWith("Z");
        assertThat(Flows.awaitSync(db, credentials.credentialsId())[0]).isEqualTo("done");

        List<Account> accounts = sdk.accounts(credentials, "sdk-user");
        assertThat(accounts).hasSize(3).allSatisfy(a -> assertThat(a.iban()).startsWith("RO"));
        assertThat(sdk.balances(credentials, "sdk-user", Map.of("type", "InterimAvailable"))).hasSize(3);
        List<Transaction> booked = sdk.transactions(credentials, "sdk-user", Map.of("status", "booked", "account_id", accounts.getFirst().id()));
        assertThat(booked).isNotEmpty().allSatisfy(t -> {
            assertThat(t.data().amount()).isGreaterThan(BigDecimal.ZERO);
            assertThat(t.data().status()).isEqualTo("booked");
            assertThat(t.utxId()).hasSize(44);
        });
        Consent consent = sdk.getConsent(credentials);
        assertThat(consent.result().status()).isEqualTo("ACTIVE");
        assertThat(consent.result().sync().state()).isEqualTo("ready");
        assertThat(consent.result().sync().lastSuccessAt()).endsWith("Z");

        java.util.Set<String> synced = new java.util.HashSet<>();
        String cursor = null;
        TransactionChanges page;
        do {
            page = sdk.syncTransactions(credentials, "sdk-user", cursor, 500);
            page.added().forEach(t -> assertThat(synced.add(t.id())).as("each once").isTrue());
            assertThat(page.modified()).isEmpty();
            cursor = page.nextCursor();
        } while (page.hasMore());
        assertThat(synced).isEqualTo(sdk.transactions(credentials, "sdk-user", null).stream().map(Transaction::id)
                .collect(java.util.stream.Collectors.toSet()));
        assertThat(sdk.syncTransactions(credentials, "sdk-user", cursor, null).added()).isEmpty();
        assertThat(sdk.events(null, 500, List.of("sync.initial_completed")).events())
                .anySatisfy(e -> assertThat(e.credentialsId()).isEqualTo(credentials.credentialsId()));
        assertThatThrownBy(() -> sdk.accounts(credentials, "not-the-user")).isInstanceOfSatisfying(OpenfinqException.class, e -> {
            assertThat(e.code()).isEqualTo("invalid_credentials_id");
            assertThat(e.http()).isEqualTo(401);
            assertThat(e.error().type()).isEqualTo("unauthorized");
        });
        assertThat(sdk.deleteConsent(credentials, 0).result().status()).isEqualTo("DELETED");
    }

    @Test
    void uploadsAndPaymentsThroughTheSdk() {
        Session loan = sdk.createSession("sdk-loan", Flows.LOAN);
        Step form = sdk.submitStep(loan.sessionId(), loan.nonce(), Flows.LOAN, "product_form", Map.of("value", "5000", "currency", "RON", "period", 24));
        Step applicant = sdk.submitStep(loan.sessionId(), form.nonce(), Flows.LOAN, "applicant",
                Map.of("first_name", "Dan", "last_name", "Stan", "email", "dan@example.ro", "birth_date", "1985-06-01"));
        Step docs = sdk.submitStep(loan.sessionId(), applicant.nonce(), Flows.LOAN, "documents", Map.of("document_type", "payslip"));
        Step uploaded = sdk.upload(loan.sessionId(), docs.stepId(), docs.nonce(), "payslip.pdf", "application/pdf",
                "%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(uploaded.status()).isEqualTo("SESSION_COMPLETED");
        assertThat(sdk.exchangeToken(uploaded.tempToken()).credentialsId()).isNotBlank();

        Session pay = sdk.createSession("sdk-payer", Flows.PIS);
        Map<String, Object> intent = Map.of("psu_redirect_link", "https://shop.example/done", "payment_info", List.of(Map.of(
                "debtor_account", Map.of("iban", PaymentIbans.alice()),
                "credit_transfer_transaction_info", List.of(Map.of("instructed_amount", Map.of("amount", "19.99", "currency", "RON"),
                        "creditor_name", "Shop SRL", "creditor_account", Map.of("iban", PaymentIbans.bogdan()))))));
        String key = UUID.randomUUID().toString();
        Step first = sdk.submitStep(pay.sessionId(), pay.nonce(), Flows.PIS, "payment_intent", intent, key);
        Step again = sdk.submitStep(pay.sessionId(), pay.nonce(), Flows.PIS, "payment_intent", intent, key);
        assertThat(again.paymentId()).isEqualTo(first.paymentId());
        assertThat(first.scaUrl()).contains("/sca/payments/");
        assertThat(sdk.getPayment(first.paymentId()).status()).isEqualTo("initiated");
    }

    @Test
    void theSameClientWithoutASignerUsesV1() {
        OpenfinqClient plain = OpenfinqClient.builder(server.baseUrl(), tenant.clientId()).clientAppKey(tenant.clientAppKey()).build();
        assertThat(plain.createSession("plain-user", Flows.AIS).status()).isEqualTo("SESSION_CREATED");
        OpenfinqClient unsignedOnV1s = OpenfinqClient.builder(server.baseUrl(), tenant.clientId()).clientAppKey("wrong").build();
        assertThatThrownBy(() -> unsignedOnV1s.createSession("x", Flows.AIS)).isInstanceOfSatisfying(OpenfinqException.class,
                e -> assertThat(e.code()).isEqualTo("invalid_client_app_key"));
        assertThat(new Api(server.baseUrl()).post("/v1s/sessions", "{}").status()).isEqualTo(401);
    }

    /** IBANs of the sandbox bank's seed-42 customers. */
    static final class PaymentIbans {
        static org.openfinq.sandboxbank.data.SandboxData data = new org.openfinq.sandboxbank.data.SandboxData(42,
                java.time.LocalDate.of(2025, 1, 1), 0, java.time.LocalDate.now());

        static String alice() {
            return data.psu("alice").orElseThrow().accounts().getFirst().iban();
        }

        static String bogdan() {
            return data.psu("bogdan").orElseThrow().accounts().getFirst().iban();
        }
    }
}
