package org.openfinq.connector.berlingroup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Money;
import org.openfinq.connector.PaymentInitiation;
import org.openfinq.connector.PaymentOrder;
import org.openfinq.connector.Psu;
import org.openfinq.connector.testcerts.TestCertificates;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests sealed with a QSealC from a PKCS#12 keystore (password from a file), sent over real HTTP to a bank that
 * checks every request as a NextGenPSD2 bank does: the Digest of the body it received, the Signature over the headers
 * it names (rebuilt from the headers the bank received) with the public key of TPP-Signature-Certificate, and that the
 * certificate is the one the TPP enrolled. Another seal is refused.
 */
class SealedRequestsTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static X509Certificate enrolled;
    static HttpServer bank;
    static final List<String> verdicts = new CopyOnWriteArrayList<>();
    static final Psu PSU = Psu.present("192.0.2.10");
    static final Psu.Redirects REDIRECTS = new Psu.Redirects(URI.create("https://tpp.invalid/ok"), URI.create("https://tpp.invalid/nok"));
    static final Pattern SIGNATURE = Pattern.compile(
            "keyId=\"([^\"]+)\",algorithm=\"rsa-sha256\",headers=\"([^\"]+)\",signature=\"([^\"]+)\"");

    @BeforeAll
    static void start() throws Exception {
        certs = new TestCertificates(dir).client("tpp-seal").client("other-seal");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.keystore("tpp-seal"))) {
            ks.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        enrolled = (X509Certificate) ks.getCertificate("tpp-seal");
        bank = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        bank.createContext("/v1/payments", SealedRequestsTest::handle);
        bank.start();
    }

    @AfterAll
    static void stop() {
        bank.stop(0);
    }

    /** The bank: verify, then answer as NextGenPSD2 does, or refuse with 401 SIGNATURE_INVALID. */
    static void handle(HttpExchange ex) throws java.io.IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String problem = verify(ex, body);
        verdicts.add(problem == null ? "ok" : problem);
        String json;
        int status;
        if (problem != null) {
            status = 401;
            json = "{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"SIGNATURE_INVALID\",\"text\":\"" + problem + "\"}]}";
        } else if (ex.getRequestMethod().equals("POST")) {
            status = 201;
            json = "{\"transactionStatus\":\"RCVD\",\"paymentId\":\"p-1\",\"_links\":{\"scaRedirect\":{\"href\":\"https://bank.invalid/sca/p-1\"}}}";
        } else {
            status = 200;
            json = "{\"transactionStatus\":\"ACSC\"}";
        }
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    static String verify(HttpExchange ex, byte[] body) {
        try {
            String digest = "SHA-256=" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
            if (!digest.equals(ex.getRequestHeaders().getFirst("Digest"))) {
                return "digest mismatch";
            }
            String certHeader = ex.getRequestHeaders().getFirst("TPP-Signature-Certificate");
            if (certHeader == null) {
                return "no certificate";
            }
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new java.io.ByteArrayInputStream(Base64.getDecoder().decode(certHeader)));
            if (!cert.equals(enrolled)) {
                return "not the enrolled seal";
            }
            Matcher m = SIGNATURE.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Signature")));
            if (!m.matches()) {
                return "no signature";
            }
            List<String> names = List.of(m.group(2).split(" "));
            if (!names.contains("digest") || !names.contains("x-request-id")) {
                return "digest and x-request-id must be signed";
            }
            if (!m.group(1).startsWith("SN=" + cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT) + ",CA=")) {
                return "keyId does not name the certificate";
            }
            List<String> lines = new ArrayList<>();
            for (String n : names) {
                String v = ex.getRequestHeaders().getFirst(n);
                if (v == null) {
                    return "signed header " + n + " missing";
                }
                lines.add(n + ": " + v);
            }
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(cert.getPublicKey());
            rsa.update(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            return rsa.verify(Base64.getDecoder().decode(m.group(3))) ? null : "signature does not verify";
        } catch (Exception e) {
            return "unreadable: " + e.getClass().getSimpleName();
        }
    }

    static PaymentInitiation pis(String seal) {
        BankProfile.Signing signing = new BankProfile.Signing(true, null, certs.keystore(seal).toString(), null,
                certs.passwordFile().toString());
        return new BerlinGroupConnector(new BankProfile("sealbank", "Seal Bank", "berlingroup",
                URI.create("http://127.0.0.1:" + bank.getAddress().getPort()), null, null, 0, 0, signing,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Map.of("max_retries", "0"))).paymentInitiation();
    }

    static PaymentOrder order() {
        return new PaymentOrder("sepa-credit-transfers", "E2E-SEAL-1", "DE40100100103307118608", Money.of("12.30", "EUR"),
                "Merchant123", "DE02100100109307118603", "Invoice 7", null);
    }

    @Test
    void theBankVerifiesEverySealedRequestAndRefusesAnotherSeal() {
        verdicts.clear();
        PaymentInitiation sealed = pis("tpp-seal");
        assertThat(sealed.initiate(order(), PSU, REDIRECTS).paymentId()).isEqualTo("p-1");
        assertThat(sealed.status("sepa-credit-transfers", "p-1", PSU)).isEqualTo("ACSC");
        assertThat(verdicts).containsExactly("ok", "ok");

        assertThatThrownBy(() -> pis("other-seal").initiate(order(), PSU, REDIRECTS))
                .isInstanceOfSatisfying(BankException.class, e -> assertThat(e.getMessage())
                        .contains("answered 401 SIGNATURE_INVALID: not the enrolled seal"));
        assertThat(verdicts).containsExactly("ok", "ok", "not the enrolled seal");
    }
}
