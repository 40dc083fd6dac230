package org.openfinq.server.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.TestDatabase;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each start-up failure an operator meets first, started as a user starts the server (its own JVM, the jar's
 * entry point and settings from the environment): one line with the cause, one with the fix, a non-zero exit,
 * and no stack trace unless {@code --debug}. The servers start side by side to keep the suite fast.
 */
class StartupFailureTest {

    record Outcome(int exit, String output) {
    }

    static TestDatabase db;
    static ServerSocket taken;
    static Path dir;
    static final Map<String, CompletableFuture<Outcome>> runs = new LinkedHashMap<>();
    static final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startAll() throws Exception {
        db = TestDatabase.create();
        taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        dir = Files.createTempDirectory("openfinq-startup");
        String key = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
        Path catalog = Files.writeString(dir.resolve("catalog.json"), "{\"servicers\": [ {\"id\": \"b\", ");
        Path profile = Files.writeString(dir.resolve("bank.json"),
                "{\"id\": \"mybank\", \"protocol\": \"berlin-group\", \"base_url\": \"https://127.0.0.1:1\", \"colour\": \"red\"}");
        Path notACertificate = Files.writeString(dir.resolve("qwac.pem"), "this is not a certificate\n");
        Path certMissing = Files.writeString(dir.resolve("cert-missing.json"), "{\"id\": \"qwacbank\", \"protocol\": "
                + "\"berlingroup\", \"base_url\": \"https://127.0.0.1:1\", \"tls\": {\"certificate_file\": \""
                + dir.resolve("no-such-qwac.pem") + "\", \"key_file\": \"" + dir.resolve("no-such-qwac.key") + "\"}}");
        Path certWrong = Files.writeString(dir.resolve("cert-wrong.json"), "{\"id\": \"sealbank\", \"protocol\": "
                + "\"berlingroup\", \"base_url\": \"https://127.0.0.1:1\", \"signing\": {\"required\": true, "
                + "\"certificate_file\": \"" + notACertificate + "\", \"key_file\": \"" + notACertificate + "\"}}");
        Path quirkProfile = Files.writeString(dir.resolve("quirk.json"), "{\"id\": \"quirkbank\", \"protocol\": \"berlingroup\", "
                + "\"base_url\": \"https://127.0.0.1:1\", \"quirks\": {\"transactions.page_size\": \"1000\"}}");
        Path quirkCatalog = Files.writeString(dir.resolve("quirk-catalog.json"), """
                {"servicers": [{"id": "7c3d2e1f-4a5b-4c6d-8e7f-9a0b1c2d3e41", "name": "Quirk Bank", "country": "Romania",
                                "country_code": "RO", "bank_profile": "quirkbank"}],
                 "skills": [{"id": "quirk_ro_aisp_#1.0", "name": "Quirk Bank accounts", "type": "aisp", "environment": "sandbox",
                             "servicer_id": "7c3d2e1f-4a5b-4c6d-8e7f-9a0b1c2d3e41", "steps": [{"name": "sca", "order": 1}]}]}
                """);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        start("unreachable", Map.of("OPENFINQ_DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/openfinq",
                "OPENFINQ_ENCRYPTION_KEYS", key));
        start("credentials", Map.of("OPENFINQ_DB_URL", db.url(), "OPENFINQ_DB_USER", "no_such_role_x",
                "OPENFINQ_DB_PASSWORD", "wrong", "OPENFINQ_ENCRYPTION_KEYS", key));
        start("keys-missing", external(Map.of()));
        start("keys-malformed", external(Map.of("OPENFINQ_ENCRYPTION_KEYS", "k1:c2hvcnQ=")));
        start("keys-malformed-debug", external(Map.of("OPENFINQ_ENCRYPTION_KEYS", "k1:c2hvcnQ=")), "--debug");
        start("port", external(Map.of("OPENFINQ_ENCRYPTION_KEYS", key, "OPENFINQ_PORT", Integer.toString(taken.getLocalPort()))));
        start("catalog", external(Map.of("OPENFINQ_ENCRYPTION_KEYS", key, "OPENFINQ_CATALOG_FILES", catalog.toString())));
        start("profile", external(Map.of("OPENFINQ_ENCRYPTION_KEYS", key, "OPENFINQ_BANK_PROFILE_FILES", profile.toString())));
        // the embedded default starts its PostgreSQL ahead of the application context: a failed start stops it again
        start("catalog-embedded", Map.of("OPENFINQ_CATALOG_FILES", catalog.toString()));
        start("port-embedded", Map.of("OPENFINQ_PORT", Integer.toString(taken.getLocalPort())));
        start("quirk", external(Map.of("OPENFINQ_ENCRYPTION_KEYS", key, "OPENFINQ_BANK_PROFILE_FILES", quirkProfile.toString(),
                "OPENFINQ_CATALOG_FILES", quirkCatalog.toString())));
        start("cert-missing", external(Map.of("OPENFINQ_ENCRYPTION_KEYS", key, "OPENFINQ_BANK_PROFILE_FILES", certMissing.toString())));
        start("cert-wrong", external(Map.of("OPENFINQ_ENCRYPTION_KEYS", key, "OPENFINQ_BANK_PROFILE_FILES", certWrong.toString())));
    }

    static Map<String, String> external(Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>(more);
        env.put("OPENFINQ_DB_URL", db.url());
        env.put("OPENFINQ_DB_USER", TestDatabase.user());
        env.put("OPENFINQ_DB_PASSWORD", TestDatabase.password());
        return env;
    }

