package org.openfinq.server.bank;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openfinq.connector.testcerts.TestCertificates;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * Per-bank QWAC mutual TLS through the running server: an HTTPS bank that requires a client certificate accepts
 * the profile's QWAC; a profile with another certificate gets a clean {@code external_api_connection_error} and a
 * log line with the TLS cause, counted per bank, call and outcome; certificates are checked at start (expiry warned, a missing file stops the start)
 * and their expiry is a metric.
 */
@ExtendWith(OutputCaptureExtension.class)
class BankTlsTest {

    static final String GOOD_SERVICER = "6b000000-0000-4000-8000-000000000001";
    static final String WRONG_SERVICER = "6b000000-0000-4000-8000-000000000002";
    static final String GOOD_SKILL = "tls_good_aisp_sbx_#1.0";
    static final String WRONG_SKILL = "tls_wrong_aisp_sbx_#1.0";
    static final String METRICS_TOKEN = "test-metrics-token-tls";

    static Path dir;
    static TestCertificates certs;
    static HttpsServer bank;
    static final AtomicInteger consents = new AtomicInteger();
    static TestDatabase db;
    static TestServer server;
    static String profiles;
    static Path catalogFile;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("openfinq-tls-");
        certs = new TestCertificates(dir).server("bank-tls").client("tpp-a").client("tpp-b").expiredClient("tpp-old");
        bank = httpsBank(certs.trustStore("trust-a", "tpp-a"));
        String base = "https://127.0.0.1:" + bank.getAddress().getPort();
        Path good = profile("tls-good", base, "tpp-a");
        Path wrong = profile("tls-wrong", base, "tpp-b");
        Path old = profile("tls-old", base, "tpp-old");
        Path catalog = dir.resolve("catalog.json");
        Files.writeString(catalog, """
                {"servicers": [{"id": "%s", "name": "TLS Bank", "country": "Romania", "country_code": "RO", "bank_profile": "tls-good"},
                               {"id": "%s", "name": "TLS Bank, wrong QWAC", "country": "Romania", "country_code": "RO", "bank_profile": "tls-wrong"}],
                 "skills": [{"id": "%s", "name": "TLS Bank AIS", "type": "aisp", "environment": "sandbox",
                             "servicer_id": "%s", "steps": [{"name": "sca", "order": 1}]},
                            {"id": "%s", "name": "TLS Bank AIS, wrong QWAC", "type": "aisp", "environment": "sandbox",
                             "servicer_id": "%s", "steps": [{"name": "sca", "order": 1}]}]}
                """.formatted(GOOD_SERVICER, WRONG_SERVICER, GOOD_SKILL, GOOD_SERVICER, WRONG_SKILL, WRONG_SERVICER));
        db = TestDatabase.create();
        profiles = good + "," + wrong + "," + old;
        catalogFile = catalog;
        server = TestServer.start(db, Map.of("openfinq.bank-profile-files", profiles,
                "openfinq.catalog-files", catalog.toString(), "openfinq.metrics-token", METRICS_TOKEN));
    }

    static Path profile(String id, String base, String qwac) throws Exception {
        Path p = dir.resolve(id + ".json");
        Files.writeString(p, """
                {"id": "%s", "protocol": "berlingroup", "base_url": "%s", "connect_timeout": "PT2S", "read_timeout": "PT5S",
                 "quirks": {"max_retries": "0"},
                 "tls": {"certificate_file": "%s", "password_file": "%s", "trust_file": "%s"}}
                """.formatted(id, base, certs.keystore(qwac), certs.passwordFile(), certs.certificate("bank-tls")));
        return p;
    }

    /** A tiny NextGenPSD2 bank over HTTPS that insists on a client certificate from {@code trustedClients}. */
    static HttpsServer httpsBank(Path trustedClients) throws Exception {
        SSLContext ctx = certs.serverContext("bank-tls", trustedClients);
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                // TLS 1.3 refuses a client certificate only after the client has finished its handshake, so the
                // client sees the refusal or a reset depending on timing; TLS 1.2 refuses it inside the handshake
                p.setProtocols(new String[]{"TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        s.createContext("/v1/consents", ex -> {
            if (ex.getRequestMethod().equals("GET")) {
                byte[] unknown = "{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"CONSENT_UNKNOWN\",\"text\":\"unknown\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(403, unknown.length);
                ex.getResponseBody().write(unknown);
                ex.close();
                return;
            }
            consents.incrementAndGet();
            byte[] body = ("{\"consentId\":\"c-" + consents.get() + "\",\"consentStatus\":\"received\","
                    + "\"_links\":{\"scaRedirect\":{\"href\":\"https://bank.invalid/sca\"}}}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(201, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        s.start();
        return s;
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        db.close();
        bank.stop(0);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Api.Response sca(Tenants.Creds tenant, String skill, String user) {
        Flows.Session s = Flows.session(server.api(), tenant, skill, user);
        return Flows.step(server.api(), tenant, s.id(), s.nonce(), skill, "sca", Map.of("psu_redirect_link", "https://app.example/done"));
    }

    @Test
    void theBankAcceptsTheProfilesQwacAndAnotherCertificateFailsCleanly(CapturedOutput output) {
        Tenants.Creds tenant = Tenants.create(server.api(), "tls", GOOD_SKILL, WRONG_SKILL);
        int before = consents.get();
        Api.Response ok = sca(tenant, GOOD_SKILL, "tls-user-1");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(consents.get()).as("the bank saw the consent over mutual TLS").isEqualTo(before + 1);

        Api.Response refused = sca(tenant, WRONG_SKILL, "tls-user-2");
        assertError(refused, 400, "external_api_error", "external_api_connection_error", "The bank");
        assertThat(consents.get()).as("the handshake failed before any request").isEqualTo(before + 1);
        assertThat(output.getOut()).containsPattern(
                "Bank call failed \\(tls\\): tls-wrong: TLS handshake failed: .+ \\(POST /v1/consents, X-Request-ID [0-9a-f-]{36}\\)");
        assertThat(output.getOut()).doesNotContain(TestCertificates.PASSWORD);

        String metrics = server.api().send("GET", "/metrics", Map.of("Authorization", "Bearer " + METRICS_TOKEN), null).body();
        assertThat(metrics).containsPattern(
                "openfinq_bank_calls_seconds_count\\{bank=\"tls-good\",operation=\"create_consent\",outcome=\"ok\"[^}]*} 1");
        assertThat(metrics).containsPattern(
                "openfinq_bank_calls_seconds_count\\{bank=\"tls-wrong\",operation=\"create_consent\",outcome=\"tls\"[^}]*} 1");
        assertThat(metrics).containsPattern("openfinq_bank_calls_seconds_bucket\\{bank=\"tls-good\"");
        assertThat(metrics).containsPattern("openfinq_bank_breaker_state\\{bank=\"tls-wrong\"[^}]*} 0");
    }

    @Test
    void certificatesAreCheckedAtStartAndTheirExpiryIsAMetric() {
        BankCertificates certificates = server.bean(BankCertificates.class);
        assertThat(certificates.all()).extracting(BankCertificates.Status::bank).contains("tls-good", "tls-wrong", "tls-old");
        assertThat(certificates.all()).filteredOn(s -> s.bank().equals("tls-old")).singleElement()
                .satisfies(s -> assertThat(s.warnings()).anySatisfy(w -> assertThat(w).startsWith("Bank tls-old: QWAC certificate expired on ")));
        Api.Response m = server.api().send("GET", "/metrics", Map.of("Authorization", "Bearer " + METRICS_TOKEN), null);
        assertThat(m.body()).containsPattern("openfinq_bank_certificate_expiry_seconds\\{bank=\"tls-good\",kind=\"QWAC\"[^}]*} [0-9.E]+");
    }

    static String[] admin(Path out, String... args) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.util.Map<String, Object> props = new java.util.HashMap<>(TestServer.properties(db));
        props.put("openfinq.bank-profile-files", profiles);
        props.put("openfinq.catalog-files", catalogFile.toString());
        java.io.PrintStream ps = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = org.openfinq.server.admin.AdminCli.run(args, ps, ps, props);
        return new String[]{Integer.toString(exit), bytes.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void adminBanksShowsCertificatesAndBanksCheckPassesOrFailsClearly() throws Exception {
        java.util.List<java.util.Map<String, Object>> banks = server.bean(BankCheck.class).list();
        assertThat(banks).filteredOn(b -> b.get("id").equals("tls-old")).singleElement().satisfies(b ->
                assertThat(b.get("certificates").toString()).contains("kind=QWAC").contains("status=expired"));
        assertThat(banks).filteredOn(b -> b.get("id").equals("tls-good")).singleElement().satisfies(b ->
                assertThat(b.get("certificates").toString()).contains("status=ok").contains("CN=tpp-a"));

        String[] good = admin(dir, "banks", "check", "tls-good");
        assertThat(good[1]).contains("ok   QWAC CN=tpp-a")
                .contains("ok   TLS handshake with the QWAC and GET consent status of an unknown consent: the bank answered")
                .endsWith("PASS\n");
        assertThat(good[0]).isEqualTo("0");
        String[] wrong = admin(dir, "banks", "check", "tls-wrong");
        assertThat(wrong[1]).contains("FAIL TLS handshake with the QWAC and GET consent status of an unknown consent: "
                + "tls-wrong: TLS handshake failed: ").endsWith("FAIL\n");
        assertThat(wrong[0]).isEqualTo("1");
    }

    @Test
    void aMissingCertificateStopsTheStartWithOneClearLine() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, """
                {"id": "tls-broken", "protocol": "berlingroup", "base_url": "https://127.0.0.1:1",
                 "tls": {"certificate_file": "%s", "password_file": "%s"}}
                """.formatted(dir.resolve("no-such-qwac.p12"), certs.passwordFile()));
        assertThatThrownBy(() -> TestServer.start(db, Map.of("openfinq.bank-profile-files", broken.toString())))
                .hasStackTraceContaining("Bank tls-broken: QWAC certificate file " + dir.resolve("no-such-qwac.p12")
                        + " does not exist or cannot be read");
    }
}
