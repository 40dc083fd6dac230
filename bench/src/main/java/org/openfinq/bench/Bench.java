package org.openfinq.bench;

import org.openfinq.client.OpenfinqClient;
import org.openfinq.client.Signer;
import org.openfinq.client.model.Credentials;
import org.openfinq.client.model.Session;
import org.openfinq.client.model.Step;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./openfinq bench}: every figure in one run on this machine, as a table and as
 * {@code bench/results/latest.json}. Ratios compare openfinq with a minimal limit server measured in the same run.
 */
public final class Bench {

    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).build();
    static final String AIS = "sandbox_ro_aisp_sbx_#1.0";
    static final String ADMIN = "bench-admin-token";

    private final Path root;
    private final Path work;
    private final String java;
    private final String pgBase;
    private final String pgUser;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<Chart.Point> chart = new ArrayList<>();
    private boolean baseline;
    private final List<String[]> table = new ArrayList<>();

    Bench(Path root) throws Exception {
        this.root = root;
        this.work = Files.createTempDirectory("openfinq-bench-");
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.pgBase = System.getenv().getOrDefault("OPENFINQ_BENCH_PG", "jdbc:postgresql://127.0.0.1:5432/");
        this.pgUser = System.getenv().getOrDefault("OPENFINQ_BENCH_PG_USER", "postgres");
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        if (args.length > 1 && args[1].equals("refresh")) {
            new RefreshBench(root).run();
        } else if (args.length > 1 && args[1].equals("start")) {
            Bench bench = new Bench(root);
            System.out.println("P4 footprint (embedded default) — " + Runtime.getRuntime().availableProcessors() + " cores, "
                    + ZonedDateTime.now(ZoneOffset.UTC));
            bench.p4(root.resolve("openfinq-server/target/openfinq-server.jar"));
            writeResults(root, "start.json", bench.figures);
            System.out.println("written to bench/results/start.json");
        } else if (args.length > 1 && args[1].equals("p1")) {
            List<String> a = List.of(args);
            int j = a.indexOf("--jar");
            new Bench(root).p1Only(a.contains("--fresh"), j > 0 && j + 1 < a.size() ? Path.of(a.get(j + 1)) : null, 1000, "openfinq_bench_p1", "p1.json");
        } else if (args.length > 1 && (args[1].equals("growth") || args[1].equals("--growth"))) {
            // P5: the same P1 on 10x the data (10,000 consents, 15M transactions), the plans shown; compare with bench p1
            new Bench(root).p1Only(List.of(args).contains("--fresh"), null, 10_000, "openfinq_bench_growth", "growth.json");
        } else if (args.length > 1 && args[1].equals("p2")) {
            new Bench(root).p2Only();
        } else if (args.length > 1 && args[1].equals("p3")) {
            List<String> a = List.of(args);
            int j = a.indexOf("--jar");
            new Bench(root).p3Only(j > 0 && j + 1 < a.size() ? Path.of(a.get(j + 1)) : null);
        } else if (args.length > 1 && args[1].equals("bigread")) {
            BigRead.standalone(root, List.of(args).subList(2, args.length));
        } else {
            Bench b = new Bench(root);
            b.baseline = List.of(args).contains("--baseline");
            b.run();
        }
    }

    void row(String name, String value, String note) {
        table.add(new String[]{name, value, note});
        System.out.printf("  %-44s %18s  %s%n", name, value, note);
    }

    void run() throws Exception {
        long started = System.nanoTime();
        Path jar = root.resolve("openfinq-server/target/openfinq-server.jar");
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
            c.createStatement().execute("drop database if exists openfinq_bench with (force)");
            c.createStatement().execute("create database openfinq_bench");
        }
        String db = pgBase + "openfinq_bench";
        int port = Processes.freePort();
        String base = "http://127.0.0.1:" + port;
        Map<String, String> env = serverEnv(db, pgUser, port, work.resolve("server"));
        // one tenant sends ~1000 req/s: a limit far above it keeps the per-tenant limiter on the measured path
        env.put("OPENFINQ_LIMITS_TENANT_RATE", "6000000");
        System.out.println("openfinq bench — " + Runtime.getRuntime().availableProcessors() + " cores, " + ZonedDateTime.now(ZoneOffset.UTC)
                + ", load average " + loadAverage());
        figures.put("load_average_at_start", loadAverage());
        Process server = Processes.start(List.of(java, "-Xmx2g", "-jar", jar.toString()), env, work.resolve("server.log"));
        try {
            Processes.awaitHealthy(base + "/health", server, System.nanoTime(), Duration.ofSeconds(120));
            Map<String, String> tenant = tenant(base);
            KeyPair key = KeyPairGenerator.getInstance("RSA").generateKeyPair();
            signer(base, tenant.get("client_id"), key);

            long seedStart = System.nanoTime();
            List<Seeder.Consent> consents = Seeder.seed(db, pgUser, tenant.get("client_id"), 1000, 3, 500);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            figures.put("seed_seconds", seedSeconds);
            System.out.println("P1 signed cached read (/v1s/transactions/get, 30-day filter)");
            row("seed 1,000 consents x 3 accounts x 500 tx", String.format("%.1f s", seedSeconds), "1.5M transactions, bulk SQL");
            p1(base, server, tenant, key, consents);
            System.out.println("P2 onboarding (session -> sca_implicit -> token)");
            p2(base, tenant);
            System.out.println("P3 ingest (100k-transaction PSU from the sandbox bank)");
            p3(base, server.pid(), db, tenant);
        } finally {
            Processes.stop(server);
        }
        System.out.println("P4 footprint (embedded default)");
        p4(jar);
        figures.put("total_seconds", (System.nanoTime() - started) / 1e9);
        write();
    }

    /**
     * {@code ./openfinq bench p1 [--fresh] [--jar server.jar]}: P1 alone (about 2 minutes once seeded) on a database kept between runs
     * ({@code openfinq_bench_p1}); a later run re-points the seeded consents to its new tenant instead of seeding again.
     */
    void p1Only(boolean fresh, Path otherJar, int consentCount, String database, String resultFile) throws Exception {
        Path jar = otherJar != null ? otherJar : root.resolve("openfinq-server/target/openfinq-server.jar");
        boolean exists;
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
            ResultSet rs = c.createStatement().executeQuery("select 1 from pg_database where datname = '" + database + "'");
            exists = rs.next() && !fresh;
            if (!exists) {
                c.createStatement().execute("drop database if exists " + database + " with (force)");
                c.createStatement().execute("create database " + database);
            }
        }
        String db = pgBase + database;
        int port = Processes.freePort();
        String base = "http://127.0.0.1:" + port;
        Map<String, String> env = serverEnv(db, pgUser, port, work.resolve("server"));
        env.put("OPENFINQ_LIMITS_TENANT_RATE", "6000000");
        System.out.println("openfinq bench p1 — " + Runtime.getRuntime().availableProcessors() + " cores, " + ZonedDateTime.now(ZoneOffset.UTC)
                + ", load average " + loadAverage());
        figures.put("load_average_at_start", loadAverage());
        Process server = Processes.start(List.of(java, "-Xmx2g", "-jar", jar.toString()), env, work.resolve("server.log"));
        try {
            Processes.awaitHealthy(base + "/health", server, System.nanoTime(), Duration.ofSeconds(120));
            Map<String, String> tenant = tenant(base);
            KeyPair key = KeyPairGenerator.getInstance("RSA").generateKeyPair();
            signer(base, tenant.get("client_id"), key);
            List<Seeder.Consent> consents = exists ? Seeder.reseat(db, pgUser, tenant.get("client_id")) : List.of();
            if (consents.size() != consentCount) {
                long seedStart = System.nanoTime();
                consents = Seeder.seed(db, pgUser, tenant.get("client_id"), consentCount, 3, 500);
                figures.put("seed_seconds", (System.nanoTime() - seedStart) / 1e9);
                row("seed " + consentCount + " consents x 3 accounts x 500 tx", String.format("%.1f s", (System.nanoTime() - seedStart) / 1e9), "");
            }
            figures.put("transactions", (long) consentCount * 3 * 500);
            String plan = Seeder.plan(db, pgUser, consents.get(consents.size() / 2).credentialsId());
            figures.put("p1_query_plan", plan);
            System.out.println("  plan of the P1 query for one consent (" + consentCount * 1500L + " transactions):");
            plan.lines().forEach(l -> System.out.println("    " + l));
            // the requests go to 1,000 consents picked at random among all
            List<Seeder.Consent> picked = new ArrayList<>(consents);
            Collections.shuffle(picked, new Random(1));
            p1(base, server, tenant, key, picked.subList(0, Math.min(1000, picked.size())));
        } finally {
            Processes.stop(server);
        }
        figures.put("load_average_at_end", loadAverage());
        writeResults(root, resultFile, figures);
        System.out.println("written to bench/results/" + resultFile + "; JFR of the c=64 run: " + work.resolve("p1.jfr")
                + ", load average at end " + loadAverage());
    }

    /** {@code ./openfinq bench p3 [--jar server.jar]}: P3 alone (ingest, re-sync, the big read) on a fresh database. */
    void p3Only(Path otherJar) throws Exception {
        Path jar = otherJar != null ? otherJar : root.resolve("openfinq-server/target/openfinq-server.jar");
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
            c.createStatement().execute("drop database if exists openfinq_bench_p3 with (force)");
            c.createStatement().execute("create database openfinq_bench_p3");
        }
        String db = pgBase + "openfinq_bench_p3";
        int port = Processes.freePort();
        String base = "http://127.0.0.1:" + port;
        System.out.println("openfinq bench p3 — " + ZonedDateTime.now(ZoneOffset.UTC) + ", load average " + loadAverage());
        figures.put("load_average_at_start", loadAverage());
        // the server's JFR recording of the whole run (where ingest spends its time) is kept in the work directory
        Process server = Processes.start(List.of(java, "-Xmx2g", "-XX:StartFlightRecording=filename=" + work.resolve("p3.jfr") + ",settings=profile",
                "-jar", jar.toString()), serverEnv(db, pgUser, port, work.resolve("server")), work.resolve("server.log"));
        try {
            Processes.awaitHealthy(base + "/health", server, System.nanoTime(), Duration.ofSeconds(120));
            p3(base, server.pid(), db, tenant(base));
        } finally {
            Processes.stop(server);
        }
        figures.put("load_average_at_end", loadAverage());
        writeResults(root, "p3.json", figures);
        System.out.println("written to bench/results/p3.json, load average at end " + loadAverage() + "; JFR: " + work.resolve("p3.jfr"));
    }

    /** The environment of a benchmarked server: its database, fixed keys and admin token, a port, a data directory. */
    static Map<String, String> serverEnv(String db, String pgUser, int port, Path dataDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OPENFINQ_DB_URL", db);
        env.put("OPENFINQ_DB_USER", pgUser);
        env.put("OPENFINQ_ENCRYPTION_KEYS", "b1:" + Base64.getEncoder().encodeToString(new byte[32]));
        env.put("OPENFINQ_ADMIN_TOKEN", ADMIN);
        env.put("OPENFINQ_PORT", Integer.toString(port));
        env.put("OPENFINQ_BIND_ADDRESS", "127.0.0.1");
        env.put("OPENFINQ_DATA_DIR", dataDir.toString());
        return env;
    }

    static Map<String, String> tenant(String base) throws Exception {
        JsonNode t = admin(base, "POST", "/admin/tenants", "{\"name\":\"bench\",\"skills\":[\"" + AIS + "\"]}");
        return Map.of("client_id", t.get("client_id").asString(), "client_secret", t.get("client_secret").asString(),
                "client_app_key", t.get("client_app_key").asString());
    }

    void signer(String base, String clientId, KeyPair key) throws Exception {
        admin(base, "POST", "/admin/tenants/" + clientId + "/signers", "{\"identity\":\"bench@bench.iam.gserviceaccount.com\"}");
        String pem = "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()) + "\\n-----END PUBLIC KEY-----\\n";
        admin(base, "POST", "/admin/tenants/" + clientId + "/signers/bench@bench.iam.gserviceaccount.com/keys",
                "{\"kid\":\"bench-1\",\"public_key\":\"" + pem + "\"}");
    }

    static JsonNode admin(String base, String method, String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Seconds each server is loaded at c=64 before P1's measured runs. */
    static final int WARM_UP_SECONDS = 20;

    void p1(String base, Process server, Map<String, String> tenant, KeyPair key, List<Seeder.Consent> consents) throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Signer signer = Signer.fromPem(pem, "bench-1", "bench@bench.iam.gserviceaccount.com").withLifetime(Duration.ofMinutes(50));
        String since = LocalDate.now(ZoneOffset.UTC).minusDays(30) + "T00:00:00Z";
        List<LoadGenerator.Request> requests = new ArrayList<>();
        StringBuilder responses = new StringBuilder();
        HttpClient http = HttpClient.newHttpClient();
        long rows = 0;
        for (Seeder.Consent c : consents) {
            byte[] body = ("{\"client_id\":\"" + tenant.get("client_id") + "\",\"client_secret\":\"" + tenant.get("client_secret")
                    + "\",\"credentials_id\":\"" + c.credentialsId() + "\",\"access_token\":\"" + c.accessToken()
                    + "\",\"tenant_user_id\":\"" + c.tenantUserId() + "\",\"filter\":{\"booking_date_gte\":\"" + since + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            String[] headers = {"Content-Type", "application/json", "Authorization", "Bearer " + signer.sign(body)};
            LoadGenerator.Request req = new LoadGenerator.Request("/v1s/transactions/get", headers, body);
            requests.add(req);
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + req.path())).headers(headers)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("openfinq refused a bench request: " + new String(r.body(), StandardCharsets.UTF_8));
            }
            rows += JSON.readTree(r.body()).size();
            responses.append(c.credentialsId()).append('\t').append(Base64.getEncoder().encodeToString(r.body())).append('\n');
        }
        figures.put("p1_rows_per_response", rows / (double) consents.size());
        Path keyFile = work.resolve("limit.pub");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
        Path responseFile = work.resolve("responses.tsv");
        Files.writeString(responseFile, responses);
        long postmaster = postmaster();
        int limitPort = Processes.freePort();
        Process limit = Processes.start(List.of(java, "-Xmx1g", "-Dsun.net.httpserver.nodelay=true", "-cp", Files.readString(root.resolve("bench/target/classpath.txt")).strip()
                        + ":" + root.resolve("bench/target/classes"), "org.openfinq.bench.LimitServer", Integer.toString(limitPort),
                keyFile.toString(), responseFile.toString()), Map.of(), work.resolve("limit.log"));
        try {
            Thread.sleep(1500);
            // both servers warm up first (JIT compilation of the whole request path, not measured): a short warm-up
            // before the first measured run left its figure to the compiler threads of the larger server
            LoadGenerator.run(base, requests, 64, Duration.ofSeconds(WARM_UP_SECONDS), Duration.ofSeconds(1));
            LoadGenerator.run("http://127.0.0.1:" + limitPort, requests, 64, Duration.ofSeconds(WARM_UP_SECONDS), Duration.ofSeconds(1));
            for (int c : new int[]{8, 64}) {
                double[] cpu = new double[4];
                LoadGenerator.Result of = LoadGenerator.run(base, requests, c, Duration.ofSeconds(4), Duration.ofSeconds(12),
                        () -> {
                            cpu[0] = Processes.cpuMs(server.pid());
                            cpu[1] = postmaster > 0 ? Processes.childrenCpuMs(postmaster) : 0;
                        }, () -> {
                            cpu[2] = Processes.cpuMs(server.pid());
                            cpu[3] = postmaster > 0 ? Processes.childrenCpuMs(postmaster) : 0;
                        });
                double[] limCpu = new double[2];
                LoadGenerator.Result lim = LoadGenerator.run("http://127.0.0.1:" + limitPort, requests, c, Duration.ofSeconds(4), Duration.ofSeconds(12),
                        () -> limCpu[0] = Processes.cpuMs(limit.pid()), () -> limCpu[1] = Processes.cpuMs(limit.pid()));
                // CPU per answered request: unlike throughput, hardly moved by other work on the machine
                double jvmUs = (cpu[2] - cpu[0]) * 1000 / Math.max(1, of.ok());
                double pgUs = (cpu[3] - cpu[1]) * 1000 / Math.max(1, of.ok());
                double limUs = (limCpu[1] - limCpu[0]) * 1000 / Math.max(1, lim.ok());
                figures.put("p1_c" + c + "_cpu_us_per_request", Map.of("openfinq_jvm", jvmUs, "openfinq_postgresql", pgUs, "limit", limUs));
                double ratio = of.requestsPerSecond() / lim.requestsPerSecond();
                figures.put("p1_c" + c, Map.of("openfinq", of, "limit", lim, "ratio", ratio));
                chart.add(new Chart.Point(c, of, lim));
                row("c=" + c + " openfinq", String.format("%.0f req/s", of.requestsPerSecond()),
                        String.format("p50 %.1f ms, p99 %.1f ms, %d errors, %.0f rows/response", of.p50Ms(), of.p99Ms(), of.errors(), rows / (double) consents.size()));
                row("c=" + c + " limit server", String.format("%.0f req/s", lim.requestsPerSecond()),
                        String.format("p50 %.1f ms, p99 %.1f ms, %d errors", lim.p50Ms(), lim.p99Ms(), lim.errors()));
                row("c=" + c + " ratio openfinq / limit", String.format("%.2f", ratio), "");
                row("c=" + c + " CPU per request", String.format("%.0f + %.0f us", jvmUs, pgUs),
                        String.format("openfinq JVM + PostgreSQL; limit server %.0f us", limUs));
            }
            // the profile comes from a run of its own after the measured ones, so the recording costs them nothing
            Path jfr = work.resolve("p1.jfr");
            jcmd(server.pid(), "JFR.start", "name=p1", "settings=profile");
            LoadGenerator.run(base, requests, 64, Duration.ofSeconds(1), Duration.ofSeconds(10));
            jcmd(server.pid(), "JFR.dump", "name=p1", "filename=" + jfr);
            jcmd(server.pid(), "JFR.stop", "name=p1");
            if (Files.exists(jfr)) {
                Map<String, Double> areas = Profile.areas(jfr);
                figures.put("p1_profile_c64", areas);
                System.out.println("  where openfinq's CPU time goes at c=64 (JFR execution samples, a run of its own):");
                areas.forEach((k, v) -> System.out.printf("    %5.1f%%  %s%n", v, k));
            }
        } finally {
            Processes.stop(limit);
        }
    }

    /** The PostgreSQL server process of the bench database (the parent of a backend), or -1 when not on this machine. */
    long postmaster() {
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
            ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid()");
            rs.next();
            return Processes.parentOf(rs.getLong(1));
        } catch (Exception e) {
            return -1;
        }
    }

    static void jcmd(long pid, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
    }

    void p2(String base, Map<String, String> tenant) throws Exception {
        p2(base, tenant, 4, "");
    }

    /** {@code ./openfinq bench p2}: onboardings per second at c = 4, 16 and 64 on a fresh database (the curve over c). */
    void p2Only() throws Exception {
        Path jar = root.resolve("openfinq-server/target/openfinq-server.jar");
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
            c.createStatement().execute("drop database if exists openfinq_bench_p2 with (force)");
            c.createStatement().execute("create database openfinq_bench_p2");
        }
        int port = Processes.freePort();
        String base = "http://127.0.0.1:" + port;
        System.out.println("openfinq bench p2 — " + ZonedDateTime.now(ZoneOffset.UTC) + ", load average " + loadAverage());
        figures.put("load_average_at_start", loadAverage());
        // the server's JFR recording of the run (where an onboarding spends its time) is kept in the work directory
        Process server = Processes.start(List.of(java, "-Xmx2g", "-XX:StartFlightRecording=filename=" + work.resolve("p2.jfr") + ",settings=profile",
                        "-jar", jar.toString()),
                serverEnv(pgBase + "openfinq_bench_p2", pgUser, port, work.resolve("server")), work.resolve("server.log"));
        try {
            Processes.awaitHealthy(base + "/health", server, System.nanoTime(), Duration.ofSeconds(120));
            Map<String, String> tenant = tenant(base);
            for (int c : new int[]{4, 16, 64}) {
                p2(base, tenant, c, "_c" + c);
            }
        } finally {
            Processes.stop(server);
        }
        figures.put("load_average_at_end", loadAverage());
        writeResults(root, "p2.json", figures);
        System.out.println("written to bench/results/p2.json, load average at end " + loadAverage() + "; JFR: " + work.resolve("p2.jfr"));
    }

    void p2(String base, Map<String, String> tenant, int concurrency, String suffix) throws Exception {
        OpenfinqClient api = OpenfinqClient.builder(base, tenant.get("client_id")).clientSecret(tenant.get("client_secret"))
                .clientAppKey(tenant.get("client_app_key")).build();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<long[]> times = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            int id = t;
            threads.add(Thread.ofVirtual().start(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    long a = System.nanoTime();
                    try {
                        Session s = api.createSession("onboard" + suffix + "-" + id + "-" + n++, AIS);
                        long b = System.nanoTime();
                        Step step = api.submitStep(s.sessionId(), s.nonce(), AIS, "sca_implicit", Map.of("psu_id", "carmen"));
                        long c = System.nanoTime();
                        Credentials cr = api.exchangeToken(step.tempToken());
                        long d = System.nanoTime();
                        if (cr.accessToken() != null) {
                            done.incrementAndGet();
                            times.add(new long[]{b - a, c - b, d - c});
                        }
                    } catch (RuntimeException refused) {
                        // e.g. the per-bank limit of calls in flight: counted, and this client goes on
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        long start = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] avg = new double[3];
        times.forEach(x -> {
            for (int i = 0; i < 3; i++) {
                avg[i] += x[i] / 1e6 / times.size();
            }
        });
        figures.put("p2_onboardings_per_second" + suffix, done.get() / seconds);
        figures.put("p2_failed_onboardings" + suffix, failed.get());
        figures.put("p2_ms_per_step" + suffix, Map.of("create_session", avg[0], "sca_implicit", avg[1], "token", avg[2]));
        row("onboardings completed per second (c=" + concurrency + ")", String.format("%.1f /s", done.get() / seconds), done.get() + " in " + Math.round(seconds) + " s, " + failed.get() + " refused");
        row("  create session", String.format("%.1f ms", avg[0]), "client-observed, per call");
        row("  sca_implicit (2 sandbox-bank round trips)", String.format("%.1f ms", avg[1]), "consent created, approved, confirmed at the bank");
        row("  token exchange", String.format("%.1f ms", avg[2]), "");
    }

    void p3(String base, long pid, String db, Map<String, String> tenant) throws Exception {
        awaitNoOpenJobs(db);
        // a first sync on a server that has never run one is half compiler time (the JIT compiles the bank client,
        // the parser and the writer while they run): it is reported, then the measured first sync is another consent's
        String[] warmUp = onboardBigcorp(base, db, tenant);
        long[] cold = awaitJob(db, warmUp[0]);
        double coldRate = cold[1] / (cold[2] / 1000.0);
        figures.put("p3_cold_transactions_per_second", coldRate);
        row("ingest, first sync on a just-started server", String.format("%.0f tx/s", coldRate),
                cold[1] + " transactions in " + String.format("%.1f s", cold[2] / 1000.0) + " (unmeasured warm-up)");
        // one sync leaves the JIT compiling a second one (its compiler threads took 1.2 s of CPU during it, a fifth
        // of that sync's): a second unmeasured sync, so the measured one runs on a warm server as P1 does
        long[] second = awaitJob(db, onboardBigcorp(base, db, tenant)[0]);
        row("  second sync (warm-up)", String.format("%.0f tx/s", second[1] / (second[2] / 1000.0)),
                second[1] + " transactions in " + String.format("%.1f s", second[2] / 1000.0) + " (unmeasured)");
        long postmaster = postmaster();
        double jvmBefore = Processes.cpuMs(pid);
        Map<String, Double> threadsBefore = Processes.threadCpuMs(pid);
        Map<Long, Double> backendsBefore = postmaster > 0 ? Processes.childrenCpuMsByPid(postmaster) : Map.of();
        String[] bigcorp = onboardBigcorp(base, db, tenant);
        String credentials = bigcorp[0];
        long[] first = awaitJob(db, credentials);
        double rate = first[1] / (first[2] / 1000.0);
        // CPU per 1,000 transactions: what the sync costs on each side, less moved by other work than the rate
        double jvmMs = (Processes.cpuMs(pid) - jvmBefore) * 1000 / Math.max(1, first[1]);
        Map<Long, Double> backendsAfter = postmaster > 0 ? Processes.childrenCpuMsByPid(postmaster) : Map.of();
        double pgMs = (Processes.total(backendsAfter) - Processes.total(backendsBefore)) * 1000 / Math.max(1, first[1]);
        // the busiest PostgreSQL backend is the one writing the pages: one consent's pages are written one at a time
        double writer = 0;
        for (var e : backendsAfter.entrySet()) {
            writer = Math.max(writer, e.getValue() - backendsBefore.getOrDefault(e.getKey(), 0.0));
        }
        double writerMs = writer * 1000 / Math.max(1, first[1]);
        Map<String, Double> threadsAfter = Processes.threadCpuMs(pid);
        String compiler = "C# CompilerThre";
        // compiler threads come and go: one that ended during the sync takes its time with it (a lower bound)
        double jitMs = Math.max(0, threadsAfter.getOrDefault(compiler, 0.0) - threadsBefore.getOrDefault(compiler, 0.0)) * 1000 / Math.max(1, first[1]);
        figures.put("p3_cpu_ms_per_1000_transactions", Map.of("openfinq_jvm_with_sandbox_bank", jvmMs, "of_it_jit_compiler", jitMs,
                "postgresql", pgMs, "of_it_writing_backend", writerMs));
        try (Connection c = DriverManager.getConnection(db, pgUser, "")) {
            c.createStatement().execute("insert into sync_job (id, consent_id, attended, psu_ip, status, created_at) values "
                    + "(gen_random_uuid(), '" + credentials + "', true, '127.0.0.1', 'queued', now())");
        }
        long[] again = awaitJob(db, credentials);
        figures.put("p3_transactions", first[1]);
        figures.put("p3_transactions_per_second", rate);
        figures.put("p3_resync_rows_written", again[0]);
        figures.put("p3_resync_seconds", again[2] / 1000.0);
        row("ingest, first sync", String.format("%.0f tx/s", rate), first[1] + " transactions in " + String.format("%.1f s", first[2] / 1000.0)
                + " (bank paging included)");
        row("  CPU per 1,000 transactions", String.format("%.0f + %.0f ms", jvmMs, pgMs), String.format(
                "server JVM (the sandbox bank runs in it; JIT compiler at least %.0f ms) + PostgreSQL (its busiest backend, the page writer, %.0f ms), %d cores",
                jitMs, writerMs, Runtime.getRuntime().availableProcessors()));
        row("re-sync of unchanged data: rows written", Long.toString(again[0]), again[1] + " transactions read in " + String.format("%.1f s", again[2] / 1000.0));
        String body = BigRead.body(tenant, credentials, bigcorp[1], "bigcorp-user");
        BigRead.Result read = BigRead.unpaged(base, pid, body);
        figures.put("p3_unpaged_read", read);
        row("unpaged transactions/get of the 100k PSU", String.format("%.0f ms", read.totalMs()), String.format(
                "first byte after %.0f ms, %.1f MB, server RSS +%.0f MiB at peak", read.ttfbMs(), read.bytes() / 1e6, read.rssPeakGrowthMiB()));
        long[] paged = BigRead.paged(base, body, 1000);
        figures.put("p3_paged_read", Map.of("rows", paged[0], "pages", paged[1], "ms", paged[2]));
        row("  the same paged, limit 1000", String.format("%d ms", paged[2]), paged[0] + " rows in " + paged[1] + " pages");
    }

    /** Onboards the sandbox bank's 100k-transaction PSU; @return its credentials_id and access_token once synced. */
    static String[] onboardBigcorp(String base, String db, Map<String, String> tenant) throws Exception {
        OpenfinqClient api = OpenfinqClient.builder(base, tenant.get("client_id")).clientSecret(tenant.get("client_secret"))
                .clientAppKey(tenant.get("client_app_key")).build();
        Session s = api.createSession("bigcorp-user", AIS);
        Step step = api.submitStep(s.sessionId(), s.nonce(), AIS, "sca_implicit", Map.of("psu_id", "bigcorp"));
        Credentials c = api.exchangeToken(step.tempToken());
        awaitJob(db, c.credentialsId());
        return new String[]{c.credentialsId(), c.accessToken()};
    }

    static void awaitNoOpenJobs(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, System.getenv().getOrDefault("OPENFINQ_BENCH_PG_USER", "postgres"), "")) {
            for (int i = 0; i < 600; i++) {
                ResultSet rs = c.createStatement().executeQuery("select count(*) from sync_job where status in ('queued', 'running')");
                rs.next();
                if (rs.getInt(1) == 0) {
                    return;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Waits for the consent's newest job; @return rows written, rows seen, milliseconds from queueing to end. */
    static long[] awaitJob(String db, String consent) throws Exception {
        try (Connection c = DriverManager.getConnection(db, System.getenv().getOrDefault("OPENFINQ_BENCH_PG_USER", "postgres"), "")) {
            for (int i = 0; i < 1200; i++) {
                ResultSet rs = c.createStatement().executeQuery("select status, rows_written, rows_seen, "
                        + "extract(epoch from (finished_at - created_at)) * 1000 from sync_job where consent_id = '" + consent
                        + "' order by created_at desc limit 1");
                if (rs.next() && rs.getString(1).equals("done")) {
                    return new long[]{rs.getLong(2), rs.getLong(3), (long) rs.getDouble(4)};
                }
                if (rs.getRow() > 0 && rs.getString(1).equals("failed")) {
                    throw new IllegalStateException("sync failed");
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("sync did not finish");
    }

    void p4(Path jar) throws Exception {
        // ./openfinq run as a user runs it: the prepared start (extracted jar + JDK AOT cache, made once per build)
        List<String> launcher = List.of(root.resolve("openfinq").toString(), "run");
        startTimes("launcher", launcher, "./openfinq run (prepared start)");
        startTimes("jar", List.of(java, "-jar", jar.toString()), "java -jar (no preparation)");
    }

    private void startTimes(String key, List<String> command, String how) throws Exception {
        Path data = work.resolve("embedded-" + key);
        int port = Processes.freePort();
        Map<String, String> env = Map.of("OPENFINQ_DATA_DIR", data.toString(), "OPENFINQ_PORT", Integer.toString(port),
                "OPENFINQ_BIND_ADDRESS", "127.0.0.1", "JAVA_HOME", Path.of(java).getParent().getParent().toString());
        for (String which : new String[]{"first start", "restart"}) {
            long t0 = System.nanoTime();
            Process p = Processes.start(command, env, work.resolve("embedded-" + key + ".log"));
            Duration ready = Processes.awaitHealthy("http://127.0.0.1:" + port + "/health", p, t0, Duration.ofSeconds(120));
            Thread.sleep(8000);
            double rss = Processes.rssMiB(p.pid());
            double pg = Processes.postgresRssMiB(data.resolve("postgres").toAbsolutePath());
            String name = "p4_" + (key.equals("jar") ? "jar_" : "") + which.replace(' ', '_');
            figures.put(name, Map.of("ready_seconds", ready.toMillis() / 1000.0, "jvm_rss_mib", rss, "postgres_rss_mib", pg));
            row("start to ready, " + which + ", " + how, String.format("%.1f s", ready.toMillis() / 1000.0),
                    which.equals("first start") ? "includes unpacking PostgreSQL and initdb" : "existing data directory");
            row("idle RSS after " + which + ", " + how, String.format("%.0f MiB", rss),
                    String.format("JVM; embedded PostgreSQL %.0f MiB more", pg));
            Processes.stop(p);
        }
    }

    void write() throws Exception {
        figures.put("load_average_at_end", loadAverage());
        writeResults(root, "latest.json", figures);
        System.out.println("written to bench/results/latest.json (" + Math.round((Double) figures.get("total_seconds")) + " s)");
        if (baseline) {
            writeResults(root, "baseline.json", figures);
            String subtitle = String.format("%s, %d cores, load average %s at start", ZonedDateTime.now(ZoneOffset.UTC).toLocalDate(),
                    Runtime.getRuntime().availableProcessors(), figures.get("load_average_at_start"));
            Files.writeString(root.resolve("bench/results/p1.svg"), Chart.svg(chart, subtitle));
            System.out.println("baseline: bench/results/baseline.json and bench/results/p1.svg");
        }
    }

    /** The 1, 5 and 15 minute load averages of the machine (Linux), as uptime shows them. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** Writes {@code figures} with the date, core count and Java version to {@code bench/results/<file>}. */
    static void writeResults(Path root, String file, Map<String, Object> figures) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", ZonedDateTime.now(ZoneOffset.UTC).toString());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("java", System.getProperty("java.version"));
        out.put("figures", figures);
        Path results = root.resolve("bench/results");
        Files.createDirectories(results);
        Files.writeString(results.resolve(file), JSON.writeValueAsString(out));
    }
}
