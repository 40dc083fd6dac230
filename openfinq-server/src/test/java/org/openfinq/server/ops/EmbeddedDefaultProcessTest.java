package org.openfinq.server.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfinq.server.admin.AdminCli;
import org.openfinq.server.support.Api;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server as a user starts it: its own JVM, no database settings, so the embedded PostgreSQL starts in
 * the data directory. Checks the printed demo tenant, the files it writes, the Catalogs API with those
 * credentials, the admin CLI beside the running server, and that everything survives a restart.
 */
class EmbeddedDefaultProcessTest {

    private final List<Process> processes = new ArrayList<>();
    private Path dataDir;

    @AfterEach
    void cleanUp() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (dataDir != null) {
            Path pid = dataDir.resolve("postgres/postmaster.pid");
            if (Files.exists(pid)) {
                long pgPid = Long.parseLong(Files.readAllLines(pid).get(0).trim());
                ProcessHandle.of(pgPid).ifPresent(ProcessHandle::destroy);
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    record Running(Process process, StringBuffer output, Api api) {
    }

    @Test
    void firstStartPrintsDemoTenantAndDataSurvivesRestart() throws Exception {
        dataDir = Files.createTempDirectory("openfinq-embedded-");
        int port = freePort();

        Running first = start(port);
        String out = first.output().toString();
        JsonNode demo = Api.JSON.readTree(Files.readString(dataDir.resolve("demo-tenant.json")));
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("demo-tenant.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("admin-token")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("encryption-keys")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dataDir.resolve("encryption-keys"))).matches("k1:[A-Za-z0-9+/]{43}=\\s*");
        assertThat(demo.propertyNames()).containsExactly("client_id", "client_secret", "client_app_key", "base_url");
        assertThat(demo.get("base_url").asString()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(out).contains("client_id: " + demo.get("client_id").asString())
                .contains("client_secret: " + demo.get("client_secret").asString())
                .contains("client_app_key: " + demo.get("client_app_key").asString())
                .contains("Demo app (connect the sandbox bank as alice / sandbox): http://127.0.0.1:" + port + "/demo")
                .contains("API docs: http://127.0.0.1:" + port + "/docs");

        Api.Response skills = first.api().post("/v1/catalogs/skills/get", Map.of(
                "client_id", demo.get("client_id").asString(), "client_app_key", demo.get("client_app_key").asString()));
        assertThat(skills.status()).isEqualTo(200);
        assertThat(skills.json().findValuesAsString("id"))
                .contains("sandbox_ro_aisp_sbx_#1.0", "sandbox_ro_loan_sbx_#1.0", "sandbox_ro_pisp_sbx_#1.0");
        // subscribed to the sandbox bank's skills; not to the public banks, which need a QWAC first
        skills.json().forEach(s -> assertThat(s.get("subscribed").asBoolean()).as(s.get("id").asString())
                .isEqualTo(s.get("id").asString().startsWith("sandbox_ro_")));

        // the demo signer: a Google-style service-account key file the SDK signs /v1s requests with
        Path signerFile = dataDir.resolve("demo-signer.json");
        for (int i = 0; i < 50 && !Files.exists(signerFile); i++) {
            Thread.sleep(100);
        }
        assertThat(Files.getPosixFilePermissions(signerFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode sa = Api.JSON.readTree(Files.readString(signerFile));
        assertThat(sa.get("private_key").asString()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(sa.get("client_email").asString()).endsWith(".iam.gserviceaccount.com");
        var signedSdk = org.openfinq.client.OpenfinqClient.builder("http://127.0.0.1:" + port, demo.get("client_id").asString())
                .clientAppKey(demo.get("client_app_key").asString())
                .signer(org.openfinq.client.Signer.fromServiceAccountFile(signerFile)).build();
        assertThat(signedSdk.skills(null)).as("the signed SDK sees the same catalog").hasSize(skills.json().size());

        String adminToken = Files.readString(dataDir.resolve("admin-token")).strip();
        Api.Response created = first.api().send("POST", "/admin/tenants",
                Map.of("Authorization", "Bearer " + adminToken, "Content-Type", "application/json"), "{\"name\":\"kept\"}");
        assertThat(created.status()).isEqualTo(201);

        // the admin CLI attaches to the embedded PostgreSQL of the running server
        ByteArrayOutputStream cliOut = new ByteArrayOutputStream();
        int exit = AdminCli.run(new String[]{"tenant", "list"}, new PrintStream(cliOut, true, StandardCharsets.UTF_8),
                System.err, Map.of("openfinq.data-dir", dataDir.toString(), "openfinq.db.url", ""));
        assertThat(exit).isZero();
        assertThat(cliOut.toString(StandardCharsets.UTF_8)).contains(created.text("client_id")).contains("demo");

        stop(first);
        assertThat(Files.exists(dataDir.resolve("postgres/postmaster.pid"))).as("PostgreSQL stopped with the server").isFalse();

        Running second = start(port);
        assertThat(second.output().toString()).contains("client_id: " + demo.get("client_id").asString());
        JsonNode again = Api.JSON.readTree(Files.readString(dataDir.resolve("demo-tenant.json")));
        assertThat(again).isEqualTo(demo);
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("client_id", created.text("client_id"));
        kept.put("client_secret", created.text("client_secret"));
        assertThat(second.api().post("/v1/catalogs/skills/get", kept).status()).isEqualTo(200);
        stop(second);
    }

    private Running start(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // as ./openfinq run starts it: with the bean definitions the build computed ahead of time (Spring AOT)
        ProcessBuilder pb = new ProcessBuilder(java, "-Dspring.aot.enabled=true", "-cp", System.getProperty("java.class.path"),
                "org.openfinq.server.Openfinq", "run").redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OPENFINQ_"));
        env.put("OPENFINQ_DATA_DIR", dataDir.toString());
        env.put("OPENFINQ_PORT", Integer.toString(port));
        env.put("OPENFINQ_BIND_ADDRESS", "127.0.0.1");
        Process p = pb.start();
        processes.add(p);
        StringBuffer output = new StringBuffer();
        Thread.ofVirtual().start(() -> pump(p.getInputStream(), output));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!output.toString().contains("API docs: ")) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("server did not start:\n" + output);
            }
            Thread.sleep(100);
        }
        return new Running(p, output, new Api("http://127.0.0.1:" + port));
    }

    private static void stop(Running r) throws InterruptedException {
        r.process().destroy();
        assertThat(r.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
    }

    private static void pump(InputStream in, StringBuffer into) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
