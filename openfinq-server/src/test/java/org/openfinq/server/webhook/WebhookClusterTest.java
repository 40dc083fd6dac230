package org.openfinq.server.webhook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhook deliveries across nodes: two nodes never deliver one event at once; a killed node's delivery is not lost. */
class WebhookClusterTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private TestDatabase db;
    private Path dataDir;

    @AfterEach
    void cleanUp() throws Exception {
        processes.forEach(Process::destroyForcibly);
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (db != null) {
            db.close();
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Events as the outbox holds them (the feature that records them is not under test here). */
    List<String> insertEvents(String clientId, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "insert into event (id, client_id, type, data, created_at) values (?, ?, 'transactions.updated', ?::jsonb, ?)")) {
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                ps.setObject(1, id);
                ps.setObject(2, UUID.fromString(clientId));
                ps.setString(3, "{\"added\": " + i + ", \"modified\": 0, \"removed\": 0}");
                ps.setTimestamp(4, Timestamp.from(Instant.now()));
                ps.executeUpdate();
                ids.add(id.toString());
            }
        }
        return ids;
    }

    static void await(String what, Duration max, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    @Test
    void twoNodesNeverDeliverTheSameEventAtTheSameTime() throws Exception {
        db = TestDatabase.create();
        Map<String, String> props = new HashMap<>(TestServer.properties(db));
        props.putAll(Map.of("openfinq.webhooks.allowed-hosts", "127.0.0.1", "openfinq.webhooks.poll-interval", "PT0.1S",
                "openfinq.jobs.poll-interval", "PT0.2S", "openfinq.sandbox-bank.large-psu-transactions", "0"));
        TestServer a = TestServer.startWith(props);
        open.add(a);
        TestServer b = TestServer.startWith(props);
        open.add(b);
        Receiver rx = new Receiver();
        open.add(rx);
        rx.delayMillis = 150;
        Tenants.Creds t = Tenants.create(a.api(), "hooks-cluster");
        Api.Response reg = b.api().admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks", Api.object("url", rx.url("/c")));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        List<String> ids = insertEvents(t.clientId(), 40);

        // besides each node's scheduler, both nodes' delivery runs are driven from four more threads at once
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> extra = new ArrayList<>();
            for (TestServer node : List.of(a, b, a, b)) {
                extra.add(pool.submit(() -> {
                    while (rx.hits().size() < ids.size()) {
                        node.bean(WebhookDelivery.class).run();
                    }
                    return null;
                }));
            }
            await("all 40 events delivered", Duration.ofSeconds(90), () -> rx.hits().size() >= ids.size());
            for (Future<?> f : extra) {
                f.get();
            }
        }
        Thread.sleep(1500);
        Map<String, Long> perId = rx.hits().stream().collect(Collectors.groupingBy(Receiver.Hit::id, Collectors.counting()));
        assertThat(perId.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(perId.values()).as("each event delivered once (every attempt was accepted)").containsOnly(1L);
        assertThat(rx.maxSameIdAtOnce.get()).as("one event in flight twice").isEqualTo(1);
        assertThat(rx.maxAtOnce.get()).as("deliveries did run concurrently").isGreaterThan(1);
        System.out.printf("webhooks: two nodes, 40 events, %d requests, at most %d at once, same id at once at most %d%n",
                rx.hits().size(), rx.maxAtOnce.get(), rx.maxSameIdAtOnce.get());
    }

    @Test
    void aNodeKilledDuringADeliveryDeliversAfterRestart() throws Exception {
        db = TestDatabase.create();
        dataDir = Files.createTempDirectory("openfinq-hook-crash-");
        Receiver rx = new Receiver();
        open.add(rx);
        rx.delayMillis = 20_000;
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("OPENFINQ_DB_URL", db.url());
        env.put("OPENFINQ_DB_USER", TestDatabase.user());
        env.put("OPENFINQ_DB_PASSWORD", TestDatabase.password());
        env.put("OPENFINQ_ENCRYPTION_KEYS", TestServer.ENCRYPTION_KEYS);
        env.put("OPENFINQ_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        env.put("OPENFINQ_PORT", Integer.toString(port));
        env.put("OPENFINQ_BIND_ADDRESS", "127.0.0.1");
        env.put("OPENFINQ_DATA_DIR", dataDir.toString());
        env.put("OPENFINQ_SANDBOX_BANK_LARGE_PSU_TRANSACTIONS", "0");
        env.put("OPENFINQ_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1");
        env.put("OPENFINQ_WEBHOOKS_TIMEOUT", "PT5S");
        env.put("OPENFINQ_WEBHOOKS_POLL_INTERVAL", "PT0.2S");
        // a 2 s scheduler heartbeat: the killed node's running job is declared dead after ~8 s instead of ~60 s
        List<String> server = List.of(java(), "-Dopenfinq.jobs.heartbeat-interval=PT2S", "-cp", System.getProperty("java.class.path"),
                "org.openfinq.server.Openfinq", "run");
        Api api = new Api("http://127.0.0.1:" + port);

        Process first = start(server, env);
        awaitUp(api, first);
        Tenants.Creds t = Tenants.create(api, "hooks-crash");
        assertThat(api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks", Api.object("url", rx.url("/k"))).status()).isEqualTo(201);
        String id = insertEvents(t.clientId(), 1).getFirst();
        await("the delivery in flight", Duration.ofSeconds(30), () -> !rx.arrivals(id).isEmpty());
        first.destroyForcibly().waitFor();
        assertThat(rx.hits()).as("nothing answered yet").isEmpty();
        assertThat(state(id)).isEqualTo("pending");
        long killedAt = System.currentTimeMillis();
        rx.delayMillis = 0;

        Process second = start(server, env);
        awaitUp(api, second);
        // only the restarted node can record it delivered: the killed one is gone
        await("delivered after restart", Duration.ofSeconds(120), () -> state(id).equals("delivered"));
        List<Long> arrived = rx.arrivals(id);
        assertThat(arrived).hasSize(2);
        long after = arrived.get(1) - killedAt;
        assertThat(after).isPositive();
        System.out.printf("webhooks: killed mid-delivery; delivered %d ms after the kill (lease 20 s, heartbeat 2 s)%n", after);
    }

    String state(String eventId) {
        try (Connection conn = db.connect(); ResultSet rs = conn.createStatement().executeQuery(
                "select state from webhook_delivery where event_id = '" + eventId + "'")) {
            return rs.next() ? rs.getString(1) : "none";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Process start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("processes.log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("OPENFINQ_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void awaitUp(Api api, Process p) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            try {
                if (api.send("GET", "/health", Map.of(), null).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // keep waiting
            }
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("not up: " + Files.readString(dataDir.resolve("processes.log")));
            }
            Thread.sleep(100);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
