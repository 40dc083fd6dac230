package org.openfinq.server.bank;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.Psu;
import org.openfinq.connector.Transaction;
import org.openfinq.connector.berlingroup.BerlinGroupConnector;
import org.openfinq.connector.conformance.FormScaDriver;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's bank side: profiles as data, the embedded sandbox bank over HTTP, and the standalone jar. */
class BankSideTest {

    static TestDatabase db;
    static TestServer server;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.seed", "7", "openfinq.sandbox-bank.large-psu-transactions", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void profilesAreDataAndTheSandboxIsEmbedded() {
        BankProfiles profiles = server.bean(BankProfiles.class);
        URI sandbox = profiles.find("sandbox").orElseThrow().baseUrl();
        assertThat(sandbox.toString()).startsWith("http://127.0.0.1:");
        assertThat(profiles.all()).extracting(BankProfile::id)
                .contains("sandbox", "sparkasse-sandbox", "fiducia-sandbox", "consorsbank-sandbox");
        profiles.all().stream().filter(p -> !p.id().equals("sandbox"))
                .forEach(p -> assertThat(p.baseUrl().getScheme()).isEqualTo("https"));
        Api.Response health = new Api(sandbox.toString()).send("GET", "/sandbox/health", Map.of(), null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
    }

    @Test
    void theServersConnectorReachesTheEmbeddedBank() {
        AccountInformation ais = server.bean(Connectors.class).forProfile("sandbox").accountInformation();
        assertThat(accountsOf(ais, "alice")).isNotEmpty();
    }

    private static List<org.openfinq.connector.Account> accountsOf(AccountInformation ais, String psu) {
        Psu.Redirects r = new Psu.Redirects(URI.create("https://tpp.invalid/ok"), URI.create("https://tpp.invalid/nok"));
        ConsentStart start = ais.createConsent(new ConsentRequest(List.of(), true, LocalDate.now().plusDays(10), 4),
                Psu.present("127.0.0.1"), r);
        assertThat(FormScaDriver.sandbox().approve(start.scaRedirect(), psu, "sandbox")).isEqualTo(r.ok());
        return ais.accounts(start.consentId(), Psu.present("127.0.0.1"));
    }

    @Test
    void standaloneJarServesTheSameDataAsTheEmbeddedBankForTheSameSeed() throws Exception {
        Path jar = Path.of(System.getProperty("sandbox.standalone.jar"));
        assertThat(jar).as("the standalone sandbox jar is built before the server's tests").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--port", Integer.toString(port), "--seed", "7", "--large-psu", "0").redirectErrorStream(true).start();
        try {
            Api standalone = new Api("http://127.0.0.1:" + port);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (true) {
                try {
                    if (standalone.send("GET", "/sandbox/health", Map.of(), null).status() == 200) {
                        break;
                    }
                } catch (RuntimeException notYet) {
                    assertThat(Instant.now()).as("standalone sandbox bank started").isBefore(deadline);
                    Thread.sleep(200);
                }
            }
            Api embedded = new Api(server.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString());
            var psus = embedded.send("GET", "/sandbox/v1/psus", Map.of(), null).json();
            assertThat(psus.get("psus").size()).isEqualTo(3);
            assertThat(standalone.send("GET", "/sandbox/v1/psus", Map.of(), null).json()).isEqualTo(psus);

            AccountInformation viaEmbedded = server.bean(Connectors.class).forProfile("sandbox").accountInformation();
            AccountInformation viaStandalone = new BerlinGroupConnector(server.bean(BankProfiles.class).find("sandbox")
                    .orElseThrow().withBaseUrl(URI.create("http://127.0.0.1:" + port))).accountInformation();
            List<Transaction> a = transactionsOf(viaEmbedded);
            List<Transaction> b = transactionsOf(viaStandalone);
            assertThat(a).hasSizeGreaterThan(50).isEqualTo(b);
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static List<Transaction> transactionsOf(AccountInformation ais) {
        Psu.Redirects r = new Psu.Redirects(URI.create("https://tpp.invalid/ok"), URI.create("https://tpp.invalid/nok"));
        ConsentStart start = ais.createConsent(new ConsentRequest(List.of(), true, LocalDate.now().plusDays(10), 4),
                Psu.present("127.0.0.1"), r);
        FormScaDriver.sandbox().approve(start.scaRedirect(), "bogdan", "sandbox");
        String account = ais.accounts(start.consentId(), Psu.present("127.0.0.1")).getFirst().resourceId();
        return ais.allTransactions(start.consentId(), account, LocalDate.now().minusDays(90), null, Psu.present("127.0.0.1"));
    }

    @Test
    void operatorProfilesReplaceBuiltInOnesAndBadOnesStopTheServer() throws IOException {
        Path good = Files.createTempFile("profile", ".json");
        Path bad = Files.createTempFile("profile", ".json");
        Files.writeString(good, "{\"id\": \"fiducia-sandbox\", \"protocol\": \"berlingroup\", \"base_url\": \"https://psd2.example.de/bg\","
                + " \"quirks\": {\"path.consents\": \"/v2/consents\"}}");
        Files.writeString(bad, "{\"id\": \"x\", \"protocol\": \"berlingroup\", \"base_url\": \"https://x\", \"colour\": \"red\"}");
        try (TestServer other = TestServer.start(db, Map.of("openfinq.bank-profile-files", good.toString()))) {
            BankProfile p = other.bean(BankProfiles.class).find("fiducia-sandbox").orElseThrow();
            assertThat(p.baseUrl()).isEqualTo(URI.create("https://psd2.example.de/bg"));
            assertThat(p.quirks()).containsEntry("path.consents", "/v2/consents");
        }
        assertThatThrownBy(() -> TestServer.start(db, Map.of("openfinq.bank-profile-files", bad.toString())))
                .hasStackTraceContaining("unknown fields [colour]");
        Files.delete(good);
        Files.delete(bad);
    }
}
