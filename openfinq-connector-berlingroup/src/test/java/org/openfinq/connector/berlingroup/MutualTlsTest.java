package org.openfinq.connector.berlingroup;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.BankTls;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Psu;
import org.openfinq.connector.testcerts.TestCertificates;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mutual TLS per bank: two HTTPS banks that each require their own client certificate (QWAC); each profile's
 * connector presents its own, the JDK defaults stay untouched, and a wrong, missing or broken certificate fails
 * with the TLS cause.
 */
class MutualTlsTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static WireMockServer bankA;
    static WireMockServer bankB;
    static final Psu PSU = Psu.present("192.0.2.10");

    @BeforeAll
    static void start() throws Exception {
        certs = new TestCertificates(dir).server("bank-tls").client("tpp-a").client("tpp-b").expiredClient("tpp-old");
        bankA = https(certs.trustStore("trust-a", "tpp-a"));
        bankB = https(certs.trustStore("trust-b", "tpp-b"));
    }

    static WireMockServer https(Path trustedClients) {
        WireMockServer s = new WireMockServer(options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                .keystorePath(certs.keystore("bank-tls").toString()).keystoreType("PKCS12")
                .keystorePassword(TestCertificates.PASSWORD).keyManagerPassword(TestCertificates.PASSWORD)
                .needClientAuth(true).trustStorePath(trustedClients.toString()).trustStoreType("PKCS12")
                .trustStorePassword(TestCertificates.PASSWORD));
        s.start();
        s.stubFor(get(urlPathEqualTo("/v1/consents/c1/status")).willReturn(okJson("{\"consentStatus\":\"valid\"}")));
        return s;
    }

    @AfterAll
    static void stop() {
        bankA.stop();
        bankB.stop();
    }

    static BankProfile profile(String id, WireMockServer bank, String qwac) {
        BankProfile.Tls tls = new BankProfile.Tls(qwac == null ? null : certs.keystore(qwac).toString(), null, null,
                certs.passwordFile().toString(), certs.certificate("bank-tls").toString());
        return new BankProfile(id, id, "berlingroup", URI.create("https://127.0.0.1:" + bank.httpsPort()), null, null, 0, 0,
                null, Duration.ofSeconds(2), Duration.ofSeconds(5), Map.of("max_retries", "0"), tls);
    }

    static ConsentStatus status(BankProfile p) {
        return new BerlinGroupConnector(p).accountInformation().consentStatus("c1", PSU);
    }

    @Test
    void eachBankGetsItsOwnClientCertificate() throws Exception {
        SSLContext jdkDefault = SSLContext.getDefault();
        assertThat(status(profile("bank-a", bankA, "tpp-a"))).isEqualTo(ConsentStatus.VALID);
        assertThat(status(profile("bank-b", bankB, "tpp-b"))).isEqualTo(ConsentStatus.VALID);
        assertThat(SSLContext.getDefault()).isSameAs(jdkDefault);
        // the JDK defaults neither trust the banks' server certificate nor hold a client certificate
        HttpClient plain = HttpClient.newHttpClient();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + bankA.httpsPort()
                + "/v1/consents/c1/status")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void anotherBanksCertificateFailsWithTheTlsCause() {
        assertThatThrownBy(() -> status(profile("bank-a", bankA, "tpp-b")))
                .isInstanceOfSatisfying(BankException.Unavailable.class, e -> {
                    assertThat(e.getMessage()).startsWith("bank-a: TLS handshake failed: ")
                            .contains("GET /v1/consents/c1/status").containsPattern("X-Request-ID [0-9a-f-]{36}");
                    assertThat(e.fault()).isEqualTo(BankException.Fault.BANK);
                });
    }

    @Test
    void noClientCertificateFailsWithTheTlsCause() {
        assertThatThrownBy(() -> status(profile("bank-a", bankA, null)))
                .isInstanceOfSatisfying(BankException.Unavailable.class,
                        e -> assertThat(e.getMessage()).startsWith("bank-a: TLS handshake failed: "));
    }

    @Test
    void brokenConfigurationFailsAtOnceWithOneClearLine() {
        BankProfile.Tls missing = new BankProfile.Tls(dir.resolve("nope.p12").toString(), null, null, null, null);
        assertThatThrownBy(() -> new BerlinGroupConnector(new BankProfile("bank-x", "X", "berlingroup",
                URI.create("https://127.0.0.1:1"), null, null, 0, 0, null, null, null, Map.of(), missing)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Bank bank-x: QWAC certificate file " + dir.resolve("nope.p12") + " does not exist or cannot be read");
        BankProfile.Tls unsetPassword = new BankProfile.Tls(certs.keystore("tpp-a").toString(), null, "OPENFINQ_TEST_UNSET_PASSWORD",
                null, null);
        assertThatThrownBy(() -> BankTls.context("bank-x", unsetPassword, name -> null))
                .hasMessage("Bank bank-x: QWAC keystore password variable OPENFINQ_TEST_UNSET_PASSWORD is not set");
        BankProfile.Tls wrongPassword = new BankProfile.Tls(certs.keystore("tpp-a").toString(), null, "PW", null, null);
        assertThatThrownBy(() -> BankTls.context("bank-x", wrongPassword, name -> "wrong"))
                .hasMessageStartingWith("Bank bank-x: QWAC cannot be read from " + certs.keystore("tpp-a"));
        String sealKey = MutualTlsTest.class.getResource("/seal/test-seal-key.pem").getPath();
        assertThatThrownBy(() -> BankTls.load("bank-x", "QSealC", certs.certificate("tpp-a").toString(), sealKey, null, null,
                name -> null, Clock.systemUTC()))
                .hasMessage("Bank bank-x: QSealC private key does not belong to the certificate " + certs.certificate("tpp-a"));
    }

    @Test
    void expiredAndMisusedCertificatesAreWarnedAbout() {
        BankTls.KeyMaterial old = BankTls.load("bank-a", "QWAC", certs.keystore("tpp-old").toString(), null, null,
                certs.passwordFile().toString(), name -> null, Clock.systemUTC());
        assertThat(old.warnings()).anySatisfy(w -> assertThat(w).startsWith("Bank bank-a: QWAC certificate expired on "));
        BankTls.KeyMaterial fresh = BankTls.load("bank-a", "QWAC", certs.keystore("tpp-a").toString(), null, null,
                certs.passwordFile().toString(), name -> null, Clock.systemUTC());
        assertThat(fresh.warnings()).isEmpty();
        BankTls.KeyMaterial serverCertAsQwac = BankTls.load("bank-a", "QWAC", certs.keystore("bank-tls").toString(), null, null,
                certs.passwordFile().toString(), name -> null, Clock.systemUTC());
        assertThat(serverCertAsQwac.warnings()).contains(
                "Bank bank-a: QWAC certificate lacks the clientAuth extended key usage a QWAC needs for mutual TLS");
    }
}
