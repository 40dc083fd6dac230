package org.openfinq.server.data;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server process is killed with SIGKILL in the middle of syncing a 100k-transaction history, then started
 * again: the sync resumes (another node's lease expires) and the cache holds exactly the bank's transactions.
 */
class SyncCrashTest {

    private final List<Process> processes = new ArrayList<>();
    private TestDatabase db;
    private Path dataDir;

    @AfterEach
    void cleanUp() throws IOException {
        processes.forEach(Process::destroyForcibly);
        if (db != null) {
            db.close();
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void sigkillMidSyncThenRestartGivesExactlyTheBanksTransactions() throws Exception {
        db = TestDatabase.create();
        dataDir = Files.createTempDirectory("openfinq-crash-");
        int bankPort = freePort();
        Process bank = start(List.of(java(), "-jar", System.getProperty("sandbox.standalone.jar"), "--port", Integer.toString(bankPort),
                "--seed", "42", "--large-psu", "100000", "--page-size", "250"), Map.of());
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("OPENFINQ_DB_URL", db.url());
        env.put("OPENFINQ_DB_USER", TestDatabase.user());
        env.put("OPENFINQ_DB_PASSWORD", TestDatabase.password());
        env.put("OPENFINQ_ENCRYPTION_KEYS", TestServer.ENCRYPTION_KEYS);
        env.put("OPENFINQ_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        env.put("OPENFINQ_SANDBOX_BANK_URL", "http://127.0.0.1:" + bankPort);
        env.put("OPENFINQ_PORT", Integer.toString(port));
        env.put("OPENFINQ_BIND_ADDRESS", "127.0.0.1");
        env.put("OPENFINQ_DATA_DIR", dataDir.toString());
        env.put("OPENFINQ_SYNC_LEASE", "PT3S");
        // started as ./openfinq run starts it (Spring AOT bean definitions), so that mode runs real syncs too
        List<String> server = List.of(java(), "-Dspring.aot.enabled=true", "-cp", System.getProperty("java.class.path"),
                "org.openfinq.server.Openfinq", "run");
        Api api = new Api("http://127.0.0.1:" + port);
        awaitUp(new Api("http://127.0.0.1:" + bankPort), "/sandbox/health", bank);

        Process first = start(server, env);
        awaitUp(api, "/health", first);
        Tenants.Creds t = Tenants.create(api, "crash", Flows.AIS);
        Flows.Session s = Flows.session(api, t, Flows.AIS, "big-corp-user");
        Api.Response done = Flows.step(api, t, s.id(), s.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "bigcorp"));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        String credentialsId = Flows.exchange(api, t, done.json().get("data").get("temp_token").asString()).text("credentials_id");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (count(credentialsId) < 20_000) {
            assertThat(Instant.now()).as("the sync wrote 20k rows").isBefore(deadline);
            Thread.sleep(20);
        }
        first.destroyForcibly().waitFor();
        String statusAtKill = (String) query("select status from sync_job where consent_id = '" + credentialsId + "'").getFirst();
        int atKill = count(credentialsId);
        assertThat(statusAtKill).as("killed in the middle of the sync (%s rows)", atKill).isEqualTo("running");
        assertThat(atKill).isLessThan(90_000);

        Process second = start(server, env);
        awaitUp(api, "/health", second);
        String[] job = Flows.awaitSync(db, credentialsId);
        assertThat(job[0]).as("resumed sync: %s", job[3]).isEqualTo("done");

        SandboxData data = new SandboxData(42, LocalDate.of(2025, 1, 1), 100_000, LocalDate.now(ZoneOffset.UTC));
        SandboxAccount big = data.psu("bigcorp").orElseThrow().accounts().getFirst();
        int expected = data.ledger(big.resourceId()).asOf(LocalDate.now(ZoneOffset.UTC)).size();
        assertThat(count(credentialsId)).isEqualTo(expected).isGreaterThanOrEqualTo(100_000);
        List<Object> distinct = query("select count(distinct utx_id), count(distinct bank_transaction_id), count(*) from transaction");
        assertThat(distinct).containsOnly((long) expected);
        assertThat(((Number) query("select attempts from sync_job where consent_id = '" + credentialsId + "'").getFirst()).intValue())
                .isEqualTo(2);
    }

    private int count(String credentialsId) throws Exception {
        return ((Number) query("select count(*) from transaction t join account a on a.id = t.account_id where a.consent_id = '"
                + credentialsId + "'").getFirst()).intValue();
    }

    private List<Object> query(String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<Object> out = new ArrayList<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getObject(i));
                }
            }
            return out;
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

    private void awaitUp(Api api, String path, Process p) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            try {
                if (api.send("GET", path, Map.of(), null).status() == 200) {
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
