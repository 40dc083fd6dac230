package org.openfinq.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./openfinq bench refresh}: 100,000 consents fall due for their unattended refresh at once; how long until
 * every one is claimed and its sync job queued, with one openfinq node and with three on the same PostgreSQL. The
 * nodes run from the server jar with their sync workers off (jobs stay queued) and claim every second.
 */
final class RefreshBench {

    static final int CONSENTS = 100_000;

    private final Path root;
    private final Path work;
    private final String java;
    private final String pgBase;
    private final String pgUser;

    RefreshBench(Path root) throws Exception {
        this.root = root;
        this.work = Files.createTempDirectory("openfinq-bench-refresh-");
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.pgBase = System.getenv().getOrDefault("OPENFINQ_BENCH_PG", "jdbc:postgresql://127.0.0.1:5432/");
        this.pgUser = System.getenv().getOrDefault("OPENFINQ_BENCH_PG_USER", "postgres");
    }

    void run() throws Exception {
        Path jar = root.resolve("openfinq-server/target/openfinq-server.jar");
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", pgUser, "")) {
            c.createStatement().execute("drop database if exists openfinq_bench_refresh with (force)");
            c.createStatement().execute("create database openfinq_bench_refresh");
        }
        String db = pgBase + "openfinq_bench_refresh";
        System.out.println("openfinq bench refresh — " + Runtime.getRuntime().availableProcessors() + " cores, "
                + ZonedDateTime.now(ZoneOffset.UTC));
        List<Process> nodes = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        try {
            nodes.add(node(jar, db, 1));
            seed(db);
            double one = claimAll(db);
            nodes.add(node(jar, db, 2));
            nodes.add(node(jar, db, 3));
            double three = claimAll(db);
            figures.put("consents", CONSENTS);
            figures.put("one_node", Map.of("seconds", one, "claims_per_second", CONSENTS / one));
            figures.put("three_nodes", Map.of("seconds", three, "claims_per_second", CONSENTS / three));
            figures.put("ratio_three_to_one", one / three);
            figures.put("previous_ceiling_per_second", 500 / 60.0);
            row("1 node: all claimed and queued", String.format("%.1f s", one), String.format("%.0f consents/s", CONSENTS / one));
            row("3 nodes: all claimed and queued", String.format("%.1f s", three), String.format("%.0f consents/s", CONSENTS / three));
            row("ratio 3 nodes / 1 node", String.format("%.2f", one / three), "");
            row("before: 500 a minute, whatever the nodes", String.format("%.1f /s", 500 / 60.0), "limit 500, no claim, one insert each");
        } finally {
            for (Process p : nodes) {
                Processes.stop(p);
            }
        }
        Bench.writeResults(root, "refresh.json", figures);
        System.out.println("written to bench/results/refresh.json");
    }

    static void row(String name, String value, String note) {
        System.out.printf("  %-44s %18s  %s%n", name, value, note);
    }

    Process node(Path jar, String db, int n) throws Exception {
        int port = Processes.freePort();
        Map<String, String> env = Bench.serverEnv(db, pgUser, port, work.resolve("node-" + n));
        env.put("OPENFINQ_SYNC_WORKERS", "0");
        env.put("OPENFINQ_SYNC_SCHEDULE_INTERVAL", "PT1S");
        Process p = Processes.start(List.of(java, "-Xmx512m", "-jar", jar.toString()), env, work.resolve("node-" + n + ".log"));
        Processes.awaitHealthy("http://127.0.0.1:" + port + "/health", p, System.nanoTime(), Duration.ofSeconds(180));
        return p;
    }

    /** A tenant and 100k active bank consents with their sync state, none due yet. */
    void seed(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, pgUser, ""); Statement s = c.createStatement()) {
            s.execute("insert into tenant (client_id, name, client_secret_hash, client_app_key_hash) "
                    + "values ('00000000-0000-0000-0000-00000000b001', 'refresh-bench', 'x', 'x')");
            s.execute("insert into consent (id, client_id, tenant_user_id, skill, servicer_id, status, bank_consent, consent_exp, "
                    + "max_data_retention, created_at, updated_at) "
                    + "select gen_random_uuid(), '00000000-0000-0000-0000-00000000b001', 'u' || i, '" + Bench.AIS + "', "
                    + "gen_random_uuid(), 'ACTIVE', '\\x00'::bytea, now() + interval '90 days', now() + interval '120 days', now(), now() "
                    + "from generate_series(1, " + CONSENTS + ") i");
            s.execute("insert into consent_sync (consent_id, state, next_refresh_at, updated_at) "
                    + "select id, 'ok', now() + interval '1 year', now() from consent");
            s.execute("analyze");
        }
    }

    /** Makes every consent due at once; @return seconds until each has a queued job. */
    double claimAll(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, pgUser, ""); Statement s = c.createStatement()) {
            s.execute("delete from sync_job");
            s.execute("vacuum analyze sync_job");
            s.execute("vacuum analyze consent_sync");
            long start = System.nanoTime();
            s.execute("update consent_sync set next_refresh_at = now() - interval '1 minute'");
            while (true) {
                try (ResultSet rs = s.executeQuery("select count(*) from sync_job where status = 'queued'")) {
                    rs.next();
                    if (rs.getInt(1) >= CONSENTS) {
                        return (System.nanoTime() - start) / 1e9;
                    }
                }
                Thread.sleep(100);
            }
        }
    }
}
