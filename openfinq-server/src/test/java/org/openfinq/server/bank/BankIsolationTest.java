package org.openfinq.server.bank;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * One bank's trouble stays with that bank: a bank that accepts connections and never answers does not slow the
 * node's other endpoints (its steps hold no database connection and its bulkhead refuses the excess at once), and
 * a failing bank's circuit breaker opens, refuses at once with {@code Retry-After}, half-opens and closes again.
 */
class BankIsolationTest {

    static final String HANGING_SERVICER = "7b2e9c40-1d3a-4f5b-8c6d-0e1f2a3b4c01";
    static final String FLAKY_SERVICER = "7b2e9c40-1d3a-4f5b-8c6d-0e1f2a3b4c02";
    static final String HANGING_SKILL = "hanging_ro_aisp_sbx_#1.0";
    static final String FLAKY_SKILL = "flaky_ro_aisp_sbx_#1.0";
    static final int HANGING_LIMIT = 20;
    static final Duration HANGING_READ_TIMEOUT = Duration.ofSeconds(10);

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static HangingBank hanging;
    static FlakyBank flaky;
    static Path files;

    @BeforeAll
    static void start() throws IOException {
        hanging = new HangingBank();
        flaky = new FlakyBank();
        files = Files.createTempDirectory("openfinq-isolation-");
        Path hangingProfile = files.resolve("hanging.json");
        Files.writeString(hangingProfile, """
                {"id": "hanging", "protocol": "berlingroup", "base_url": "http://127.0.0.1:%d", "connect_timeout": "PT1S",
                 "read_timeout": "%s", "isolation": {"max_concurrent_calls": %d}}
                """.formatted(hanging.port(), HANGING_READ_TIMEOUT, HANGING_LIMIT));
        Path flakyProfile = files.resolve("flaky.json");
        Files.writeString(flakyProfile, """
                {"id": "flaky", "protocol": "berlingroup", "base_url": "http://127.0.0.1:%d", "connect_timeout": "PT1S",
                 "read_timeout": "PT5S", "isolation": {"sliding_window": 4, "minimum_calls": 4, "failure_rate_threshold": 50,
                                                       "open_for": "PT2S", "half_open_calls": 1}}
                """.formatted(flaky.port()));
        Path catalog = files.resolve("catalog.json");
        Files.writeString(catalog, """
                {"servicers": [{"id": "%s", "name": "Hanging Bank", "country": "Romania", "country_code": "RO", "bank_profile": "hanging"},
                               {"id": "%s", "name": "Flaky Bank", "country": "Romania", "country_code": "RO", "bank_profile": "flaky"}],
                 "skills": [{"id": "%s", "name": "Hanging Bank AIS", "type": "aisp", "environment": "sandbox",
                             "servicer_id": "%s", "steps": [{"name": "sca", "order": 1}]},
                            {"id": "%s", "name": "Flaky Bank AIS", "type": "aisp", "environment": "sandbox",
                             "servicer_id": "%s", "steps": [{"name": "sca", "order": 1}]}]}
                """.formatted(HANGING_SERVICER, FLAKY_SERVICER, HANGING_SKILL, HANGING_SERVICER, FLAKY_SKILL, FLAKY_SERVICER));
        db = TestDatabase.create();
        // a small pool: were a hanging bank call to hold a connection, ten of them would stop the node
        server = TestServer.start(db, Map.of("openfinq.bank-profile-files", hangingProfile + "," + flakyProfile,
                "openfinq.catalog-files", catalog.toString(), "openfinq.db.pool-size", "10",
                "openfinq.sandbox-bank.large-psu-transactions", "0"));
        api = server.api();
        flaky.target(server.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString());
        tenant = Tenants.create(api, "isolated", Flows.AIS, HANGING_SKILL, FLAKY_SKILL);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        db.close();
        hanging.close();
        flaky.close();
        try (var s = Files.walk(files)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aHangingBankSlowsNoOtherEndpoint() throws Exception {
        assertThat(server.bean(com.zaxxer.hikari.HikariDataSource.class).getMaximumPoolSize()).as("OPENFINQ_DB_POOL_SIZE").isEqualTo(10);
        Flows.Credentials creds = implicitCredentials("reader");
        Flows.awaitSync(db, creds.credentialsId());

        load(creds); // warm-up
        List<Long> baseline = load(creds);

        List<Flows.Session> sessions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sessions.add(Flows.session(api, tenant, HANGING_SKILL, "hang-" + i));
        }
        ExecutorService steps = Executors.newVirtualThreadPerTaskExecutor();
        long stepsStarted = System.nanoTime();
        List<Future<long[]>> stepCalls = new ArrayList<>();
        List<Api.Response> stepAnswers = new CopyOnWriteArrayList<>();
        for (Flows.Session s : sessions) {
            stepCalls.add(steps.submit(() -> {
                long t0 = System.nanoTime();
                Api.Response r = Flows.step(api, tenant, s.id(), s.nonce(), HANGING_SKILL, "sca",
                        Map.of("psu_redirect_link", "https://app.example/done"));
                stepAnswers.add(r);
                return new long[]{System.nanoTime() - t0};
            }));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (hanging.accepted() < HANGING_LIMIT && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(hanging.accepted()).as("the bank holds as many calls as its bulkhead lets through").isEqualTo(HANGING_LIMIT);

        List<Long> during = load(creds);
        long duringEnded = System.nanoTime();
        assertThat(stepCalls.stream().filter(f -> !f.isDone()).count()).as("the load ran while the hanging steps still waited")
                .isGreaterThanOrEqualTo(HANGING_LIMIT);
        assertThat(hanging.accepted()).as("no call beyond the bulkhead reached the bank").isEqualTo(HANGING_LIMIT);
        while (stepAnswers.size() < 50 - HANGING_LIMIT && System.nanoTime() - stepsStarted < HANGING_READ_TIMEOUT.toNanos()) {
            Thread.sleep(20);
        }
        assertThat(stepAnswers.size()).as("the refused steps answered before any hanging one timed out").isEqualTo(50 - HANGING_LIMIT);
        assertThat(duringEnded - stepsStarted).as("the load ran before the bank's read timeout (ns)").isLessThan(HANGING_READ_TIMEOUT.toNanos());

        // a second call of a session whose step is at the bank loses at once with the documented conflict
        int inFlight = 0;
        while (stepCalls.get(inFlight).isDone()) {
            inFlight++;
        }
        Flows.Session waiting = sessions.get(inFlight);
        long c0 = System.nanoTime();
        assertError(Flows.step(api, tenant, waiting.id(), waiting.nonce(), HANGING_SKILL, "sca",
                Map.of("psu_redirect_link", "https://app.example/done")), 409, "invalid_request", "step_conflict", "running at the bank");
        assertThat(Duration.ofNanos(System.nanoTime() - c0)).isLessThan(Duration.ofSeconds(3));

        long slowest = 0;
        for (Future<long[]> f : stepCalls) {
            slowest = Math.max(slowest, f.get()[0]);
        }
        steps.shutdown();
        int busy = 0;
        int timedOut = 0;
        for (Api.Response r : stepAnswers) {
            if (r.json() != null && "external_api_too_many_requests".equals(r.text("code"))) {
                assertError(r, 400, "external_api_error", "external_api_too_many_requests", "not called");
                assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
                busy++;
            } else {
                assertError(r, 400, "external_api_error", "external_api_connection_error", "trying again later may help");
                timedOut++;
            }
        }
        assertThat(busy).isEqualTo(50 - HANGING_LIMIT);
        assertThat(timedOut).isEqualTo(HANGING_LIMIT);
        assertThat(Duration.ofNanos(slowest)).as("the hanging steps end with the bank's read timeout")
                .isGreaterThanOrEqualTo(HANGING_READ_TIMEOUT.minusMillis(100)).isLessThan(HANGING_READ_TIMEOUT.plusSeconds(20));

        // the timed-out step changed nothing and released its session: the same nonce reaches the bank's guard again
        // (whose breaker the 20 timeouts opened), it is neither a conflict nor a used nonce
        Flows.Session s = waiting;
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), HANGING_SKILL, "sca", Map.of("psu_redirect_link", "https://app.example/done")),
                400, "external_api_error", "external_api_connection_error", "not called");

        double p99Base = percentile(baseline, 99);
        double p99During = percentile(during, 99);
        System.out.printf("ISOLATION FIGURES: 200 catalog/token/data calls, p50 %.1f ms / p99 %.1f ms without a hanging bank;"
                        + " p50 %.1f ms / p99 %.1f ms with 50 sca steps hanging at another bank (pool of 10 connections)%n",
                percentile(baseline, 50), p99Base, percentile(during, 50), p99During);
        assertThat(p99During).as("p99 while a bank hangs (ms); a call waiting for a hanging step would take >= %s", HANGING_READ_TIMEOUT)
                .isLessThan(4000);
    }

