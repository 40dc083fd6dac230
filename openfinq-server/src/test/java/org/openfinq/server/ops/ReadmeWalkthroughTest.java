package org.openfinq.server.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.conformance.FormScaDriver;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.Processes;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's walkthrough, read from the README itself: every fenced block marked {@code <!-- walkthrough: curl -->}
 * runs in bash (the shell variables carried from block to block, as in one terminal), the block marked
 * {@code browser} is what a person does in the browser (here the sandbox bank's pages driven over HTTP), and the
 * {@code sdk} block is compiled and run on Java 17 against the SDK. Run in a folder whose {@code data/} is the
 * server's data directory with its demo tenant, as after {@code ./openfinq run}.
 */
class ReadmeWalkthroughTest {

    private static final Pattern BLOCK = Pattern.compile(
            "<!-- walkthrough: (\\w+) -->\\s*\\n```(\\w+)\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^\\s*([A-Z][A-Z0-9_]*)=");

    static TestDatabase db;
    static TestServer server;
    static Path work;

    record Block(String kind, String language, String text) {
    }

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        work = Files.createTempDirectory("openfinq-readme-");
        server = TestServer.start(db, Map.of("openfinq.data-dir", work.resolve("data").toString(),
                "openfinq.demo-tenant", "true", "openfinq.sandbox-bank.large-psu-transactions", "0"));
        for (int i = 0; i < 100 && !Files.exists(work.resolve("data/demo-signer.json")); i++) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
        Processes.deleteTree(work);
    }

    static List<Block> readme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2), m.group(3)));
        }
        return blocks;
    }

    /** The README's address of a local server, pointed at the test's server. */
    private static String here(String text) {
        String hostPort = URI.create(server.baseUrl()).getAuthority();
        return text.replace("127.0.0.1:8080", hostPort).replace("localhost:8080", hostPort);
    }

    @Test
    void theCurlWalkthroughEndsInTransactions() throws Exception {
        List<Block> blocks = readme().stream().filter(b -> !b.kind().equals("sdk")).toList();
        assertThat(blocks).extracting(Block::kind).containsSubsequence("curl", "browser", "curl");
        Path state = work.resolve("walkthrough.state");
        Files.writeString(state, "");
        Set<String> variables = new LinkedHashSet<>();
        String lastOutput = null;
        for (Block block : blocks) {
            assertThat(block.language()).isEqualTo("sh");
            if (block.kind().equals("browser")) {
                // what the person does: open SCA_URL, sign in as alice / sandbox, approve, copy temp_token
                String scaUrl = bash("source " + state + "; printf '%s' \"$SCA_URL\"").strip();
                URI fromBank = FormScaDriver.sandbox().approve(URI.create(scaUrl), "alice", "sandbox");
                URI landed = Flows.receive(server.api(), fromBank);
                assertThat(landed.toString()).startsWith("https://example.com/connected?");
                String tempToken = Flows.query(landed).get("temp_token");
                assertThat(tempToken).isNotBlank();
                assertThat(block.text()).contains("TEMP_TOKEN=");
                Files.writeString(state, "TEMP_TOKEN='" + tempToken + "'\n", java.nio.file.StandardOpenOption.APPEND);
                variables.add("TEMP_TOKEN");
                continue;
            }
            Matcher assigned = ASSIGNMENT.matcher(block.text());
            while (assigned.find()) {
                variables.add(assigned.group(1));
            }
            lastOutput = bash("set -eo pipefail\nsource " + state + "\n" + here(block.text()) + "\n"
                    + "declare -p " + String.join(" ", variables) + " > " + state + ".next 2>/dev/null || true\n"
                    + "mv " + state + ".next " + state);
        }
        // the walkthrough ends in data: alice's booked transactions, as the bank has them
        JsonNode transactions = Api.JSON.readTree(lastOutput.substring(lastOutput.lastIndexOf("\n[") + 1));
        assertThat(transactions.isArray()).isTrue();
        assertThat(transactions.size()).isEqualTo(3);
        for (JsonNode t : transactions) {
            assertThat(t.path("id").asString()).isNotBlank();
            assertThat(t.path("data").path("status").asString()).isEqualTo("booked");
            assertThat(t.path("data").path("amount").asString()).matches("-?\\d+(\\.\\d+)?");
            assertThat(t.path("data").path("currency").asString()).matches("[A-Z]{3}");
        }
    }

    @Test
    void theSdkWalkthroughRunsOnJava17SignedAndEndsInTransactions() throws Exception {
        Block sdk = readme().stream().filter(b -> b.kind().equals("sdk")).findFirst().orElseThrow();
        assertThat(sdk.language()).isEqualTo("java");
        String source = """
                import org.openfinq.client.*;
                import org.openfinq.client.model.*;
                import java.nio.file.Path;
                import java.util.*;

                public class Walkthrough {
                    public static void main(String[] args) throws Exception {
                        var demo = tools.jackson.databind.json.JsonMapper.builder().build()
                                .readTree(Path.of("data/demo-tenant.json").toFile());
                        String clientId = demo.get("client_id").asString();
                        String clientSecret = demo.get("client_secret").asString();
                        String clientAppKey = demo.get("client_app_key").asString();
                """ + here(sdk.text()) + "\n    }\n}\n";
        Path file = work.resolve("Walkthrough.java");
        Files.writeString(file, source);
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("openfinq-client") || e.contains("jackson"))
                .collect(Collectors.joining(File.pathSeparator));
        String out = run(List.of(Processes.jdk17().resolve("bin/java").toString(), "-cp", classpath, file.toString()));
        List<String> lines = out.lines().toList();
        assertThat(lines).isNotEmpty();
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("\\d{4}-\\d{2}-\\d{2}\\S* -?\\d+(\\.\\d+)? [A-Z]{3}"));
        assertThat(sdk.text()).as("the signed variant").contains(".signer(Signer.fromServiceAccountFile(");
    }

    private static String bash(String script) throws Exception {
        return run(List.of("bash", "-c", script));
    }

    private static String run(List<String> command) throws Exception {
        return Processes.run(work, Map.of(), command, 90);
    }
}
