package org.openfinq.server.signing;

import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** /v1s: the same calls as /v1, refused with 401 (each failure its own code, no side effect) unless the JWS verifies. */
class SignedRequestTest {

    static final String ID = "backend@tenant-project.iam.gserviceaccount.com";
    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static Tenants.Creds other;
    static KeyPair key;
    static KeyPair otherKey;
    static String kid = "key-1";

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        server = TestServer.start(db);
        api = server.api();
        tenant = Tenants.create(api, "signed", Flows.AIS);
        other = Tenants.create(api, "other-signed", Flows.AIS);
        key = Jws.rsa(2048);
        otherKey = Jws.rsa(2048);
        register(tenant, ID, kid, pem(key));
        register(other, "other@other.iam.gserviceaccount.com", "o-1", pem(otherKey));
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    static String pem(KeyPair k) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(k.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    static void register(Tenants.Creds t, String identity, String kid, String publicKey) {
        register(api, t, identity, kid, publicKey);
    }

    static void register(Api api, Tenants.Creds t, String identity, String kid, String publicKey) {
        assertThat(api.admin("POST", "/admin/tenants/" + t.clientId() + "/signers", Api.object("identity", identity)).status()).isEqualTo(201);
        Api.Response r = api.admin("POST", "/admin/tenants/" + t.clientId() + "/signers/" + identity + "/keys",
                Api.object("kid", kid, "public_key", publicKey));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static byte[] sessionBody(Tenants.Creds t) {
        return ("{\"tenant_user_id\":\"u1\",\"client_id\":\"" + t.clientId() + "\",\"client_app_key\":\"" + t.clientAppKey()
                + "\",\"skill\":\"" + Flows.AIS + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static Api.Response v1s(String jws, byte[] body) {
        return api.sendBytes("POST", "/v1s/sessions", jws == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + jws), body);
    }

    static int sessions() throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("select count(*) from session")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static void refused(String jws, byte[] body, String code) throws Exception {
        int before = sessions();
        assertError(v1s(jws, body), 401, "unauthorized", code, "");
        assertThat(sessions()).as("no side effect of a refused %s", code).isEqualTo(before);
    }

    @Test
    void aSignedRequestIsAcceptedAndTheSameCallWorksUnsignedOnV1() throws Exception {
        byte[] body = sessionBody(tenant);
        Api.Response r = v1s(Jws.sign(key, kid, ID, body, c -> c), body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("SESSION_CREATED");
        assertThat(api.sendBytes("POST", "/v1/sessions", Map.of("Content-Type", "application/json"), body).status()).isEqualTo(200);
    }

    @Test
    void aRequestBuiltAsTheDocsPythonExampleBuildsItIsAccepted() throws Exception {
        KeyPair sa = Jws.rsa(2048);
        String identity = "docs-example@my-gcp-project.iam.gserviceaccount.com";
        register(tenant, identity, "sa-key-7", pem(sa));
        Path keyFile = Files.createTempFile("sa", ".json");
        Files.writeString(keyFile, "{\"type\":\"service_account\",\"private_key_id\":\"sa-key-7\",\"client_email\":\"" + identity
                + "\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n" + Base64.getEncoder().encodeToString(sa.getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n\"}");
        Path script = Path.of(SignedRequestTest.class.getResource("/docs_example_sign.py").toURI());
        String payload = "{\"client_id\": \"" + tenant.clientId() + "\", \"client_app_key\": \"" + tenant.clientAppKey()
                + "\", \"skill\": \"" + Flows.AIS + "\", \"tenant_user_id\": \"python-user\"}";
        Process p = new ProcessBuilder("python3", script.toString(), keyFile.toString(), payload).redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor()).as(String.join("\n", out)).isZero();
        assertThat(out.getFirst()).doesNotContain(" ").startsWith("{\"client_id\":");
        Api.Response r = v1s(out.get(1), out.getFirst().getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Files.delete(keyFile);
    }

    /** What the docs tell a client to sign: the compact JSON, keys in the order sent. */
    static byte[] compact(String json) {
        return Api.JSON.writeValueAsString(Api.JSON.readTree(json)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theDigestOfTheCompactFormAcceptsAPrettyPrintedBodyAndATamperedOneIsStillRefused() throws Exception {
        String pretty = "{\n  \"tenant_user_id\" : \"Ștefan \\u0219 \\\"q\\\" \\/ 1\",\n  \"client_id\": \"" + tenant.clientId()
                + "\",\n  \"client_app_key\": \"" + tenant.clientAppKey() + "\",\n  \"skill\": \"" + Flows.AIS + "\"\n}\n";
        byte[] body = pretty.getBytes(StandardCharsets.UTF_8);
        byte[] signedForm = compact(pretty);
        assertThat(new String(signedForm, StandardCharsets.UTF_8)).doesNotContain(" :").startsWith("{\"tenant_user_id\":\"Ștefan ș");
        String jws = Jws.sign(key, kid, ID, signedForm, c -> c);
        Api.Response r = v1s(jws, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);

        // Python's json.dumps writes non-ASCII as \\u escapes: that compact form is accepted too
        String asciiForm = "{\"tenant_user_id\":\"\\u0218tefan \\u0219 \\\"q\\\" / 1\",\"client_id\":\"" + tenant.clientId()
                + "\",\"client_app_key\":\"" + tenant.clientAppKey() + "\",\"skill\":\"" + Flows.AIS + "\"}";
        r = v1s(Jws.sign(key, kid, ID, asciiForm.getBytes(StandardCharsets.US_ASCII), c -> c), body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);

        refused(jws, pretty.replace("Ștefan", "Stefan").getBytes(StandardCharsets.UTF_8), "digest_mismatch");
        refused(jws, pretty.replace("\"skill\"", "\"note\": \"x\", \"skill\"").getBytes(StandardCharsets.UTF_8), "digest_mismatch");
        String reordered = "{\"client_id\": \"" + tenant.clientId() + "\", \"tenant_user_id\" : \"Ștefan ș \\\"q\\\" / 1\", \"client_app_key\": \""
                + tenant.clientAppKey() + "\", \"skill\": \"" + Flows.AIS + "\"}";
        refused(jws, reordered.getBytes(StandardCharsets.UTF_8), "digest_mismatch");
        // a key given twice: refused before any digest (the strict parser finds no single client_id)
        String duplicated = pretty.replace("\n}", ",\n  \"skill\": \"" + Flows.AIS + "\"\n}");
        refused(Jws.sign(key, kid, ID, compact(pretty), c -> c), duplicated.getBytes(StandardCharsets.UTF_8), "invalid_client_id");
    }

    @Test
    void theDocsCompletePythonExampleWithOnlyItsOwnBugsFixedIsAccepted() throws Exception {
        String python = PythonWithGoogleAuth.find();
        KeyPair sa = Jws.rsa(2048);
        String identity = "service-account1@my-gcp-project.iam.gserviceaccount.com";
        register(tenant, identity, "sa-key-docs", pem(sa));
        Path keyFile = Files.createTempFile("sa", ".json");
        try {
            Files.writeString(keyFile, "{\"type\":\"service_account\",\"private_key_id\":\"sa-key-docs\",\"client_email\":\"" + identity
                    + "\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n" + Base64.getEncoder().encodeToString(sa.getPrivate().getEncoded())
                    + "\\n-----END PRIVATE KEY-----\\n\"}");
            Path script = Path.of(SignedRequestTest.class.getResource("/docs_python_example.py").toURI());
            int before = sessions();
            Process p = new ProcessBuilder(python, script.toString(), api.baseUrl(), keyFile.toString(), identity,
                    tenant.clientId(), tenant.clientAppKey(), Flows.AIS, "Ștefan").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).as(out).contains("json= 200 ").contains("data= 200 ");
            assertThat(sessions()).isEqualTo(before + 2);
        } finally {
            Files.delete(keyFile);
        }
    }

    @Test
    void everyFaultIsRefusedWithItsOwnCode() throws Exception {
        byte[] body = sessionBody(tenant);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"u1\"", "\"u2\"").getBytes(StandardCharsets.UTF_8);
        byte[] reordered = ("{\"client_id\":\"" + tenant.clientId() + "\",\"tenant_user_id\":\"u1\",\"client_app_key\":\""
                + tenant.clientAppKey() + "\",\"skill\":\"" + Flows.AIS + "\"}").getBytes(StandardCharsets.UTF_8);
        String good = Jws.sign(key, kid, ID, body, c -> c);
        refused(null, body, "missing_authorization");
        refused("not-a-jws", body, "invalid_jws");
        refused(good, tampered, "digest_mismatch");
        refused(good, reordered, "digest_mismatch");
        refused(Jws.sign(otherKey, kid, ID, body, c -> c), body, "invalid_signature");
        refused(Jws.sign(key, "key-404", ID, body, c -> c), body, "unknown_kid");
        refused(Jws.none(ID, body), body, "unsupported_algorithm");
        refused(Jws.hs256(padded(key.getPublic().getEncoded()), kid, ID, body), body, "unsupported_algorithm");
        refused(Jws.sign(key, kid, ID, body, c -> c.audience("api.example.com")), body, "invalid_audience");
        long now = System.currentTimeMillis();
        refused(Jws.sign(key, kid, ID, body, c -> c.issueTime(new Date(now - 7_200_000)).expirationTime(new Date(now - 3_600_000))),
                body, "expired");
        refused(Jws.sign(key, kid, ID, body, c -> c.expirationTime(new Date(now + 7_200_000))), body, "lifetime_too_long");
        refused(Jws.sign(key, kid, ID, body, c -> c.issueTime(new Date(now + 600_000)).expirationTime(new Date(now + 900_000))),
                body, "issued_in_future");
        refused(Jws.sign(key, kid, ID, body, c -> c.claim("digest", null)), body, "missing_digest");
        refused(Jws.sign(key, kid, ID, body, c -> c.subject("someone@else.example")), body, "invalid_issuer");
        refused(Jws.sign(otherKey, "o-1", "other@other.iam.gserviceaccount.com", body, c -> c), body, "invalid_issuer");
        refused(Jws.sign(key, kid, ID, body, c -> c.expirationTime(null)), body, "missing_expiry");
    }

    @Test
    void tokensSignedByHandAreReadStrictly() throws Exception {
        byte[] body = sessionBody(tenant);
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String claims = Jws.claimsJson(ID, body, "\"api.finqware.com\"", "");
        // a token made without a JOSE library, aud as an array: accepted
        assertThat(v1s(Jws.raw(key, header, Jws.claimsJson(ID, body, "[\"other\",\"api.finqware.com\"]", "")), body).status())
                .isEqualTo(200);
        refused(Jws.raw(key, "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"crit\":[\"exp\"],\"exp\":1}", claims), body,
                "invalid_signature");
        refused(Jws.raw(key, "{\"alg\":\"RS256\",\"kid\":7}", claims), body, "invalid_jws");
        refused(Jws.raw(key, "{\"alg\":\"RS256\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", claims), body, "invalid_jws");
        refused(Jws.raw(key, "{\"kid\":\"" + kid + "\"}", claims), body, "invalid_jws");
        refused(Jws.raw(key, "[\"RS256\"]", claims), body, "invalid_jws");
        refused(Jws.raw(key, "{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"" + kid + "\"}", claims) + ".x.y", body,
                "unsupported_algorithm");
        refused(Jws.raw(key, "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}", claims), body, "unsupported_algorithm");
        refused(Jws.raw(key, header, Jws.claimsJson(ID, body, "1", "")), body, "invalid_jws");
        refused(Jws.raw(key, header, Jws.claimsJson(ID, body, "[1]", "")), body, "invalid_jws");
        refused(Jws.raw(key, header, Jws.claimsJson(ID, body, "\"api.finqware.com\"", ",\"exp\":\"tomorrow\"")), body, "invalid_jws");
        refused(Jws.raw(key, header, claims.replace("\"iss\":\"" + ID + "\"", "\"iss\":42")), body, "invalid_jws");
        refused(Jws.raw(key, header, "not json"), body, "invalid_jws");
        String good = Jws.raw(key, header, claims);
        refused(good.substring(0, good.lastIndexOf('.') + 1) + "!!!", body, "invalid_jws");
        refused(good + ".", body, "invalid_jws");
        assertThat(v1s(good, body).status()).isEqualTo(200);
    }

    static byte[] padded(byte[] b) {
        return b.length >= 32 ? b : java.util.Arrays.copyOf(b, 32);
    }

    @Test
    void theReplayGuardRefusesAReusedJti() throws Exception {
        Tenants.Creds guarded = Tenants.create(api, "guarded", Flows.AIS);
        register(guarded, "g@guarded.iam.gserviceaccount.com", "g1", pem(key));
        assertThat(api.admin("PUT", "/admin/tenants/" + guarded.clientId() + "/replay-guard", Api.object("enabled", true)).status()).isEqualTo(204);
        byte[] body = sessionBody(guarded);
        refused(Jws.sign(key, "g1", "g@guarded.iam.gserviceaccount.com", body, c -> c), body, "missing_jti");
        String once = Jws.sign(key, "g1", "g@guarded.iam.gserviceaccount.com", body, c -> c.jwtID(UUID.randomUUID().toString()));
        assertThat(v1s(once, body).status()).isEqualTo(200);
        refused(once, body, "replayed_jti");
    }

    @Test
    void keysComeAsPemJwkOrCertificateAndMustBeStrongRsa() throws Exception {
        Tenants.Creds t = Tenants.create(api, "keys", Flows.AIS);
        String identity = "keys@t.iam.gserviceaccount.com";
        assertThat(api.admin("POST", "/admin/tenants/" + t.clientId() + "/signers", Api.object("identity", identity)).status()).isEqualTo(201);
        String keys = "/admin/tenants/" + t.clientId() + "/signers/" + identity + "/keys";
        KeyPair jwkPair = Jws.rsa(2048);
        String jwk = new RSAKey.Builder((RSAPublicKey) jwkPair.getPublic()).keyID("from-jwk").build().toJSONString();
        assertThat(api.admin("POST", keys, Api.object("public_key", jwk)).body()).contains("from-jwk");
        assertThat(v1s(Jws.sign(jwkPair, "from-jwk", identity, sessionBody(t), c -> c), sessionBody(t)).status()).isEqualTo(200);

        Path dir = Files.createTempDirectory("cert");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("k.pem").toString(),
                "-out", dir.resolve("c.pem").toString(), "-days", "2", "-subj", "/CN=signer").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(api.admin("POST", keys, Api.object("kid", "from-cert", "public_key", Files.readString(dir.resolve("c.pem")))).status()).isEqualTo(200);

        assertError(api.admin("POST", keys, Api.object("kid", "weak", "public_key", pem(Jws.rsa(1024)))), 400, "invalid_request", "invalid_field", "2048");
        assertError(api.admin("POST", keys, Api.object("public_key", "hello")), 400, "invalid_request", "invalid_field", "public_key");
        for (int i = 0; i < 8; i++) {
            assertThat(api.admin("POST", keys, Api.object("kid", "k" + i, "public_key", pem(Jws.rsa(2048)))).status()).isEqualTo(200);
        }
        assertError(api.admin("POST", keys, Api.object("kid", "eleventh", "public_key", pem(Jws.rsa(2048)))), 400, "invalid_request",
                "invalid_field", "at most 10");
    }
}
