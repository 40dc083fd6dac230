package org.openfinq.connector.berlingroup;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Psu;
import org.openfinq.connector.testcerts.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bank on TLS 1.3 that requires a client certificate refuses a missing or wrong one only after the client's side of
 * the handshake is done, so the JDK client sees the alert, or just a reset or closed connection (here every other
 * refusal ends in a TCP reset). The connector reports it as a
 * TLS failure every time (message and an {@link SSLException} cause, so the metric's outcome is {@code tls}).
 */
class Tls13RefusalTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static SSLServerSocket bank;
    static final java.util.concurrent.atomic.AtomicBoolean RESET = new java.util.concurrent.atomic.AtomicBoolean();
    static final Psu PSU = Psu.present("192.0.2.10");

    @BeforeAll
    static void start() throws Exception {
        certs = new TestCertificates(dir).server("bank-tls").client("tpp-a").client("tpp-b");
        SSLContext ctx = certs.serverContext("bank-tls", certs.trustStore("trust-a", "tpp-a"));
        // a plain TLS 1.3 socket server that, like nginx, sends its alert and closes at once when it refuses a client
        // certificate (the JDK's HttpsServer may leave such a connection open until the client times out)
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        server.setEnabledProtocols(new String[]{"TLSv1.3"});
        bank = server;
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve((SSLSocket) s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    static void serve(SSLSocket s) {
        boolean reset = RESET.getAndSet(!RESET.get());
        try (s) {
            if (reset) {
                s.setSoLinger(true, 0); // every other refusal ends in a TCP reset, as some load balancers do
            }
            s.startHandshake();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // request line and headers; a GET has no body
            }
            byte[] body = "{\"consentStatus\":\"valid\"}".getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (IOException refused) {
            // the handshake failed (a wrong or missing client certificate): the socket is closed at once
        }
    }

    @AfterAll
    static void stop() throws IOException {
        bank.close();
    }

    static BerlinGroupConnector connector(String id, String qwac) {
        BankProfile.Tls tls = new BankProfile.Tls(qwac == null ? null : certs.keystore(qwac).toString(), null, null,
                certs.passwordFile().toString(), certs.certificate("bank-tls").toString());
        return new BerlinGroupConnector(new BankProfile(id, id, "berlingroup", URI.create("https://127.0.0.1:" + bank.getLocalPort()),
                null, null, 0, 0, null, Duration.ofSeconds(10), Duration.ofSeconds(30), Map.of("max_retries", "0"), tls));
    }

    @Test
    void theRightCertificateIsAccepted() {
        assertThat(connector("tls13-good", "tpp-a").accountInformation().consentStatus("c1", PSU)).isEqualTo(ConsentStatus.VALID);
    }

    @Test
    void aWrongOrMissingCertificateIsATlsFailureEveryTime() {
        for (String qwac : new String[]{"tpp-b", null, "tpp-b", null, "tpp-b", null}) {
            BerlinGroupConnector c = connector("tls13-bank", qwac);
            assertThatThrownBy(() -> c.accountInformation().consentStatus("c1", PSU))
                    .isInstanceOfSatisfying(BankException.Unavailable.class, e -> {
                        assertThat(e.getMessage()).startsWith("tls13-bank: TLS handshake failed: ")
                                .contains("GET /v1/consents/c1/status").containsPattern("X-Request-ID [0-9a-f-]{36}");
                        assertThat(hasCause(e, SSLException.class)).as("an SSLException in the cause chain").isTrue();
                        System.out.println("TLS 1.3 refusal seen as: " + e.getMessage());
                    });
        }
    }

    static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
