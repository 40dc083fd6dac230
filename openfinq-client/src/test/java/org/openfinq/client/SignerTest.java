package org.openfinq.client;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class SignerTest {

    @Test
    void theJwsCarriesTheDocumentedClaimsAndVerifiesWithThePublicKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        byte[] body = "{\"client_id\":\"c\",\"skill\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        String jws = Signer.fromPem(pem, "kid-9", "me@p.iam.gserviceaccount.com").sign(body);

        String[] parts = jws.split("\\.");
        JsonNode header = JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("alg").asString()).isEqualTo("RS256");
        assertThat(header.get("kid").asString()).isEqualTo("kid-9");
        assertThat(claims.get("iss").asString()).isEqualTo("me@p.iam.gserviceaccount.com");
        assertThat(claims.get("sub").asString()).isEqualTo(claims.get("iss").asString());
        assertThat(claims.get("email").asString()).isEqualTo(claims.get("iss").asString());
        assertThat(claims.get("aud").asString()).isEqualTo("api.finqware.com");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
        assertThat(claims.get("digest").asString())
                .isEqualTo(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body)));
        assertThat(claims.get("jti").asString()).hasSize(36);

        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(pair.getPublic());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }
}
