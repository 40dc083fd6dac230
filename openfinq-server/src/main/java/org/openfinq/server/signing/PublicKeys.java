package org.openfinq.server.signing;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import org.openfinq.server.web.ApiException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads a signer's public key given as PEM, an X.509 certificate or a JWK; only RSA keys of 2048 bits or more. */
public final class PublicKeys {

    public static final int MIN_BITS = 2048;

    private PublicKeys() {
    }

    /** A parsed key and the kid it brings (from a JWK), if any. */
    public record Parsed(RSAPublicKey key, String kid) {
    }

    public static Parsed parse(String text) {
        String t = text == null ? "" : text.strip();
        PublicKey key;
        String kid = null;
        try {
            if (t.startsWith("{")) {
                JWK jwk = JWK.parse(t);
                if (!(jwk instanceof RSAKey rsa)) {
                    throw ApiException.invalidField("public_key", "must be an RSA key (got " + jwk.getKeyType() + ")");
                }
                key = rsa.toRSAPublicKey();
                kid = jwk.getKeyID();
            } else if (t.contains("BEGIN CERTIFICATE")) {
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(t.getBytes(StandardCharsets.US_ASCII)));
                key = cert.getPublicKey();
            } else if (t.contains("BEGIN PUBLIC KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(t.replaceAll("-----[A-Z ]+-----", ""));
                key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            } else {
                throw ApiException.invalidField("public_key", "must be a PEM public key, a PEM X.509 certificate or a JWK");
            }
        } catch (java.text.ParseException | GeneralSecurityException | IllegalArgumentException | com.nimbusds.jose.JOSEException e) {
            throw ApiException.invalidField("public_key", "cannot be read: " + e.getMessage());
        }
        if (!(key instanceof RSAPublicKey rsa)) {
            throw ApiException.invalidField("public_key", "must be an RSA key");
        }
        if (rsa.getModulus().bitLength() < MIN_BITS) {
            throw ApiException.invalidField("public_key", "must be at least " + MIN_BITS + " bits (got " + rsa.getModulus().bitLength() + ")");
        }
        return new Parsed(rsa, kid);
    }

    public static String pem(RSAPublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    public static RSAPublicKey fromPem(String pem) {
        return parse(pem).key();
    }

    /** Parsed keys by their PEM text: parsing is costly, the text identifies the key, and removal is read from the database. */
    private static final com.github.benmanes.caffeine.cache.Cache<String, RSAPublicKey> PARSED =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

    static RSAPublicKey cached(String pem) {
        return PARSED.get(pem, PublicKeys::fromPem);
    }

    /** A kid for keys that bring none: the key's SHA-256 thumbprint (hex, first 40 characters). */
    public static String thumbprint(RSAPublicKey key) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded())).substring(0, 40);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
