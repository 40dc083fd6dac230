package org.openfinq.distribution;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./openfinq dist} as a release is made and installed: the archive built once, unpacked into an empty
 * folder, and started by its launcher with no JDK anywhere on PATH and no JAVA_HOME (the embedded default:
 * PostgreSQL and sandbox bank inside). Checks /health, {@code --version}, the admin CLI's JSON through jq and its
 * time per command against the running node, then a clean stop on SIGTERM.
 */
class DistributionTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static Path work;
    static Path home;
    static Path noJdkBin;
    static Process server;
    static int port;

    @BeforeAll
    static void buildAndUnpack() throws Exception {
        work = Files.createTempDirectory("openfinq-dist-");
        Path out = Files.createDirectories(work.resolve("out"));
        String built = exec(ROOT, null, List.of(ROOT.resolve("openfinq").toString(), "dist", "--no-build", "--output", out.toString()), 600).out().strip();
        Path archive = Path.of(built.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(archive.getFileName().toString()).matches("openfinq-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\.tar\\.gz");

        Path install = Files.createDirectories(work.resolve("install"));
        try (Stream<Path> empty = Files.list(install)) {
            assertThat(empty).isEmpty();
        }
        exec(install, null, List.of("tar", "-xzf", archive.toString()), 120);
        try (Stream<Path> unpacked = Files.list(install)) {
            home = unpacked.findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString() + ".tar.gz").isEqualTo(archive.getFileName().toString());
        noJdkBin = pathWithoutJdk();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        Path pid = work == null ? null : work.resolve("data/postgres/postmaster.pid");
        if (pid != null && Files.exists(pid)) {
            var postgres = ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).strip()));
            if (postgres.isPresent()) {
                postgres.get().destroy();
                postgres.get().onExit().get(30, TimeUnit.SECONDS);
            }
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void theArchiveStartsWithoutAJdkAnswersHealthAndStops() throws Exception {
        for (String file : List.of("openfinq", "LICENSE", "CHANGELOG.md", "README.md", "VERSION", "openfinq.service",
                "openfinq.env.example", "lib/openfinq-server.jar", "lib/openfinq-sandbox-bank.jar", "runtime/bin/java")) {
            assertThat(home.resolve(file)).as(file).exists();
        }
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License").contains("Version 2.0");
        assertThat(home.resolve("runtime/bin/javac")).as("a runtime, not a JDK").doesNotExist();
        assertThat(Files.readString(home.resolve("openfinq.service"))).contains("ExecStart=/opt/openfinq/openfinq run");
        String version = Files.readString(home.resolve("VERSION")).strip();
        assertThat(home.getFileName().toString()).isEqualTo("openfinq-" + version);

        // no java on PATH, no JAVA_HOME
        ProcessResult which = exec(home, env(), List.of("bash", "-c", "command -v java javac || echo none"), 30);
        assertThat(which.out().strip()).isEqualTo("none");

        assertThat(exec(home, env(), List.of("./openfinq", "--version"), 60).out().strip()).isEqualTo("openfinq " + version);
        assertThat(exec(home, env(), List.of("./openfinq", "run", "--version"), 60).out().strip()).isEqualTo("openfinq " + version);
        assertThat(exec(home, env(), List.of("./openfinq", "admin", "--version"), 60).out().strip()).isEqualTo("openfinq " + version);
        assertThat(exec(home, env(), List.of("./openfinq", "sandbox-bank", "--version"), 60).out().strip())
                .isEqualTo("openfinq-sandbox-bank " + version);

        port = freePort();
        ProcessBuilder pb = new ProcessBuilder("./openfinq", "run").directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        server = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        String health = null;
        while (Instant.now().isBefore(deadline) && server.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    health = r.body();
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        assertThat(health).as("health; log:\n%s", Files.readString(work.resolve("server.log"))).isNotNull();
        assertThat(JSON.readTree(health).path("status").asString()).isEqualTo("UP");
        assertThat(Files.readString(work.resolve("server.log"))).contains("Starting Openfinq v" + version).contains("for development");

        // the admin CLI of the distribution against the running node: JSON only on stdout, through jq; timed. The
        // bound is on the CPU time a command costs (user + system, the launcher, java and jq together); the wall
        // time is printed too but depends on what else this machine runs
        List<Long> cpuMillis = new ArrayList<>();
        List<Long> wallMillis = new ArrayList<>();
        String clientId = null;
        for (int i = 0; i < 5; i++) {
            ProcessResult listed = exec(home, env(), List.of("bash", "-c", "TIMEFORMAT='%R %U %S'; time ( set -o pipefail; "
                    + "./openfinq admin tenant list --json | jq -r '.[] | select(.name == \"demo\") | .client_id' )"), 60);
            clientId = listed.out().strip();
            String[] times = listed.err().strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
            wallMillis.add(Math.round(Double.parseDouble(times[0]) * 1000));
            cpuMillis.add(Math.round((Double.parseDouble(times[1]) + Double.parseDouble(times[2])) * 1000));
        }
        JsonNode demo = JSON.readTree(Files.readString(work.resolve("data/demo-tenant.json")));
        assertThat(clientId).isEqualTo(demo.path("client_id").asString());
        long cpuMedian = cpuMillis.stream().sorted().toList().get(2);
        long wallMedian = wallMillis.stream().sorted().toList().get(2);
        System.out.printf("admin CLI (dist, tenant list --json | jq): wall ms %s median %d; cpu ms %s median %d; load %s%n",
                wallMillis, wallMedian, cpuMillis, cpuMedian, Files.readString(Path.of("/proc/loadavg")).strip());
        assertThat(cpuMedian).as("CPU time of 5 admin commands, ms %s (wall %s)", cpuMillis, wallMillis).isLessThanOrEqualTo(2000);

        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        assertThat(work.resolve("data/postgres/postmaster.pid")).as("PostgreSQL stopped with the node").doesNotExist();
    }

    /** The environment of the unpacked node: nothing of this JVM's, PATH without any JDK, no JAVA_HOME. */
    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", noJdkBin.toString());
        env.put("HOME", work.toString());
        env.put("LANG", "C.UTF-8");
        env.put("OPENFINQ_DATA_DIR", work.resolve("data").toString());
        env.put("OPENFINQ_PORT", Integer.toString(port));
        env.put("OPENFINQ_BIND_ADDRESS", "127.0.0.1");
        return env;
    }

    /** A folder of links to every program on this machine's PATH except those of an installed JDK. */
    private static Path pathWithoutJdk() throws IOException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        for (String dir : System.getenv("PATH").split(":")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> programs = Files.newDirectoryStream(d)) {
                for (Path p : programs) {
                    Path link = bin.resolve(p.getFileName().toString());
                    if (Files.exists(link) || !Files.isExecutable(p) || Files.isDirectory(p)) {
                        continue;
                    }
                    Path real = p.toRealPath();
                    String name = p.getFileName().toString();
                    if (real.startsWith("/usr/lib/jvm") || real.startsWith(Path.of(System.getProperty("java.home")))
                            || List.of("java", "javac", "jar", "jshell", "keytool", "jlink", "mvn").contains(name)) {
                        continue;
                    }
                    Files.createSymbolicLink(link, p);
                }
            }
        }
        return bin;
    }

    record ProcessResult(String out, String err) {
    }

    /** Runs {@code command} with exactly {@code env}, or with this JVM's environment when null; must exit 0. */
    private static ProcessResult exec(Path dir, Map<String, String> env, List<String> command, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        ProcessResult r = new ProcessResult(Files.readString(out), Files.readString(err));
        assertThat(p.exitValue()).as("%s\nstdout:\n%s\nstderr:\n%s", command, r.out(), r.err()).isZero();
        return r;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
