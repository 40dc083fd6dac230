package org.openfinq.bench;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the per-tenant rate limiter costs a request: two servers on one PostgreSQL, one with the limiter off
 * ({@code OPENFINQ_LIMITS_TENANT_RATE=0}) and one with it on (a limit far above the load), take turns under the
 * same closed-loop load of one tenant's cheapest authenticated call ({@code /v1/catalogs/skills/get}: one
 * tenant lookup, no other work), so the limiter's share is as large as it can be.
 * Run: {@code java -cp "$(cat bench/target/classpath.txt):bench/target/classes" org.openfinq.bench.LimiterOverhead .}
 */
public final class LimiterOverhead {

    static final String METRICS = "limiter-overhead-metrics-token";

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("openfinq-limiter-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String pgBase = System.getenv().getOrDefault("OPENFINQ_BENCH_PG", "jdbc:postgresql://127.0.0.1:5432/");
        String pgUser = System.getenv().getOrDefault("OPENFINQ_BENCH_PG_USER", "postgres");
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
            c.createStatement().execute("drop database if exists openfinq_limiter with (force)");
            c.createStatement().execute("create database openfinq_limiter");
        }
        Path jar = root.resolve("openfinq-server/target/openfinq-server.jar");
        Map<String, Process> servers = new LinkedHashMap<>();
        Map<String, String> bases = new LinkedHashMap<>();
        try {
            for (String rate : new String[]{"0", "6000000"}) {
                int port = Processes.freePort();
                Map<String, String> env = new LinkedHashMap<>();
                env.put("OPENFINQ_DB_URL", pgBase + "openfinq_limiter");
                env.put("OPENFINQ_DB_USER", pgUser);
                env.put("OPENFINQ_ENCRYPTION_KEYS", "b1:" + Base64.getEncoder().encodeToString(new byte[32]));
                env.put("OPENFINQ_ADMIN_TOKEN", Bench.ADMIN);
                env.put("OPENFINQ_PORT", Integer.toString(port));
                env.put("OPENFINQ_BIND_ADDRESS", "127.0.0.1");
                env.put("OPENFINQ_DATA_DIR", work.resolve("server-" + rate).toString());
                env.put("OPENFINQ_LIMITS_TENANT_RATE", rate);
                env.put("OPENFINQ_METRICS_TOKEN", METRICS);
                env.put("LOGGING_LEVEL_OPENFINQ_REQUEST", "WARN");
                String name = rate.equals("0") ? "limiter off" : "limiter on";
                servers.put(name, Processes.start(List.of(java, "-Xmx1g", "-jar", jar.toString()), env, work.resolve(name.replace(' ', '-') + ".log")));
                bases.put(name, "http://127.0.0.1:" + port);
            }
            for (var e : servers.entrySet()) {
                Processes.awaitHealthy(bases.get(e.getKey()) + "/health", e.getValue(), System.nanoTime(), Duration.ofSeconds(120));
            }
            JsonNode t = Bench.admin(bases.get("limiter off"), "POST", "/admin/tenants", "{\"name\":\"overhead\"}");
            byte[] body = ("{\"client_id\":\"" + t.get("client_id").asString() + "\",\"client_secret\":\""
                    + t.get("client_secret").asString() + "\"}").getBytes(StandardCharsets.UTF_8);
            List<LoadGenerator.Request> requests = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                requests.add(new LoadGenerator.Request("/v1/catalogs/skills/get", new String[]{"Content-Type", "application/json"}, body));
            }
            int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
            Map<String, List<LoadGenerator.Result>> results = new LinkedHashMap<>();
            for (int round = 0; round < 3; round++) {
                for (String name : servers.keySet()) {
                    LoadGenerator.Result r = LoadGenerator.run(bases.get(name), requests, concurrency, Duration.ofSeconds(3), Duration.ofSeconds(8));
                    results.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
                    System.out.printf("round %d  %-12s %8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d%n", round + 1, name,
                            r.requestsPerSecond(), r.p50Ms(), r.p99Ms(), r.errors());
                }
            }
            double off = results.get("limiter off").stream().mapToDouble(LoadGenerator.Result::requestsPerSecond).average().orElseThrow();
            double on = results.get("limiter on").stream().mapToDouble(LoadGenerator.Result::requestsPerSecond).average().orElseThrow();
            System.out.printf("c=%d mean of 3 rounds: limiter off %.0f req/s, on %.0f req/s, on/off %.3f%n", concurrency, off, on, on / off);
            long served = results.get("limiter on").stream().mapToLong(r -> r.ok() + r.errors()).sum();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bases.get("limiter on") + "/metrics"))
                            .header("Authorization", "Bearer " + METRICS).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            metrics.lines().filter(l -> l.startsWith("openfinq_rate_limit_leases_total")).findFirst().ifPresent(l -> {
                double leases = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                System.out.printf("limiter on: %.0f bucket round trips for >= %d measured requests (%.4f per request)%n",
                        leases, served, leases / served);
            });
        } finally {
            for (Process p : servers.values()) {
                Processes.stop(p);
            }
        }
    }
}