    static void start(String name, Map<String, String> settings, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as ./openfinq run starts it (Spring AOT bean definitions): the failures are told the same way
                "-XX:TieredStopAtLevel=1", "-Dspring.aot.enabled=true", "-cp", System.getProperty("java.class.path"),
                "org.openfinq.server.Openfinq", "run"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OPENFINQ_"));
        env.put("OPENFINQ_DATA_DIR", dir.resolve(name).toString());
        env.put("OPENFINQ_PORT", "0");
        env.put("OPENFINQ_BIND_ADDRESS", "127.0.0.1");
        // a dozen servers start side by side on one PostgreSQL: small pools keep them under its max_connections
        env.put("OPENFINQ_DB_POOL_SIZE", "2");
        env.putAll(settings);
        Process p = pb.start();
        processes.add(p);
        runs.put(name, CompletableFuture.supplyAsync(() -> {
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean ended = p.waitFor(180, TimeUnit.SECONDS);
                return new Outcome(ended ? p.exitValue() : Integer.MIN_VALUE, out);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    @AfterAll
    static void stop() throws IOException {
        processes.forEach(Process::destroyForcibly);
        taken.close();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** The run's outcome, checked for the one-line report: cause, fix, non-zero exit, no stack trace. */
    static String report(String name, String cause, String fix) throws Exception {
        Outcome o = runs.get(name).get(200, TimeUnit.SECONDS);
        assertThat(o.exit()).as(o.output()).isNotZero().isNotEqualTo(Integer.MIN_VALUE);
        List<String> lines = o.output().lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("openfinq could not start: ")) {
                at = i;
            }
        }
        assertThat(at).as(o.output()).isNotNegative();
        assertThat(lines.get(at)).as(o.output()).contains(cause);
        assertThat(lines.get(at + 1)).as(o.output()).startsWith("  Fix: ").contains(fix);
        if (!name.endsWith("-debug")) {
            assertThat(lines).as(o.output()).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")
                    || l.contains(" ERROR "));
        }
        return o.output();
    }

    @Test
    void anUnreachableDatabase() throws Exception {
        report("unreachable", "Cannot connect to the database at jdbc:postgresql://127.0.0.1:", "OPENFINQ_DB_URL");
    }

    @Test
    void wrongDatabaseCredentials() throws Exception {
        report("credentials", "refused user 'no_such_role_x'", "OPENFINQ_DB_USER and OPENFINQ_DB_PASSWORD");
    }

    @Test
    void missingEncryptionKeysWithAnExternalDatabase() throws Exception {
        report("keys-missing", "OPENFINQ_ENCRYPTION_KEYS is not set", "OPENFINQ_ENCRYPTION_KEYS=k1:$(openssl rand -base64 32)");
    }

    @Test
    void malformedEncryptionKeys() throws Exception {
        report("keys-malformed", "Encryption key 'k1' is 40 bits; AES-256 needs 256 bits", "openssl rand -base64 32");
    }

    @Test
    void debugAddsTheStackTrace() throws Exception {
        String out = report("keys-malformed-debug", "Encryption key 'k1' is 40 bits", "openssl rand -base64 32");
        assertThat(out).contains("org.openfinq.server.config.ConfigurationProblem").contains("\tat org.openfinq.server.crypto.DataCipher");
    }

    @Test
    void aPortInUse() throws Exception {
        report("port", "Port " + taken.getLocalPort() + " is already in use", "OPENFINQ_PORT");
    }

    @Test
    void aFailedStartOnTheEmbeddedDefaultLeavesNoPostgresRunning() throws Exception {
        report("catalog-embedded", "Catalog file " + dir.resolve("catalog.json") + " cannot be read", "OPENFINQ_CATALOG_FILES");
        report("port-embedded", "Port " + taken.getLocalPort() + " is already in use", "OPENFINQ_PORT");
        for (String name : List.of("catalog-embedded", "port-embedded")) {
            Path postgres = dir.resolve(name).resolve("postgres");
            assertThat(postgres.resolve("PG_VERSION")).as("the embedded PostgreSQL was started").exists();
            assertThat(postgres.resolve("postmaster.pid")).as("and stopped with the failed start").doesNotExist();
        }
    }

    @Test
    void aBrokenCatalogFile() throws Exception {
        report("catalog", "Catalog file " + dir.resolve("catalog.json") + " cannot be read", "OPENFINQ_CATALOG_FILES");
    }

    @Test
    void aBadBankProfile() throws Exception {
        report("profile", "Bank profile", "OPENFINQ_BANK_PROFILE_FILES");
    }

    @Test
    void aMalformedConnectorQuirk() throws Exception {
        report("quirk", "quirk transactions.page_size must be name=size (e.g. pageSize=1000), not '1000' (bank profile quirkbank)",
                "OPENFINQ_BANK_PROFILE_FILES");
    }

    @Test
    void aMissingCertificateFile() throws Exception {
        report("cert-missing", "QWAC certificate file " + dir.resolve("no-such-qwac.pem") + " does not exist or cannot be read",
                "Correct the 'tls' or 'signing' section of bank profile qwacbank");
    }

    @Test
    void aFileThatIsNoCertificate() throws Exception {
        report("cert-wrong", "Bank sealbank: QSealC certificate file " + dir.resolve("qwac.pem"),
                "Correct the 'tls' or 'signing' section of bank profile sealbank");
    }
}
