package org.openfinq.connector;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that makes one bank different from another, as data: where it is, how it authenticates the
 * PSU, what it supports and its limits. Adding a bank that speaks a supported protocol is adding a profile.
 *
 * @param id                     stable profile id, referenced by catalog servicers (e.g. {@code sandbox})
 * @param name                   display name of the bank
 * @param protocol               the connector that speaks to it (e.g. {@code berlingroup})
 * @param baseUrl                the bank's API root; protocol paths are appended to it
 * @param scaApproach            how the PSU authenticates
 * @param paymentProducts        payment products the bank accepts (e.g. {@code sepa-credit-transfers})
 * @param maxHistoryDays         how far back transactions can be read (PSD2 guarantees 90 days after SCA)
 * @param unattendedCallsPerDay  reads allowed per consent per day without the PSU present (PSD2: 4)
 * @param signing                whether requests must carry {@code Digest}/{@code Signature} headers
 * @param connectTimeout         TCP connect timeout
 * @param readTimeout            time allowed for one response
 * @param quirks                 named deviations from the protocol, each handled by a small hook
 * @param tls                    the bank's own TLS settings (QWAC client certificate, trust store), or null for
 *                               the JDK defaults
 */
public record BankProfile(
        String id,
        String name,
        String protocol,
        URI baseUrl,
        ScaApproach scaApproach,
        List<String> paymentProducts,
        int maxHistoryDays,
        int unattendedCallsPerDay,
        Signing signing,
        Duration connectTimeout,
        Duration readTimeout,
        Map<String, String> quirks,
        Tls tls) {

    public BankProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(baseUrl, "baseUrl");
        scaApproach = scaApproach == null ? ScaApproach.REDIRECT : scaApproach;
        paymentProducts = paymentProducts == null ? List.of("sepa-credit-transfers") : List.copyOf(paymentProducts);
        maxHistoryDays = maxHistoryDays <= 0 ? 90 : maxHistoryDays;
        unattendedCallsPerDay = unattendedCallsPerDay <= 0 ? 4 : unattendedCallsPerDay;
        signing = signing == null ? Signing.NONE : signing;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
        quirks = quirks == null ? Map.of() : Map.copyOf(quirks);
    }

    /** A profile with the JDK's TLS defaults. */
    public BankProfile(String id, String name, String protocol, URI baseUrl, ScaApproach scaApproach, List<String> paymentProducts,
                       int maxHistoryDays, int unattendedCallsPerDay, Signing signing, Duration connectTimeout,
                       Duration readTimeout, Map<String, String> quirks) {
        this(id, name, protocol, baseUrl, scaApproach, paymentProducts, maxHistoryDays, unattendedCallsPerDay, signing,
                connectTimeout, readTimeout, quirks, null);
    }

    /** A copy pointing at another base URL (e.g. the embedded sandbox bank on its random port). */
    public BankProfile withBaseUrl(URI url) {
        return new BankProfile(id, name, protocol, url, scaApproach, paymentProducts, maxHistoryDays,
                unattendedCallsPerDay, signing, connectTimeout, readTimeout, quirks, tls);
    }

    /** A copy with other timeouts. */
    public BankProfile withTimeouts(Duration connect, Duration read) {
        return new BankProfile(id, name, protocol, baseUrl, scaApproach, paymentProducts, maxHistoryDays,
                unattendedCallsPerDay, signing, connect, read, quirks, tls);
    }

    /** How the bank authenticates the PSU. */
    public enum ScaApproach {
        /** The PSU is sent to the bank's own pages and comes back through a redirect. */
        REDIRECT,
        /** The PSU confirms in the bank's app; the TPP polls. */
        DECOUPLED,
        /** The PSU is sent to the bank's OAuth2 authorisation server; the TPP exchanges the code on return. */
        OAUTH,
        /** Credentials and OTP go through the TPP (not supported by openfinq). */
        EMBEDDED
    }

    /**
     * Request signing required by the bank (draft-cavage HTTP signatures with a QSealC), by reference.
     *
     * @param required        whether {@code Digest}, {@code Signature} and {@code TPP-Signature-Certificate} are sent
     * @param keyFile         PEM file of the PKCS#8 RSA private key of the seal (with a PEM certificate)
     * @param certificateFile PEM file of the seal's X.509 certificate, or a PKCS#12 keystore ({@code .p12}/{@code .pfx})
     * @param passwordEnv     environment variable holding the keystore password
     * @param passwordFile    file holding the keystore password (when no variable is named)
     */
    public record Signing(boolean required, String keyFile, String certificateFile, String passwordEnv, String passwordFile) {
        public static final Signing NONE = new Signing(false, null, null);

        public Signing(boolean required, String keyFile, String certificateFile) {
            this(required, keyFile, certificateFile, null, null);
        }
    }

    /**
     * The bank's own TLS settings, all by reference (never a key or password inline).
     *
     * @param certificateFile the QWAC for mutual TLS: a PEM certificate (chain) or a PKCS#12 keystore ({@code .p12}/{@code .pfx}); null for none
     * @param keyFile         PEM PKCS#8 private key of a PEM QWAC
     * @param passwordEnv     environment variable holding the keystore password
     * @param passwordFile    file holding the keystore password (when no variable is named)
     * @param trustFile       PEM file of the CA certificates to trust for this bank only; null for the JDK's CAs
     */
    public record Tls(String certificateFile, String keyFile, String passwordEnv, String passwordFile, String trustFile) {
    }
}
