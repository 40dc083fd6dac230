package org.openfinq.connector.berlingroup;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.Money;
import org.openfinq.connector.PaymentInitiation;
import org.openfinq.connector.PaymentOrder;
import org.openfinq.connector.Psu;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the connector meets a misbehaving bank: each failure becomes the right typed error; reads retry, payments never. */
class BankFaultsTest {

    static WireMockServer bank;
    static final Psu PSU = Psu.present("192.0.2.10");
    static final Psu.Redirects REDIRECTS = new Psu.Redirects(URI.create("https://tpp.invalid/ok?state=s1"),
            URI.create("https://tpp.invalid/nok?state=s1"));

    @BeforeAll
    static void start() {
        bank = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        bank.start();
        // a cold WireMock's first answer can take longer than the 400 ms read timeout the tests use
        try (java.net.http.HttpClient warm = java.net.http.HttpClient.newHttpClient()) {
            warm.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(bank.baseUrl() + "/warm-up")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        bank.stop();
    }

    @BeforeEach
    void reset() {
        bank.resetAll();
    }

    static BankProfile profile(Map<String, String> quirks, BankProfile.Signing signing) {
        return new BankProfile("faulty", "Faulty Bank", "berlingroup", URI.create("http://127.0.0.1:" + bank.port() + "/psd2"),
                null, null, 0, 0, signing, Duration.ofSeconds(2), Duration.ofMillis(400), quirks);
    }

    static AccountInformation ais() {
        return new BerlinGroupConnector(profile(Map.of("max_retries", "2", "retry_backoff_ms", "10"), null)).accountInformation();
    }

    static PaymentInitiation pis() {
        return new BerlinGroupConnector(profile(Map.of("max_retries", "2", "retry_backoff_ms", "10"), null)).paymentInitiation();
    }

    static PaymentOrder order() {
        return new PaymentOrder("sepa-credit-transfers", "E2E-1", "DE89370400440532013000", Money.of("12.30", "EUR"),
                "Payee", "DE02120300000000202051", "Invoice 7", null);
    }

    @Test
    void readTimeoutIsRetriedThenTimeout() {
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts")).willReturn(okJson("{\"accounts\":[]}").withFixedDelay(1500)));
        assertThatThrownBy(() -> ais().accounts("c1", PSU)).isInstanceOfSatisfying(BankException.Timeout.class, e -> {
            assertThat(e.fault()).isEqualTo(BankException.Fault.BANK);
            assertThat(e.retryable()).isTrue();
        });
        bank.verify(3, getRequestedFor(urlPathEqualTo("/psd2/v1/accounts")));
    }

    @Test
    void serverErrorsAreRetriedThenUnavailable() {
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts")).willReturn(aResponse().withStatus(500).withBody("<html>oops</html>")));
        assertThatThrownBy(() -> ais().accounts("c1", PSU)).isInstanceOfSatisfying(BankException.Unavailable.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.retryable()).isTrue();
        });
        bank.verify(3, getRequestedFor(urlPathEqualTo("/psd2/v1/accounts")));
    }

    @Test
    void a503ThenSuccessIsTransparent() {
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson("{\"accounts\":[{\"resourceId\":\"a1\",\"iban\":\"DE89370400440532013000\",\"currency\":\"EUR\"}]}")));
        assertThat(ais().accounts("c1", PSU)).singleElement().satisfies(a -> assertThat(a.resourceId()).isEqualTo("a1"));
        bank.verify(2, getRequestedFor(urlPathEqualTo("/psd2/v1/accounts")));
        List<LoggedRequest> calls = bank.findAll(getRequestedFor(urlPathEqualTo("/psd2/v1/accounts")));
        assertThat(calls.get(0).getHeader("X-Request-ID")).as("a retry keeps its request id").isEqualTo(calls.get(1).getHeader("X-Request-ID"));
    }

    @Test
    void tooManyRequestsCarriesRetryAfterAndIsNotRetried() {
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts/a1/balances")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "120").withHeader("Content-Type", "application/json")
                .withBody("{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"ACCESS_EXCEEDED\",\"text\":\"limit\"}]}")));
        assertThatThrownBy(() -> ais().balances("c1", "a1", Psu.UNATTENDED)).isInstanceOfSatisfying(BankException.RateLimited.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120));
            assertThat(e.bankCode()).contains("ACCESS_EXCEEDED");
        });
        bank.verify(1, getRequestedFor(urlPathEqualTo("/psd2/v1/accounts/a1/balances")));
    }

    @Test
    void malformedJsonIsAnInvalidResponse() {
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"accounts\": [")));
        assertThatThrownBy(() -> ais().accounts("c1", PSU)).isInstanceOfSatisfying(BankException.InvalidResponse.class, e -> {
            assertThat(e.fault()).isEqualTo(BankException.Fault.BANK);
            assertThat(e.retryable()).isFalse();
        });
    }

    @Test
    void missingRequiredFieldsAreAnInvalidResponse() {
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts")).willReturn(okJson("{\"accounts\":[{\"iban\":\"DE89370400440532013000\"}]}")));
        assertThatThrownBy(() -> ais().accounts("c1", PSU)).isInstanceOf(BankException.InvalidResponse.class)
                .hasMessageContaining("account.resourceId");
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts/a1/transactions")).willReturn(okJson(
                "{\"transactions\":{\"booked\":[{\"transactionId\":\"t1\",\"transactionAmount\":{\"currency\":\"EUR\"}}]}}")));
        assertThatThrownBy(() -> ais().allTransactions("c1", "a1", LocalDate.of(2026, 1, 1), null, PSU))
                .isInstanceOf(BankException.InvalidResponse.class).hasMessageContaining("transactionAmount.amount");
    }

    @Test
    void expiredConsentIsConsentInvalid() {
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"CONSENT_EXPIRED\",\"text\":\"expired\"}]}")));
        assertThatThrownBy(() -> ais().accounts("c1", PSU)).isInstanceOfSatisfying(BankException.ConsentInvalid.class, e -> {
            assertThat(e.expired()).isTrue();
            assertThat(e.fault()).isEqualTo(BankException.Fault.PSU);
        });
        bank.verify(1, getRequestedFor(urlPathEqualTo("/psd2/v1/accounts")));
    }

    @Test
    void paymentsAreNeverRetried() {
        bank.stubFor(post(urlPathEqualTo("/psd2/v1/payments/sepa-credit-transfers")).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> pis().initiate(order(), PSU, REDIRECTS)).isInstanceOf(BankException.Unavailable.class);
        bank.verify(1, postRequestedFor(urlPathEqualTo("/psd2/v1/payments/sepa-credit-transfers")));

        bank.resetAll();
        bank.stubFor(post(urlPathEqualTo("/psd2/v1/payments/sepa-credit-transfers"))
                .willReturn(okJson("{\"paymentId\":\"p1\",\"transactionStatus\":\"RCVD\"}").withFixedDelay(1500)));
        assertThatThrownBy(() -> pis().initiate(order(), PSU, REDIRECTS)).isInstanceOf(BankException.Timeout.class);
        bank.verify(1, postRequestedFor(urlPathEqualTo("/psd2/v1/payments/sepa-credit-transfers")));
    }

    @Test
    void badRequestIsOurFault() {
        bank.stubFor(post(urlPathEqualTo("/psd2/v1/consents")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"FORMAT_ERROR\",\"text\":\"validUntil\"}]}")));
        assertThatThrownBy(() -> ais().createConsent(new ConsentRequest(List.of(), true, LocalDate.now(), 4), PSU, REDIRECTS))
                .isInstanceOfSatisfying(BankException.BadRequest.class, e -> {
                    assertThat(e.bankCode()).contains("FORMAT_ERROR");
                    assertThat(e.fault()).isEqualTo(BankException.Fault.TPP);
                });
    }

    @Test
    void unreachableBankIsUnavailable() {
        BankProfile gone = new BankProfile("gone", "Gone", "berlingroup", URI.create("http://127.0.0.1:1"),
                null, null, 0, 0, null, Duration.ofMillis(300), Duration.ofMillis(300), Map.of("retry_backoff_ms", "1"));
        assertThatThrownBy(() -> new BerlinGroupConnector(gone).accountInformation().accounts("c1", PSU))
                .isInstanceOfSatisfying(BankException.Unavailable.class, e -> assertThat(e.httpStatus()).isZero());
    }

    @Test
    void deletingAConsentTheBankNoLongerKnowsIsFine() {
        bank.stubFor(delete(urlPathEqualTo("/psd2/v1/consents/c9")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"CONSENT_UNKNOWN\"}]}")));
        ais().deleteConsent("c9", PSU);
        bank.verify(1, deleteRequestedFor(urlPathEqualTo("/psd2/v1/consents/c9")));
    }

    @Test
    void protocolHeadersAndPaging() {
        bank.stubFor(post(urlPathEqualTo("/psd2/v1/consents")).willReturn(okJson("{\"consentId\":\"c1\",\"consentStatus\":\"received\","
                + "\"_links\":{\"scaRedirect\":{\"href\":\"https://bank.invalid/sca/c1\"}}}")));
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts/a1/transactions")).willReturn(okJson("{\"transactions\":{\"booked\":["
                + "{\"transactionId\":\"t1\",\"bookingDate\":\"2026-11-01\",\"transactionAmount\":{\"currency\":\"EUR\",\"amount\":\"-5.00\"}}],"
                + "\"_links\":{\"next\":{\"href\":\"/psd2/v1/accounts/a1/transactions/page2\"}}}}")));
        bank.stubFor(get(urlPathEqualTo("/psd2/v1/accounts/a1/transactions/page2")).willReturn(okJson("{\"transactions\":{\"booked\":["
                + "{\"transactionId\":\"t2\",\"bookingDate\":\"2026-10-31\",\"transactionAmount\":{\"currency\":\"EUR\",\"amount\":\"7.50\"}}],"
                + "\"_links\":{}}}")));
        ais().createConsent(new ConsentRequest(List.of("DE89370400440532013000"), true, LocalDate.of(2027, 1, 1), 4), PSU, REDIRECTS);
        LoggedRequest create = bank.findAll(postRequestedFor(urlPathEqualTo("/psd2/v1/consents"))).getFirst();
        assertThat(UUID.fromString(create.getHeader("X-Request-ID"))).isNotNull();
        assertThat(create.getHeader("PSU-IP-Address")).isEqualTo("192.0.2.10");
        assertThat(create.getHeader("TPP-Redirect-URI")).isEqualTo(REDIRECTS.ok().toString());
        assertThat(create.getHeader("TPP-Nok-Redirect-URI")).isEqualTo(REDIRECTS.nok().toString());
        assertThat(create.getBodyAsString()).contains("\"accounts\":[{\"iban\":\"DE89370400440532013000\"}]").contains("\"frequencyPerDay\":4");

        var txs = ais().allTransactions("c1", "a1", LocalDate.of(2026, 10, 1), null, Psu.UNATTENDED);
        assertThat(txs).extracting(t -> t.transactionId()).containsExactly("t1", "t2");
        assertThat(txs.get(1).amount().amount()).isEqualByComparingTo("7.50");
        LoggedRequest first = bank.findAll(getRequestedFor(urlPathEqualTo("/psd2/v1/accounts/a1/transactions"))).getFirst();
        assertThat(first.getHeader("Consent-ID")).isEqualTo("c1");
        assertThat(first.containsHeader("PSU-IP-Address")).as("unattended calls carry no PSU-IP-Address").isFalse();
        assertThat(first.queryParameter("bookingStatus").firstValue()).isEqualTo("both");
        assertThat(first.queryParameter("dateFrom").firstValue()).isEqualTo("2026-10-01");
    }

    @Test
    void requestsAreSignedWhenTheProfileAsks() throws Exception {
        String key = BankFaultsTest.class.getResource("/seal/test-seal-key.pem").getPath();
        String cert = BankFaultsTest.class.getResource("/seal/test-seal-cert.pem").getPath();
        bank.stubFor(post(urlPathEqualTo("/psd2/v1/payments/sepa-credit-transfers")).willReturn(okJson(
                "{\"paymentId\":\"p1\",\"transactionStatus\":\"RCVD\",\"_links\":{\"scaRedirect\":{\"href\":\"https://bank.invalid/sca/p1\"}}}")));
        PaymentInitiation signed = new BerlinGroupConnector(profile(Map.of(), new BankProfile.Signing(true, key, cert))).paymentInitiation();
        assertThat(signed.initiate(order(), PSU, REDIRECTS).paymentId()).isEqualTo("p1");

        LoggedRequest r = bank.findAll(postRequestedFor(urlPathEqualTo("/psd2/v1/payments/sepa-credit-transfers"))).getFirst();
        byte[] body = r.getBody();
        String digest = "SHA-256=" + Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        assertThat(r.getHeader("Digest")).isEqualTo(digest);
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new java.io.ByteArrayInputStream(Base64.getDecoder().decode(r.getHeader("TPP-Signature-Certificate"))));
        Matcher m = Pattern.compile("keyId=\"([^\"]+)\",algorithm=\"rsa-sha256\",headers=\"([^\"]+)\",signature=\"([^\"]+)\"")
                .matcher(r.getHeader("Signature"));
        assertThat(m.matches()).isTrue();
        assertThat(m.group(1)).startsWith("SN=" + x509.getSerialNumber().toString(16).toUpperCase()).contains("CA=");
        assertThat(m.group(2)).isEqualTo("digest x-request-id tpp-redirect-uri");
        String signingString = "digest: " + digest + "\nx-request-id: " + r.getHeader("X-Request-ID")
                + "\ntpp-redirect-uri: " + r.getHeader("TPP-Redirect-URI");
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(x509.getPublicKey());
        verify.update(signingString.getBytes(StandardCharsets.UTF_8));
        assertThat(verify.verify(Base64.getDecoder().decode(m.group(3)))).isTrue();
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"amount\":\"12.30\"");
    }
}
