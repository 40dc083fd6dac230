package org.openfinq.connector;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Loads and checks a bank's certificates (eIDAS QWAC for mutual TLS, QSealC for request signing) named by
 * reference in its profile, and builds the bank's own {@link SSLContext}. The JDK's default SSL context and
 * trust store are never changed: a bank without a {@code tls} section uses the JDK defaults, a bank with one gets
 * a context of its own.
 */
public final class BankTls {

    /** A certificate with its private key, loaded and checked; {@code warnings} are worth a log line, not a failure. */
    public record KeyMaterial(PrivateKey key, List<X509Certificate> chain, List<String> warnings) {
        public X509Certificate certificate() {
            return chain.getFirst();
        }

        public Instant notAfter() {
            return certificate().getNotAfter().toInstant();
        }
    }

    private BankTls() {
    }

    /**
     * The TLS context of a bank: its QWAC as client certificate (when configured) and its trust store (when
     * configured, else the JDK's trusted CAs). Fails with a one-line message naming the bank and the problem.
     */
    public static SSLContext context(String bank, BankProfile.Tls tls, Function<String, String> env) {
        try {
            KeyManagerFactory kmf = null;
            if (tls.certificateFile() != null) {
                KeyMaterial qwac = load(bank, "QWAC", tls.certificateFile(), tls.keyFile(), tls.passwordEnv(), tls.passwordFile(), env,
                        Clock.systemUTC());
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] none = new char[0];
                ks.setKeyEntry("qwac", qwac.key(), none, qwac.chain().toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
            }
            TrustManagerFactory tmf = null;
            if (tls.trustFile() != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(bank, "trust store", tls.trustFile())) {
                    trust.setCertificateEntry("ca" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Bank " + bank + ": TLS context cannot be built: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a certificate and its key: a PKCS#12 file ({@code .p12}/{@code .pfx}, password from {@code passwordEnv}
     * or {@code passwordFile}), or a PEM certificate (chain) with a PEM PKCS#8 key. Checks that the key fits the
     * certificate; warns about expiry and about key usages that do not fit the {@code kind} (QWAC or QSealC).
     */
    public static KeyMaterial load(String bank, String kind, String certificateFile, String keyFile, String passwordEnv,
                                   String passwordFile, Function<String, String> env, Clock clock) {
        String what = "Bank " + bank + ": " + kind + " ";
        Path cert = existing(what + "certificate", certificateFile);
        PrivateKey key;
        List<X509Certificate> chain;
        try {
            String lower = certificateFile.toLowerCase(java.util.Locale.ROOT);
            if (lower.endsWith(".p12") || lower.endsWith(".pfx")) {
                char[] password = password(what, passwordEnv, passwordFile, env);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(cert)) {
                    ks.load(in, password);
                }
                String alias = java.util.Collections.list(ks.aliases()).stream().filter(a -> isKey(ks, a)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(what + "keystore " + certificateFile + " holds no private key"));
                key = (PrivateKey) ks.getKey(alias, password);
                chain = new ArrayList<>();
                for (Certificate c : ks.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
            } else {
                chain = certificates(bank, kind + " certificate", certificateFile);
                key = pemKey(what, existing(what + "key", keyFile));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(what + "cannot be read from " + certificateFile + ": " + rootMessage(e), e);
        }
        if (!fits(key, chain.getFirst())) {
            throw new IllegalStateException(what + "private key does not belong to the certificate " + certificateFile);
        }
        return new KeyMaterial(key, List.copyOf(chain), warnings(what, kind, chain.getFirst(), clock.instant()));
    }

    /** Expiry and key-usage warnings for a certificate used as {@code kind} (QWAC or QSealC). */
    static List<String> warnings(String what, String kind, X509Certificate c, Instant now) {
        List<String> out = new ArrayList<>();
        if (c.getNotAfter().toInstant().isBefore(now)) {
            out.add(what + "certificate expired on " + c.getNotAfter().toInstant() + "; the bank will refuse it");
        } else if (c.getNotAfter().toInstant().isBefore(now.plus(java.time.Duration.ofDays(30)))) {
            out.add(what + "certificate expires on " + c.getNotAfter().toInstant() + " (in less than 30 days)");
        }
        if (c.getNotBefore().toInstant().isAfter(now)) {
            out.add(what + "certificate is not valid before " + c.getNotBefore().toInstant());
        }
        boolean[] usage = c.getKeyUsage();
        try {
            List<String> eku = c.getExtendedKeyUsage();
            if ("QWAC".equals(kind) && eku != null && !eku.contains("1.3.6.1.5.5.7.3.2")) {
                out.add(what + "certificate lacks the clientAuth extended key usage a QWAC needs for mutual TLS");
            }
        } catch (java.security.cert.CertificateParsingException e) {
            out.add(what + "certificate's extended key usage cannot be read");
        }
        if ("QSealC".equals(kind) && usage != null && !usage[1]) {
            out.add(what + "certificate lacks the nonRepudiation (contentCommitment) key usage of a QSealC");
        }
        if (usage != null && !usage[0]) {
            out.add(what + "certificate lacks the digitalSignature key usage");
        }
        return out;
    }

    private static boolean isKey(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Path existing(String what, String file) {
        if (file == null || file.isBlank()) {
            throw new IllegalStateException(what + " file is not configured");
        }
        Path p = Path.of(file);
        if (!Files.isReadable(p)) {
            throw new IllegalStateException(what + " file " + file + " does not exist or cannot be read");
        }
        return p;
    }

    private static char[] password(String what, String passwordEnv, String passwordFile, Function<String, String> env)
            throws IOException {
        if (passwordEnv != null) {
            String v = env.apply(passwordEnv);
            if (v == null) {
                throw new IllegalStateException(what + "keystore password variable " + passwordEnv + " is not set");
            }
            return v.toCharArray();
        }
        if (passwordFile != null) {
            return Files.readString(existing(what + "keystore password", passwordFile), StandardCharsets.UTF_8).strip().toCharArray();
        }
        return new char[0];
    }

    private static List<X509Certificate> certificates(String bank, String what, String file) throws IOException {
        Path p = existing("Bank " + bank + ": " + what, file);
        try (InputStream in = Files.newInputStream(p)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (all.isEmpty()) {
                throw new IllegalStateException("Bank " + bank + ": " + what + " file " + file + " holds no certificate");
            }
            List<X509Certificate> out = new ArrayList<>();
            all.forEach(c -> out.add((X509Certificate) c));
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bank " + bank + ": " + what + " file " + file + " is not a PEM certificate: "
                    + rootMessage(e), e);
        }
    }

    private static PrivateKey pemKey(String what, Path file) throws IOException {
        String pem = Files.readString(file);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(what + "key " + file + " is not an unencrypted PEM PKCS#8 key (BEGIN PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        for (String alg : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalStateException(what + "key " + file + " is neither an RSA nor an EC key");
    }

    private static boolean fits(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (alg == null) {
            return true;
        }
        try {
            byte[] probe = "openfinq key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The innermost cause's message, e.g. {@code Received fatal alert: certificate_required}. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
