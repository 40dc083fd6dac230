package org.openfinq.server.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Processes;
import org.openfinq.server.support.Tenants;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A separate plain Maven project (openfinq-client/src/test/consumer, Java 17) that depends on
 * {@code org.openfinq:openfinq-client} by its coordinates, built by Maven on the Java 17 JDK and run against a
 * started server. The SDK comes from a Maven repository made here by deploying the built jar and POMs, as
 * {@code ./openfinq sdk install} makes dist/maven; the consumer's local repository is a temporary one that sees
 * the machine's third-party artifacts read-only, so no openfinq SNAPSHOT lands in ~/.m2.
 */
class SdkConsumerTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String DEPLOY_FILE = "org.apache.maven.plugins:maven-deploy-plugin:3.1.4:deploy-file";

    static TestDatabase db;
    static Path jdk17;
    static TestServer server;
    static Path work;

    @BeforeAll
    static void start() throws IOException {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"));
        work = Files.createTempDirectory("openfinq-consumer-");
        jdk17 = Processes.jdk17();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
        Processes.deleteTree(work);   // the links into ~/.m2 go as links
    }

    @Test
    void aJava17MavenProjectBuildsAgainstTheSdkByCoordinatesAndReadsTransactions() throws Exception {
        String version = Files.readString(ROOT.resolve("openfinq-client/pom.xml"))
                .replaceAll("(?s).*?<parent>.*?<version>([^<]+)</version>.*", "$1");
        Path jar = ROOT.resolve("openfinq-client/target/openfinq-client-" + version + ".jar");
        assertThat(jar).as("the SDK jar (mvn verify packages it before the server's tests)").exists();

        Path repo = Files.createDirectories(work.resolve("repo"));
        Path local = seededLocalRepository();
        String fileRepo = "-Durl=" + repo.toUri();
        // deploying is refused offline; the plugin is the version the build's parent manages
        maven(ROOT, local, false, "-N", DEPLOY_FILE, fileRepo, "-DrepositoryId=openfinq",
                "-Dfile=" + ROOT.resolve("pom.xml"), "-DpomFile=" + ROOT.resolve("pom.xml"), "-Dpackaging=pom");
        maven(ROOT, local, false, "-N", DEPLOY_FILE, fileRepo, "-DrepositoryId=openfinq",
                "-Dfile=" + jar, "-DpomFile=" + ROOT.resolve("openfinq-client/pom.xml"));

        Path project = work.resolve("consumer");
        copyTree(ROOT.resolve("openfinq-client/src/test/consumer"), project);
        maven(project, local, true, "package", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt",
                "-Dopenfinq.repo=" + repo.toUri(), "-Dopenfinq.version=" + version);
        String classpath = Files.readString(project.resolve("classpath.txt")).strip();
        assertThat(classpath).contains(local.resolve("org/openfinq/openfinq-client").toString());
        assertThat(Files.readAllBytes(project.resolve("target/classes/com/example/consumer/Main.class")))
                .as("class file version 61 (Java 17)").startsWith(0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 61);

        Tenants.Creds tenant = Tenants.create(server.api(), "consumer", "sandbox_ro_aisp_sbx_#1.0");
        String out = run(project, List.of(jdk17.resolve("bin/java").toString(), "-cp",
                project.resolve("target/classes") + ":" + classpath, "com.example.consumer.Main",
                server.baseUrl(), tenant.clientId(), tenant.clientSecret(), tenant.clientAppKey()));
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("java 17");
        assertThat(lines.get(1)).matches("accounts [1-9]\\d*");
        int count = Integer.parseInt(lines.get(2).substring("transactions ".length()));
        assertThat(count).isPositive();
        assertThat(lines.subList(3, lines.size())).hasSize(count)
                .allSatisfy(l -> assertThat(l).matches("\\d{4}-\\d{2}-\\d{2}\\S* -?\\d+(\\.\\d+)? [A-Z]{3}"));
    }

    /**
     * A local repository of its own for the consumer's Maven: every group of ~/.m2 linked in (read as it is,
     * offline), except org.openfinq, which resolves from the deployed repository into this folder only.
     */
    private static Path seededLocalRepository() throws IOException {
        Path shared = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path local = Files.createDirectories(work.resolve("m2"));
        Path org = Files.createDirectories(local.resolve("org"));
        try (DirectoryStream<Path> top = Files.newDirectoryStream(shared)) {
            for (Path p : top) {
                if (!p.getFileName().toString().equals("org")) {
                    Files.createSymbolicLink(local.resolve(p.getFileName().toString()), p);
                }
            }
        }
        try (DirectoryStream<Path> orgs = Files.newDirectoryStream(shared.resolve("org"))) {
            for (Path p : orgs) {
                if (!p.getFileName().toString().equals("openfinq")) {
                    Files.createSymbolicLink(org.resolve(p.getFileName().toString()), p);
                }
            }
        }
        return local;
    }

    private static void maven(Path dir, Path local, boolean offline, String... goals) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "-Dmaven.repo.local=" + local));
        if (offline) {
            cmd.addAll(List.of("-o", "-Daether.offline.protocols=file"));
        }
        cmd.addAll(List.of(goals));
        run(dir, cmd);
    }

    private static String run(Path dir, List<String> command) throws Exception {
        return Processes.run(dir, Map.of("JAVA_HOME", jdk17.toString(), "MAVEN_OPTS", ""), command, 180);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
