package org.openfinq.server.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Tenants;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** A signer registered for a tenant through the admin API (key {@code k1}), signing /v1s bodies as a tenant's server would. */
final class TestSigner {

    final String identity;
    private final KeyPair key;

    private TestSigner(String identity, KeyPair key) {
        this.identity = identity;
        this.key = key;
    }

    static TestSigner register(Api api, Tenants.Creds tenant, String identity) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertThat(api.admin("POST", "/admin/tenants/" + tenant.clientId() + "/signers",
                Api.object("identity", identity)).status()).isEqualTo(201);
        assertThat(api.admin("POST", "/admin/tenants/" + tenant.clientId() + "/signers/" + identity + "/keys",
                Api.object("kid", "k1", "public_key", pem)).status()).isEqualTo(200);
        return new TestSigner(identity, key);
    }

    String sign(byte[] body) throws Exception {
        return sign(body, c -> c);
    }

    String sign(byte[] body, UnaryOperator<JWTClaimsSet.Builder> edit) throws Exception {
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issueTime(new Date(now)).expirationTime(new Date(now + 600_000))
                .issuer(identity).audience("api.finqware.com").subject(identity).claim("email", identity)
                .claim("digest", Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(body == null ? new byte[0] : body)));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID("k1").build(),
                edit.apply(claims).build());
        jwt.sign(new RSASSASigner(key.getPrivate()));
        return jwt.serialize();
    }
}
