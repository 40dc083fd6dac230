package org.openfinq.server.payment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.bank.BankProfiles;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.testing.TestClock;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** Payments as payment_intent sessions against the sandbox bank, with a scripted SCA. */
class PaymentTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Api bank;
    static Tenants.Creds tenant;
    static Tenants.Creds other;
    static SandboxData data;

    @BeforeAll
    static void start() {
        TestClock.INSTANCE.reset();
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"), TestClock.Config.class);
        api = server.api();
        bank = new Api(server.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString());
        tenant = Tenants.create(api, "payer", Flows.PIS);
        other = Tenants.create(api, "other", Flows.PIS);
        data = new SandboxData(42, LocalDate.of(2025, 1, 1), 0, LocalDate.now(ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
        TestClock.INSTANCE.reset();
    }

    @BeforeEach
    void clock() {
        TestClock.INSTANCE.reset();
    }

    static String iban(String psu, int account) {
        return data.psu(psu).orElseThrow().accounts().get(account).iban();
    }

    /** A valid payment_intent from {@code psu}'s first account, changed by {@code edit}. */
    static Map<String, Object> intent(String psu, Consumer<Map<String, Object>> edit) {
        Map<String, Object> amount = new LinkedHashMap<>(Map.of("amount", "125.50", "currency", "RON"));
        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("end_to_end_id", "INV-2026-0042");
        transfer.put("instructed_amount", amount);
        transfer.put("creditor_name", "Bogdan Ionescu");
        transfer.put("creditor_account", new LinkedHashMap<>(Map.of("iban", iban("bogdan", 0))));
        transfer.put("remittance_information_unstructured", "Invoice 42");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("debtor_account", new LinkedHashMap<>(Map.of("iban", iban(psu, 0))));
        info.put("credit_transfer_transaction_info", new ArrayList<>(List.of(transfer)));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("psu_redirect_link", "https://shop.example/paid?order=42");
        d.put("psu_id", psu);
        d.put("group_header", new LinkedHashMap<>(Map.of("message_id", "MSG-1", "txs_no", 1)));
        d.put("payment_info", new ArrayList<>(List.of(info)));
        edit.accept(d);
        return d;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> transfer(Map<String, Object> d) {
        Map<String, Object> info = ((List<Map<String, Object>>) d.get("payment_info")).getFirst();
        return ((List<Map<String, Object>>) info.get("credit_transfer_transaction_info")).getFirst();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> info(Map<String, Object> d) {
        return ((List<Map<String, Object>>) d.get("payment_info")).getFirst();
    }

    static Api.Response get(Tenants.Creds t, String paymentId) {
        return api.post("/v1/payments/get", Api.object("client_id", t.clientId(), "client_secret", t.clientSecret(), "payment_id", paymentId));
    }

    /** How often the payment's status was read from the bank. */
    static int polls(String paymentId) {
        return Integer.parseInt(column(paymentId, "polls"));
    }

    /** Whether a status poll of the payment is scheduled. */
    static boolean pollScheduled(String paymentId) {
        return Boolean.parseBoolean(column(paymentId, "(next_poll_at is not null)::text"));
    }

    private static String column(String paymentId, String expression) {
        try (java.sql.Connection c = db.connect(); java.sql.ResultSet rs = c.createStatement().executeQuery(
                "select " + expression + " from payment where id = '" + paymentId + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the poller (as any node would) until the payment was read at the bank at least once and shows
     * {@code status}; the scheduled poller may take a turn too.
     */
    static Api.Response pollUntil(String paymentId, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            Api.Response r = get(tenant, paymentId);
            if ((r.text("status").equals(status) && polls(paymentId) > 0) || System.nanoTime() > deadline) {
                assertThat(polls(paymentId)).as("read at the bank").isPositive();
                assertThat(r.text("status")).as(r.body()).isEqualTo(status);
                return r;
            }
            server.bean(PaymentPoller.class).run();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A new PIS session's accepted payment_intent step for {@code psu}'s valid payment. */
    static Api.Response paymentIntent(String userId, String psu) {
        Flows.Session s = Flows.session(api, tenant, Flows.PIS, userId);
        Api.Response step = Flows.step(api, tenant, s.id(), s.nonce(), Flows.PIS, "payment_intent", intent(psu, d -> { }));
        assertThat(step.status()).as(step.body()).isEqualTo(200);
        return step;
    }

    @Test
    void aPaymentWhoseBrowserNeverComesBackIsSettledByPollingAlone() {
        Api.Response step = paymentIntent("closed-the-tab", "alice");
        String paymentId = step.json().get("data").get("payment_id").asString();
        assertThat(pollScheduled(paymentId)).as("polled from the moment the bank accepted it").isTrue();

        TestClock.INSTANCE.advance(Duration.ofSeconds(2));
        Api.Response before = pollUntil(paymentId, "initiated");
        assertThat(before.text("bank_status")).isEqualTo("RCVD");
        assertThat(polls(paymentId)).as("read at the bank before the end-user authorised").isPositive();

        Flows.bank(step, "alice", true); // authorised at the bank; the browser never comes back to openfinq
        TestClock.INSTANCE.advance(Duration.ofSeconds(2));
        assertThat(pollUntil(paymentId, "pending").text("bank_status")).isEqualTo("ACSP");
        TestClock.INSTANCE.advance(Duration.ofMinutes(6));
        assertThat(pollUntil(paymentId, "settled").text("bank_status")).isEqualTo("ACSC");
        assertThat(pollScheduled(paymentId)).as("no polling after a final status").isFalse();
    }

    @Test
    void aPaymentTheBankRejectsOrTheEndUserNeverAuthorisesEndsRejectedByPollingAlone() {
        Api.Response step = paymentIntent("cannot-cover", "carmen");
        String rejected = step.json().get("data").get("payment_id").asString();
        Flows.bank(step, "carmen", true);

        Api.Response step2 = paymentIntent("never-authorised", "alice");
        String abandoned = step2.json().get("data").get("payment_id").asString();

        TestClock.INSTANCE.advance(Duration.ofSeconds(2));
        assertThat(pollUntil(rejected, "rejected").text("bank_status")).isEqualTo("RJCT");
        assertThat(pollUntil(abandoned, "initiated").text("bank_status")).isEqualTo("RCVD");
        TestClock.INSTANCE.advance(Duration.ofMinutes(61));
        Api.Response gaveUp = pollUntil(abandoned, "rejected");
        assertThat(gaveUp.text("bank_status")).as("the bank never said more than RCVD").isEqualTo("RCVD");
        assertThat(pollScheduled(abandoned)).isFalse();
        assertThat(pollScheduled(rejected)).isFalse();
    }

    static int bankPayments() {
        return bank.send("GET", "/sandbox/v1/payments", Map.of(), null).json().get("count").asInt();
    }

    @Test
    void paymentEndToEndReachesSettled() {
        Flows.Session s = Flows.session(api, tenant, Flows.PIS, "buyer-1");
        Api.Response step = Flows.step(api, tenant, s.id(), s.nonce(), Flows.PIS, "payment_intent", intent("alice", d -> { }));
        assertThat(step.status()).as(step.body()).isEqualTo(200);
        assertThat(step.text("status")).isEqualTo("SESSION_IN_PROGRESS");
        JsonNode sca = step.json().get("data");
        assertThat(sca.get("method").asString()).isEqualTo("GET");
        assertThat(sca.get("headers").get("Content-Type").asString()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(URI.create(sca.get("url").asString()).getPath()).startsWith("/sca/payments/");
        String paymentId = sca.get("payment_id").asString();
        assertThat(get(tenant, paymentId).text("status")).isEqualTo("initiated");

        URI toShop = Flows.receive(api, Flows.bank(step, "alice", true));
        assertThat(toShop.toString()).startsWith("https://shop.example/paid?order=42&payment_id=" + paymentId);
        assertThat(Flows.query(toShop)).containsEntry("status", "accepted");
        Api.Response accepted = get(tenant, paymentId);
        assertThat(accepted.text("status")).isEqualTo("accepted");
        assertThat(accepted.text("bank_status")).isEqualTo("ACTC");
        JsonNode tx = accepted.json().get("payment_info").get("credit_transfer_transaction_info").get(0);
        assertThat(tx.get("instructed_amount").get("amount").asString()).isEqualTo("125.50");
        assertThat(tx.get("instructed_amount").get("currency").asString()).isEqualTo("RON");
        assertThat(tx.get("end_to_end_id").asString()).isEqualTo("INV-2026-0042");
        assertThat(accepted.json().get("payment_info").get("debtor_account").get("iban").asString()).isEqualTo(iban("alice", 0));
        assertThat(accepted.text("payment_product")).isEqualTo("domestic-credit-transfers");

        TestClock.INSTANCE.advance(Duration.ofSeconds(2));
        server.bean(PaymentPoller.class).run();
        assertThat(get(tenant, paymentId).text("status")).isEqualTo("pending");
        TestClock.INSTANCE.advance(Duration.ofSeconds(10));
        server.bean(PaymentPoller.class).run();
        Api.Response settled = get(tenant, paymentId);
        assertThat(settled.text("status")).isEqualTo("settled");
        assertThat(settled.text("bank_status")).isEqualTo("ACSC");
        int polls = polls(paymentId);
        TestClock.INSTANCE.advance(Duration.ofMinutes(10));
        server.bean(PaymentPoller.class).run();
        assertThat(polls(paymentId)).as("no polling after a final status").isEqualTo(polls);

        Api.Response events = api.post("/v1/events/get", Api.object("client_id", tenant.clientId(), "client_secret",
                tenant.clientSecret(), "types", java.util.List.of("payment.status_changed"), "count", 500));
        assertThat(events.status()).as(events.body()).isEqualTo(200);
        java.util.List<String> changes = new java.util.ArrayList<>();
        events.json().get("events").forEach(e -> {
            if (paymentId.equals(e.get("payment_id").asString(null))) {
                assertThat(e.get("credentials_id").isNull()).isTrue();
                changes.add(e.get("data").get("previous_status").asString() + ">" + e.get("data").get("status").asString());
            }
        });
        assertThat(changes).as("each status change told once, in order").containsExactly("initiated>accepted", "accepted>pending", "pending>settled");
    }

    @Test
    void aPaymentTheBankRejectsEndsRejectedWithAnErrorRedirect() {
        Flows.Session s = Flows.session(api, tenant, Flows.PIS, "buyer-2");
        Api.Response step = Flows.step(api, tenant, s.id(), s.nonce(), Flows.PIS, "payment_intent", intent("carmen", d -> { }));
        assertThat(step.status()).as(step.body()).isEqualTo(200);
        String paymentId = step.json().get("data").get("payment_id").asString();
        Map<String, String> q = Flows.query(Flows.receive(api, Flows.bank(step, "carmen", true)));
        assertThat(q).containsEntry("error", "tpp_redirect_error").containsEntry("payment_id", paymentId).doesNotContainKey("status");
        assertThat(get(tenant, paymentId).text("status")).isEqualTo("rejected");
        assertThat(get(tenant, paymentId).text("bank_status")).isEqualTo("RJCT");

        Flows.Session denied = Flows.session(api, tenant, Flows.PIS, "buyer-3");
        Api.Response step2 = Flows.step(api, tenant, denied.id(), denied.nonce(), Flows.PIS, "payment_intent", intent("alice", d -> { }));
        Map<String, String> q2 = Flows.query(Flows.receive(api, Flows.bank(step2, "alice", false)));
        assertThat(q2).containsEntry("error", "tpp_redirect_error");
        assertThat(get(tenant, step2.json().get("data").get("payment_id").asString()).text("status")).isEqualTo("rejected");
    }

    @Test
    void everyValidationRuleRefusesWithoutCallingTheBank() {
        Map<String, Consumer<Map<String, Object>>> cases = new LinkedHashMap<>();
        cases.put("data.payment_info[0].debtor_account.iban", d -> info(d).put("debtor_account", Map.of("iban", "RO00OFQBR000002890304779")));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].creditor_account.iban",
                d -> transfer(d).put("creditor_account", Map.of("iban", "RO16BTRL00000020046987")));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].instructed_amount.amount",
                d -> transfer(d).put("instructed_amount", Map.of("amount", "10.001", "currency", "RON")));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].instructed_amount.amount ", 
                d -> transfer(d).put("instructed_amount", Map.of("amount", "-5.00", "currency", "RON")));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].instructed_amount.amount  ",
                d -> transfer(d).put("instructed_amount", Map.of("amount", 12.5, "currency", "RON")));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].instructed_amount.amount   ",
                d -> transfer(d).put("instructed_amount", Map.of("amount", "100.5", "currency", "JPY")));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].instructed_amount.currency",
                d -> transfer(d).put("instructed_amount", Map.of("amount", "1.00", "currency", "XYZ")));
        cases.put("data.payment_info[0].requested_execution_date", d -> info(d).put("requested_execution_date", "2020-01-01"));
        cases.put("data.payment_info[0].requested_execution_date ", d -> info(d).put("requested_execution_date", "26.11.2026"));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].creditor_name", d -> transfer(d).put("creditor_name", "x".repeat(71)));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].remittance_information_unstructured",
                d -> transfer(d).put("remittance_information_unstructured", "r".repeat(141)));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].end_to_end_id", d -> transfer(d).put("end_to_end_id", "e".repeat(36)));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].creditor_name ", d -> transfer(d).remove("creditor_name"));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].creditor_account.iban ",
                d -> transfer(d).put("creditor_account", Map.of("iban", iban("alice", 0))));
        cases.put("data.payment_info", d -> d.put("payment_info", List.of(info(d), info(d))));
        cases.put("data.payment_info ", d -> d.put("payment_info", List.of()));
        cases.put("data.payment_info[0].credit_transfer_transaction_info",
                d -> info(d).put("credit_transfer_transaction_info", List.of(transfer(d), transfer(d))));
        cases.put("data.group_header.txs_no", d -> d.put("group_header", Map.of("message_id", "M", "txs_no", 2)));
        cases.put("data.payment_info[0].colour", d -> info(d).put("colour", "red"));
        cases.put("data.psu_redirect_link", d -> d.remove("psu_redirect_link"));
        cases.put("data.payment_product", d -> d.put("payment_product", "bitcoin-transfers"));
        cases.put("data.payment_info[0].credit_transfer_transaction_info[0].remittance_information_unstructured ",
                d -> transfer(d).put("remittance_information_unstructured", "<script>"));
        // right check digits, impossible for the country: unknown country, wrong length, letters where digits belong
        String creditorIban = "data.payment_info[0].credit_transfer_transaction_info[0].creditor_account.iban";
        String[] strict = {"ZZ73123456789012345678", "SA538000000060801016751", "TR5000061005197864578413",
                "DE86ABCD00440532013000", "FR45ABCDEF10100505000130M02"};
        for (int i = 0; i < strict.length; i++) {
            String bad = strict[i];
            cases.put(creditorIban + " ".repeat(2 + i), d -> transfer(d).put("creditor_account", Map.of("iban", bad)));
        }
        String name = "data.payment_info[0].credit_transfer_transaction_info[0].creditor_name";
        cases.put(name + "  ", d -> transfer(d).put("creditor_name", "Иван Петров"));
        cases.put(name + "   ", d -> transfer(d).put("creditor_name", "Smith & Sons"));
        cases.put(name + "    ", d -> transfer(d).put("creditor_name", "Müller"));
        int before = bankPayments();
        Flows.Session s = Flows.session(api, tenant, Flows.PIS, "validator");
        cases.forEach((field, edit) -> assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.PIS, "payment_intent", intent("alice", edit)),
                400, "invalid_request", "invalid_field", field.strip()));
        assertThat(bankPayments()).as("no invalid payment reached the bank").isEqualTo(before);
        assertThat(Flows.step(api, tenant, s.id(), s.nonce(), Flows.PIS, "payment_intent",
                intent("alice", d -> transfer(d).put("instructed_amount", Map.of("amount", "0.10", "currency", "RON")))).status())
                .as("the session is untouched and takes a valid payment").isEqualTo(200);
        assertThat(bankPayments()).isEqualTo(before + 1);
    }

    @Test
    void concurrentDuplicatesWithOneIdempotencyKeyMakeExactlyOneBankPayment() throws Exception {
        Flows.Session s = Flows.session(api, tenant, Flows.PIS, "double-clicker");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", tenant.clientId());
        body.put("nonce", s.nonce());
        body.put("skill", Flows.PIS);
        body.put("step", "payment_intent");
        body.put("data", intent("alice", d -> { }));
        String json = Api.JSON.writeValueAsString(body);
        String key = UUID.randomUUID().toString();
        int before = bankPayments();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Api.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<Api.Response> call = () -> api.send("POST", "/v1/sessions/" + s.id() + "/steps",
                    Map.of("Content-Type", "application/json", "Idempotency-Key", key), json);
            calls.add(pool.submit(call));
        }
        List<Api.Response> answers = new ArrayList<>();
        for (Future<Api.Response> f : calls) {
            answers.add(f.get());
        }
        pool.shutdown();
        answers.forEach(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
        Set<String> payments = answers.stream().map(a -> a.json().get("data").get("payment_id").asString()).collect(Collectors.toSet());
        assertThat(payments).hasSize(1);
        assertThat(answers.stream().map(a -> a.text("step_id")).collect(Collectors.toSet())).hasSize(1);
        assertThat(bankPayments()).isEqualTo(before + 1);

        Api.Response later = api.send("POST", "/v1/sessions/" + s.id() + "/steps", Map.of("Content-Type", "application/json",
                "Idempotency-Key", key), json);
        assertThat(later.json().get("data").get("payment_id").asString()).isEqualTo(payments.iterator().next());
        assertThat(bankPayments()).isEqualTo(before + 1);

        Map<String, Object> different = new LinkedHashMap<>(body);
        different.put("data", intent("alice", d -> transfer(d).put("instructed_amount", Map.of("amount", "999.00", "currency", "RON"))));
        assertError(api.send("POST", "/v1/sessions/" + s.id() + "/steps", Map.of("Content-Type", "application/json", "Idempotency-Key", key),
                Api.JSON.writeValueAsString(different)), 409, "invalid_request", "idempotency_key_conflict", "different request");
        assertThat(bankPayments()).isEqualTo(before + 1);
    }

    @Test
    void aPaymentOfAnotherTenantCannotBeRead() {
        Flows.Session s = Flows.session(api, tenant, Flows.PIS, "private");
        String paymentId = Flows.step(api, tenant, s.id(), s.nonce(), Flows.PIS, "payment_intent", intent("alice", d -> { }))
                .json().get("data").get("payment_id").asString();
        assertError(get(other, paymentId), 404, "invalid_request", "not_found", "No payment");
        assertError(get(tenant, UUID.randomUUID().toString()), 404, "invalid_request", "not_found", "No payment");
        assertError(get(tenant, "p-1"), 404, "invalid_request", "not_found", "No payment");
        assertThat(get(tenant, paymentId).status()).isEqualTo(200);
    }
}
