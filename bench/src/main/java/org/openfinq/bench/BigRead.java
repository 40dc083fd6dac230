package org.openfinq.bench;

import java.io.InputStream;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The unpaged {@code /v1/transactions/get} of the 100k-transaction PSU: time to the first byte of the body, time to
 * the last, size, and how much the server's resident memory grew meanwhile (sampled every 5 ms from a baseline
 * taken right after a full GC), then the same rows paged with {@code limit}. {@code ./openfinq bench bigread
 * [--jar path]} runs it alone against any server jar (e.g. an older build, for a before/after figure).
 */
final class BigRead {

    private BigRead() {
    }

    record Result(double ttfbMs, double totalMs, long bytes, double rssBeforeMiB, double rssPeakGrowthMiB) {
    }

    static Result unpaged(String base, long pid, String body) throws Exception {
        Bench.jcmd(pid, "GC.run");
        Thread.sleep(1500);
        double before = Processes.rssMiB(pid);
        double[] peak = {before};
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                try {
                    peak[0] = Math.max(peak[0], Processes.rssMiB(pid));
                    Thread.sleep(5);
                } catch (Exception e) {
                    return;
                }
            }
        });
        HttpClient http = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/transactions/get"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes;
        long first;
        try (InputStream in = r.body()) {
            int b = in.read();
            first = System.nanoTime();
            if (r.statusCode() != 200 || b < 0) {
                throw new IllegalStateException("transactions/get answered " + r.statusCode());
            }
            bytes = 1 + in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        long end = System.nanoTime();
        Thread.sleep(200);
        running.set(false);
        sampler.join();
        return new Result((first - t0) / 1e6, (end - t0) / 1e6, bytes, before, peak[0] - before);
    }

    /** Pages through every row with {@code limit}; @return {rows, pages, milliseconds}. */
    static long[] paged(String base, String body, int limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        String cursor = null;
        long rows = 0;
        long pages = 0;
        do {
            String b = body.substring(0, body.length() - 1) + ",\"limit\":" + limit
                    + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}";
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/transactions/get"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(b)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("paged transactions/get answered " + r.statusCode() + " "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
            rows += Bench.JSON.readTree(r.body()).size();
            pages++;
            cursor = r.headers().firstValue("Openfinq-Next-Cursor").orElse(null);
        } while (cursor != null);
        return new long[]{rows, pages, (System.nanoTime() - t0) / 1_000_000};
    }

    static String body(Map<String, String> tenant, String credentialsId, String accessToken, String user) {
        return "{\"client_id\":\"" + tenant.get("client_id") + "\",\"client_secret\":\"" + tenant.get("client_secret")
                + "\",\"credentials_id\":\"" + credentialsId + "\",\"access_token\":\"" + accessToken
                + "\",\"tenant_user_id\":\"" + user + "\"}";
    }

    /** {@code ./openfinq bench bigread [--jar path]}: three unpaged reads on a fresh server, printed. */
    static void standalone(Path root, List<String> args) throws Exception {
        Path jar = root.resolve("openfinq-server/target/openfinq-server.jar");
        int at = args.indexOf("--jar");
        if (at >= 0) {
            jar = Path.of(args.get(at + 1)).toAbsolutePath();
        }
        String pgBase = System.getenv().getOrDefault("OPENFINQ_BENCH_PG", "jdbc:postgresql://127.0.0.1:5432/");
        String pgUser = System.getenv().getOrDefault("OPENFINQ_BENCH_PG_USER", "postgres");
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
            c.createStatement().execute("drop database if exists openfinq_bigread with (force)");
            c.createStatement().execute("create database openfinq_bigread");
        }
        String db = pgBase + "openfinq_bigread";
        Path work = Files.createTempDirectory("openfinq-bigread-");
        int port = Processes.freePort();
        String base = "http://127.0.0.1:" + port;
        Map<String, String> env = Bench.serverEnv(db, pgUser, port, work.resolve("server"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        System.out.println("bigread: " + jar);
        Process server = Processes.start(List.of(java, "-Xmx2g", "-jar", jar.toString()), env, work.resolve("server.log"));
        try {
            Processes.awaitHealthy(base + "/health", server, System.nanoTime(), Duration.ofSeconds(120));
            Map<String, String> tenant = Bench.tenant(base);
            String[] creds = Bench.onboardBigcorp(base, db, tenant);
            String body = body(tenant, creds[0], creds[1], "bigcorp-user");
            for (int i = 0; i < 3; i++) {
                Result r = unpaged(base, server.pid(), body);
                System.out.printf("  unpaged: first byte %.0f ms, last byte %.0f ms, %.1f MB, RSS %.0f MiB + peak growth %.0f MiB%n",
                        r.ttfbMs(), r.totalMs(), r.bytes() / 1e6, r.rssBeforeMiB(), r.rssPeakGrowthMiB());
            }
        } finally {
            Processes.stop(server);
            try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
                c.createStatement().execute("drop database if exists openfinq_bigread with (force)");
            }
        }
    }
}
