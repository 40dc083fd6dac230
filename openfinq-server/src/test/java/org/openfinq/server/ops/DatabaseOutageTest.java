package org.openfinq.server.ops;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.support.TestServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * PostgreSQL stopped under load: every call that needs it answers 503 {@code api_error}/{@code service_unavailable}
 * with {@code Retry-After} (never a 500), and once PostgreSQL is back the same node serves again by itself.
 * Runs on a PostgreSQL of its own (embedded), since it stops it.
 */
class DatabaseOutageTest {

    @Test
    void databaseOutageAnswers503WithRetryAfterAndTheNodeRecoversByItself() throws Exception {
        Path dir = Files.createTempDirectory("openfinq-outage-pg-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = start(dir, port);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("openfinq.db.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        props.put("openfinq.db.user", "postgres");
        props.put("openfinq.db.connection-timeout", "PT1S");
        props.put("openfinq.sync.enabled", "false");
        TestServer server = TestServer.startWith(props);
        ExecutorService load = Executors.newFixedThreadPool(8);
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            Api api = server.api();
            Tenants.Creds t = Tenants.create(api, "outage", Flows.AIS);
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<Api.Response> unavailable = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 8; i++) {
                int worker = i;
                load.submit(() -> {
                    while (running.get()) {
                        Api.Response r = call(api, t, worker);
                        statuses.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
                        if (r.status() == 503) {
                            unavailable.add(r);
                        } else if (r.status() != expected(worker)) {
                            unexpected.add(r.status() + " " + r.body());
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(1000);
            assertThat(unavailable).as("all well before the outage").isEmpty();

            pg.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (unavailable.size() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(unavailable.size()).as("calls answered 503 while PostgreSQL is down").isGreaterThanOrEqualTo(20);
            for (Api.Response r : List.copyOf(unavailable)) {
                assertError(r, 503, "api_error", "service_unavailable", "retry the same request after 5 s");
                assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("5");
            }

            pg = start(dir, port);
            Api.Response back = null;
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                back = call(api, t, 0);
                if (back.status() == expected(0)) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(back.status()).as("the node serves again without a restart: %s", back.body()).isEqualTo(expected(0));
            int before503 = unavailable.size();
            List<Integer> after = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                after.add(call(api, t, i % 8).status());
            }
            for (int i = 0; i < 20; i++) {
                assertThat(after.get(i)).isEqualTo(expected(i % 8));
            }
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            System.out.printf("DATABASE OUTAGE: answers by status %s (503 after recovery: %d)%n", statuses, unavailable.size() - before503);
            assertThat(unexpected).as("no 500 and no other answer than 503 or the normal one").isEmpty();
            assertThat(statuses).doesNotContainKey(500);
        } finally {
            running.set(false);
            load.shutdownNow();
            server.close();
            try {
                pg.close();
            } catch (IOException | RuntimeException alreadyStopped) {
                // stopped by the test itself
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Worker 0-3: catalog reads; 4-7: token exchanges of unknown temp_tokens (401 while the database is up). */
    private static Api.Response call(Api api, Tenants.Creds t, int worker) {
        if (worker < 4) {
            return api.post("/v1/catalogs/skills/get", Api.object("client_id", t.clientId(), "client_app_key", t.clientAppKey()));
        }
        return Flows.exchange(api, t, "no-such-temp-token");
    }

    private static int expected(int worker) {
        return worker < 4 ? 200 : 401;
    }

    private static EmbeddedPostgres start(Path dir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).start();
    }
}
