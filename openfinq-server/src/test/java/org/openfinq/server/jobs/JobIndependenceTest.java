package org.openfinq.server.jobs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.sandboxbank.SandboxBank;
import org.openfinq.sandboxbank.SandboxConfig;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.testing.TestClock;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs of different kinds never wait for each other: while syncs spend 30 s in a bank call (the bank answers its
 * transaction reads 30 s late), payment status polling and session expiry go on acting; a node's sync workers run
 * side by side.
 */
class JobIndependenceTest {

    static final Duration SLOW = Duration.ofSeconds(30);

    static TestDatabase db;
    static SandboxBank sandbox;
    static HttpServer slowBank;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static final AtomicBoolean slow = new AtomicBoolean();
    static final AtomicInteger slowCalls = new AtomicInteger();
    static volatile Instant firstSlowCall;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");

    @BeforeAll
    static void start() throws IOException {
        TestClock.INSTANCE.reset();
        db = TestDatabase.create();
        sandbox = SandboxBank.start(SandboxConfig.defaults().withPort(0).withSeed(42).withLargePsuTransactions(0)
                .withClock(TestClock.INSTANCE));
        slowBank = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowBank.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slowBank.createContext("/", JobIndependenceTest::forward);
        slowBank.start();
        server = TestServer.start(db, Map.of(
                "openfinq.sandbox-bank.url", "http://127.0.0.1:" + slowBank.getAddress().getPort(),
                "openfinq.sync.workers", "2",
                "openfinq.onboarding.expiry-interval", "PT1S",
                "openfinq.payments.poll-interval", "PT1S"), TestClock.Config.class);
        api = server.api();
        tenant = Tenants.create(api, "independent", Flows.AIS, Flows.PIS);
    }

    @AfterAll
    static void stop() {
        slow.set(false);
        server.close();
        slowBank.stop(0);
        sandbox.close();
        db.close();
        TestClock.INSTANCE.reset();
    }

    /** The sandbox bank, reached through this forwarder, which holds transaction reads for 30 s while {@code slow}. */
    static void forward(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (slow.get() && path.matches("/v1/accounts/[^/]+/transactions")) {
                if (slowCalls.incrementAndGet() == 1) {
                    firstSlowCall = Instant.now();
                }
                Thread.sleep(SLOW);
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.url() + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase())) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((k, vs) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase()) && !k.startsWith(":")) {
                    ex.getResponseHeaders().put(k, vs);
                }
            });
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            ex.getResponseBody().write(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aThirtySecondSyncDelaysNeitherPaymentPollingNorSessionExpiry() throws Exception {
        slow.set(true);
        Flows.Session s = Flows.session(api, tenant, Flows.AIS, "slow-sync");
        Api.Response done = Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "alice"));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        String consent = Flows.exchange(api, tenant, done.json().get("data").get("temp_token").asString()).text("credentials_id");
        Flows.Session s2 = Flows.session(api, tenant, Flows.AIS, "slow-sync-2");
        Api.Response done2 = Flows.step(api, tenant, s2.id(), s2.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "bogdan"));
        assertThat(done2.status()).as(done2.body()).isEqualTo(200);
        String consent2 = Flows.exchange(api, tenant, done2.json().get("data").get("temp_token").asString()).text("credentials_id");
        await("both syncs are in their slow bank call at once: the node's two workers run in parallel", Duration.ofSeconds(20),
                () -> slowCalls.get() >= 2);

        Flows.Session abandoned = Flows.session(api, tenant, Flows.AIS, "abandoned");
        Flows.Session pis = Flows.session(api, tenant, Flows.PIS, "buyer");
        Api.Response pay = Flows.step(api, tenant, pis.id(), pis.nonce(), Flows.PIS, "payment_intent", intent("alice", "bogdan"));
        assertThat(pay.status()).as(pay.body()).isEqualTo(200);
        String paymentId = pay.json().get("data").get("payment_id").asString();
        Flows.receive(api, Flows.bank(pay, "alice", true));
        assertThat(payment(paymentId)).isEqualTo("accepted");

        TestClock.INSTANCE.advance(Duration.ofMinutes(31));
        await("session expiry and payment polling acted", Duration.ofSeconds(15),
                () -> "SESSION_EXPIRED".equals(sql("select status from session where id = '" + abandoned.id() + "'"))
                        && payment(paymentId).equals("settled"));
        assertThat(Instant.now()).as("both happened while the sync waited for the bank").isBefore(firstSlowCall.plus(SLOW));
        assertThat(sql("select status from sync_job where consent_id = '" + consent + "'")).isEqualTo("running");
        assertThat(sql("select status from sync_job where consent_id = '" + consent2 + "'")).isEqualTo("running");

        slow.set(false);
        for (String c : List.of(consent, consent2)) {
            String[] job = Flows.awaitSync(db, c);
            assertThat(job[0]).as("the slow sync itself completes: %s", job[3]).isEqualTo("done");
        }
    }

    static Map<String, Object> intent(String debtor, String creditor) {
        SandboxData data = new SandboxData(42, LocalDate.of(2025, 1, 1), 0, LocalDate.now(ZoneOffset.UTC));
        Map<String, Object> transfer = Map.of("end_to_end_id", "E2E-1",
                "instructed_amount", Map.of("amount", "10.00", "currency", "RON"),
                "creditor_name", "Creditor", "creditor_account", Map.of("iban", data.psu(creditor).orElseThrow().accounts().getFirst().iban()),
                "remittance_information_unstructured", "Order 1");
        return Map.of("psu_redirect_link", "https://shop.example/paid", "psu_id", debtor,
                "group_header", Map.of("message_id", "MSG-1", "txs_no", 1),
                "payment_info", List.of(Map.of("debtor_account", Map.of("iban", data.psu(debtor).orElseThrow().accounts().getFirst().iban()),
                        "credit_transfer_transaction_info", List.of(transfer))));
    }

    static String payment(String id) {
        Api.Response r = api.post("/v1/payments/get", Api.object("client_id", tenant.clientId(), "client_secret", tenant.clientSecret(),
                "payment_id", id));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.text("status");
    }

    static String sql(String query) {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, Duration max, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(max);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
