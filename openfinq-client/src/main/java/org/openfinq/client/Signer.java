package org.openfinq.client;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Signs /v1s requests: an RS256 JWS with {@code iat}, {@code exp}, {@code iss}, {@code aud}, {@code sub},
 * {@code email}, {@code digest} (Base64 SHA-256 of the exact body bytes) and a fresh {@code jti}, in the
 * {@code Authorization: Bearer} header, as the Finqware docs describe; with {@code htm} (the HTTP method) and
 * {@code htu} (the request URL) the JWS is good for that one endpoint only.
 */
public final class Signer {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final PrivateKey key;
    private final String keyId;
    private final String email;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    public Signer(PrivateKey key, String keyId, String email, String audience, Duration lifetime, Clock clock) {
        this.key = key;
        this.keyId = keyId;
        this.email = email;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A signer from a PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----}). */
    public static Signer fromPem(String pem, String keyId, String email) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new Signer(key, keyId, email, "api.finqware.com", Duration.ofMinutes(5), Clock.systemUTC());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a PKCS#8 RSA private key: " + e.getMessage(), e);
        }
    }

    /** A signer from a Google-style service-account key file ({@code private_key}, {@code private_key_id}, {@code client_email}). */
    public static Signer fromServiceAccountFile(Path file) {
        try {
            JsonNode sa = JSON.readTree(Files.readAllBytes(file));
            return fromPem(sa.get("private_key").asString(), sa.get("private_key_id").asString(), sa.get("client_email").asString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The same signer with another audience (default {@code api.finqware.com}). */
    public Signer withAudience(String aud) {
        return new Signer(key, keyId, email, aud, lifetime, clock);
    }

    /** The same signer with another JWS lifetime (default 5 minutes; servers allow at most an hour). */
    public Signer withLifetime(Duration d) {
        return new Signer(key, keyId, email, audience, d, clock);
    }

    public static String digest(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWS for these exact body bytes, usable on any endpoint. */
    public String sign(byte[] body) {
        return sign(body, null, null);
    }

    /**
     * The JWS for these exact body bytes, bound to one endpoint.
     *
     * @param method the HTTP method ({@code htm}), e.g. {@code POST}
     * @param url    the request URL without query ({@code htu}); the server compares its path
     */
    public String sign(byte[] body, String method, String url) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("kid", keyId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iat", now);
        claims.put("exp", now + lifetime.toSeconds());
        claims.put("iss", email);
        claims.put("aud", audience);
        claims.put("sub", email);
        claims.put("email", email);
        claims.put("digest", digest(body));
        claims.put("jti", UUID.randomUUID().toString());
        if (method != null) {
            claims.put("htm", method);
        }
        if (url != null) {
            claims.put("htu", url);
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing failed", e);
        }
    }
}
