package org.openfinq.connector.testcerts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throw-away certificates for TLS tests, made at test time with the JDK's {@code keytool} in a temporary
 * directory (nothing is committed): self-signed keys in PKCS#12 keystores and their certificates as PEM.
 * Every keystore uses {@link #PASSWORD}, also written to {@link #passwordFile()}.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-only-password";

    private final Path dir;
    private final String keytool;

    public TestCertificates(Path dir) throws IOException {
        this.dir = dir;
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        this.keytool = java.resolveSibling(System.getProperty("os.name").startsWith("Windows") ? "keytool.exe" : "keytool").toString();
        Files.writeString(passwordFile(), PASSWORD + "\n");
    }

    public Path passwordFile() {
        return dir.resolve("password.txt");
    }

    /** The PKCS#12 keystore of {@code name}. */
    public Path keystore(String name) {
        return dir.resolve(name + ".p12");
    }

    /** The PEM certificate of {@code name}. */
    public Path certificate(String name) {
        return dir.resolve(name + ".pem");
    }

    /** A TLS server key for 127.0.0.1 / localhost. */
    public TestCertificates server(String name) throws IOException {
        return key(name, "CN=" + name, List.of("-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "EKU=serverAuth"), null);
    }

    /** A client (QWAC-like) key with the clientAuth extended key usage, valid for a year. */
    public TestCertificates client(String name) throws IOException {
        return key(name, "CN=" + name + ",O=openfinq test TPP", List.of("-ext", "EKU=clientAuth", "-ext", "KU=digitalSignature"), null);
    }

    /** A client key whose certificate expired yesterday. */
    public TestCertificates expiredClient(String name) throws IOException {
        return key(name, "CN=" + name, List.of("-ext", "EKU=clientAuth", "-ext", "KU=digitalSignature"), "-30d");
    }

    /** A TLS context for a test bank: the key of {@code keyName}, trusting the client certificates in {@code trustStore}. */
    public javax.net.ssl.SSLContext serverContext(String keyName, Path trustStore) throws IOException {
        char[] pw = PASSWORD.toCharArray();
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore(keyName))) {
                keys.load(in, pw);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(trustStore)) {
                trust.load(in, pw);
            }
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** A PKCS#12 trust store holding the certificates of {@code names}. */
    public Path trustStore(String storeName, String... names) throws IOException {
        Path store = dir.resolve(storeName + ".p12");
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (String n : names) {
                trust.setCertificateEntry(n, read(n));
            }
            try (OutputStream out = Files.newOutputStream(store)) {
                trust.store(out, PASSWORD.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        return store;
    }

    private Certificate read(String name) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore(name))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks.getCertificate(name);
    }

    private TestCertificates key(String name, String dn, List<String> ext, String startDate) throws IOException {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                "-dname", dn, "-keystore", keystore(name).toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD));
        args.addAll(ext);
        if (startDate != null) {
            args.addAll(List.of("-startdate", startDate, "-validity", "29"));
        } else {
            args.addAll(List.of("-validity", "365"));
        }
        run(args.toArray(new String[0]));
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(read(name).getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(certificate(name), pem);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        return this;
    }

    private void run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool);
        // a short-lived JVM: skip the optimising compiler, smallest collector
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
