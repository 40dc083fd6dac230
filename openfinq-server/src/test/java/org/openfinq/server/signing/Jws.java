package org.openfinq.server.signing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;

/** Builds test JWS the way a tenant's server would, with hooks to break each part. */
final class Jws {

    private Jws() {
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static String digest(byte[] body) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    }

    static JWTClaimsSet.Builder claims(String identity, byte[] body) throws Exception {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issueTime(new Date(now)).expirationTime(new Date(now + 600_000)).issuer(identity)
                .audience("api.finqware.com").subject(identity).claim("email", identity).claim("digest", digest(body));
    }

    static String sign(KeyPair key, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
        jwt.sign(new RSASSASigner(key.getPrivate()));
        return jwt.serialize();
    }

    static String sign(KeyPair key, String kid, String identity, byte[] body, UnaryOperator<JWTClaimsSet.Builder> edit) throws Exception {
        return sign(key, kid, edit.apply(claims(identity, body)).build());
    }

    static String none(String identity, byte[] body) throws Exception {
        return new PlainJWT(claims(identity, body).build()).serialize();
    }

    static String hs256(byte[] secret, String kid, String identity, byte[] body) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims(identity, body).build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    /** RS256 over a header and claims given as raw JSON text, signed with the JDK alone (no JOSE library). */
    static String raw(KeyPair key, String header, String claims) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.getPrivate());
        rsa.update(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(rsa.sign());
    }

    /** The claims {@link #claims} makes, as JSON text, with {@code extra} members appended (e.g. {@code ,"aud":1}). */
    static String claimsJson(String identity, byte[] body, String aud, String extra) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        return "{\"iat\":" + now + ",\"exp\":" + (now + 600) + ",\"iss\":\"" + identity + "\",\"sub\":\"" + identity
                + "\",\"email\":\"" + identity + "\",\"aud\":" + aud + ",\"digest\":\"" + digest(body) + "\"" + extra + "}";
    }
}