    @Test
    void aFailingBanksBreakerOpensRefusesAtOnceHalfOpensAndClosesWhenTheBankRecovers() throws Exception {
        flaky.up(false);
        Flows.Session s = Flows.session(api, tenant, FLAKY_SKILL, "flaky-user");
        Map<String, String> data = Map.of("psu_redirect_link", "https://app.example/done");
        for (int i = 0; i < 4; i++) {
            assertError(Flows.step(api, tenant, s.id(), s.nonce(), FLAKY_SKILL, "sca", data),
                    400, "external_api_error", "external_api_connection_error", "trying again later may help");
        }
        assertThat(flaky.calls()).isEqualTo(4);
        assertThat(server.bean(BankIsolation.class).state("flaky")).isEqualTo("OPEN");

        long t0 = System.nanoTime();
        Api.Response refused = Flows.step(api, tenant, s.id(), s.nonce(), FLAKY_SKILL, "sca", data);
        long refusedMs = (System.nanoTime() - t0) / 1_000_000;
        assertError(refused, 400, "external_api_error", "external_api_connection_error", "not called");
        assertThat(Integer.parseInt(refused.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
        assertThat(flaky.calls()).as("an open breaker lets nothing through").isEqualTo(4);
        assertThat(refusedMs).as("refused at once (ms)").isLessThan(1000);

        // other banks are unaffected
        assertThat(implicitCredentials("other-bank-user").credentialsId()).isNotBlank();

        // after open_for one trial call goes through; the bank still fails, so it opens again
        Thread.sleep(2100);
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), FLAKY_SKILL, "sca", data),
                400, "external_api_error", "external_api_connection_error", "trying again later may help");
        assertThat(flaky.calls()).isEqualTo(5);
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), FLAKY_SKILL, "sca", data),
                400, "external_api_error", "external_api_connection_error", "not called");
        assertThat(flaky.calls()).isEqualTo(5);

        // the bank recovers: the next trial call succeeds and the breaker closes
        flaky.up(true);
        Thread.sleep(2100);
        Api.Response ok = Flows.step(api, tenant, s.id(), s.nonce(), FLAKY_SKILL, "sca", data);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(flaky.calls()).isEqualTo(6);
        assertThat(server.bean(BankIsolation.class).state("flaky")).isEqualTo("CLOSED");
        Flows.Session again = Flows.session(api, tenant, FLAKY_SKILL, "flaky-user-2");
        assertThat(Flows.step(api, tenant, again.id(), again.nonce(), FLAKY_SKILL, "sca", data).status()).isEqualTo(200);
        assertThat(flaky.calls()).isEqualTo(7);
    }

    /** A sandbox AIS onboarding without a browser (sca_implicit), exchanged for credentials. */
    static Flows.Credentials implicitCredentials(String user) {
        Flows.Session s = Flows.session(api, tenant, Flows.AIS, user);
        Api.Response done = Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "alice"));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        Api.Response token = Flows.exchange(api, tenant, done.json().get("data").get("temp_token").asString());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return new Flows.Credentials(token.text("credentials_id"), token.text("access_token"));
    }

    /**
     * 200 calls, 16 at a time: 80 catalog reads, 60 token exchanges (of unknown temp_tokens: the tenant and token
     * look-ups run, the answer is 401) and 60 account reads. Every one must answer as expected; returns their
     * latencies in microseconds.
     */
    static List<Long> load(Flows.Credentials creds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int kind = i % 10;
            calls.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                if (kind < 4) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("client_id", tenant.clientId());
                    body.put("client_app_key", tenant.clientAppKey());
                    Api.Response r = api.post("/v1/catalogs/skills/get", body);
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                } else if (kind < 7) {
                    Api.Response r = Flows.exchange(api, tenant, "unknown-temp-token-" + System.nanoTime());
                    assertError(r, 401, "unauthorized", "invalid_temp_token", "");
                } else {
                    Api.Response r = Flows.data(api, tenant, creds, "reader", "accounts", null);
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                }
                return (System.nanoTime() - t0) / 1000;
            }));
        }
        List<Long> out = new ArrayList<>();
        for (Future<Long> f : calls) {
            out.add(f.get());
        }
        pool.shutdown();
        return out;
    }

    static double percentile(List<Long> micros, int p) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, idx)) / 1000.0;
    }

    /** A "bank" that accepts TCP connections and never writes a byte. */
    static final class HangingBank implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();
        private final Thread acceptor;

        HangingBank() throws IOException {
            acceptor = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        held.add(s);
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
            acceptor.interrupt();
        }
    }

    /** A bank in front of the sandbox bank that can be switched to answering 503 to everything. */
    static final class FlakyBank implements AutoCloseable {
        private static final Set<String> HOP = Set.of("host", "connection", "content-length", "transfer-encoding", "upgrade",
                "http2-settings", "keep-alive", "expect");
        private final HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final AtomicInteger calls = new AtomicInteger();
        private volatile boolean up = true;
        private volatile String target;

        FlakyBank() throws IOException {
            http.createContext("/", ex -> {
                calls.incrementAndGet();
                try (ex; InputStream in = ex.getRequestBody()) {
                    byte[] body = in.readAllBytes();
                    if (!up || target == null) {
                        byte[] err = "{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"SERVICE_UNAVAILABLE\"}]}".getBytes();
                        ex.getResponseHeaders().add("Content-Type", "application/json");
                        ex.sendResponseHeaders(503, err.length);
                        ex.getResponseBody().write(err);
                        return;
                    }
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()));
                    ex.getRequestHeaders().forEach((k, vs) -> {
                        if (!HOP.contains(k.toLowerCase())) {
                            vs.forEach(v -> b.header(k, v));
                        }
                    });
                    b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
                    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    r.headers().map().forEach((k, vs) -> {
                        if (!HOP.contains(k.toLowerCase()) && !k.startsWith(":")) {
                            vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                        }
                    });
                    byte[] out = r.body();
                    ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
                    if (out.length > 0) {
                        ex.getResponseBody().write(out);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
        }

        int port() {
            return http.getAddress().getPort();
        }

        void target(String url) {
            target = url.replaceAll("/+$", "");
        }

        void up(boolean up) {
            this.up = up;
        }

        int calls() {
            return calls.get();
        }

        @Override
        public void close() {
            http.stop(0);
            client.close();
        }
    }
}
