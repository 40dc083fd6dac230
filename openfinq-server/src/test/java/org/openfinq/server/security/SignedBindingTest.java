package org.openfinq.server.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.client.OpenfinqClient;
import org.openfinq.client.Signer;
import org.openfinq.client.model.Credentials;
import org.openfinq.client.model.Session;
import org.openfinq.client.model.Step;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * Signed requests bound to their endpoint: {@code htm}/{@code htu} are checked whenever a JWS carries them, and
 * required for a tenant that asks for it; the docs' unbound JWS keeps working by default.
 */
class SignedBindingTest {

    static final String ID = "binding@tenant-project.iam.gserviceaccount.com";
    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Signer signer;
    static String pem;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"));
        api = server.api();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        signer = new Signer(key.getPrivate(), "bind-1", ID, "api.finqware.com", Duration.ofMinutes(5), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    static Tenants.Creds tenant(String name) {
        Tenants.Creds t = Tenants.create(api, name, Flows.AIS, Flows.LOAN);
        assertThat(api.admin("POST", "/admin/tenants/" + t.clientId() + "/signers", Api.object("identity", ID)).status()).isEqualTo(201);
        assertThat(api.admin("POST", "/admin/tenants/" + t.clientId() + "/signers/" + ID + "/keys",
                Api.object("kid", "bind-1", "public_key", pem)).status()).isEqualTo(200);
        return t;
    }

    static byte[] consentBody(Tenants.Creds t, Flows.Credentials c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", t.clientId());
        body.put("client_secret", t.clientSecret());
        body.put("credentials_id", c.credentialsId());
        body.put("access_token", c.accessToken());
        return Api.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    }

    static Api.Response signed(String path, byte[] body, String jws) {
        return api.sendBytes("POST", path, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + jws), body);
    }

    static String status(String credentialsId) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select status from consent where id = '" + credentialsId + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void unboundTokensWorkByDefaultAndClaimsThatArePresentAreEnforced() throws Exception {
        Tenants.Creds t = tenant("binding-default");
        Flows.Credentials c = Flows.aisCredentials(api, t, "u1", "alice");
        byte[] body = consentBody(t, c);
        // the docs' form: no htm, htu or jti
        assertThat(signed("/v1s/consents/get", body, signer.sign(body)).status()).isEqualTo(200);
        // bound to consents/get: fine there (as a path or as a URL), refused on consents/delete
        String forGet = signer.sign(body, "POST", server.baseUrl() + "/v1s/consents/get");
        assertThat(signed("/v1s/consents/get", body, forGet).status()).isEqualTo(200);
        assertThat(signed("/v1s/consents/get", body, signer.sign(body, "POST", "/v1s/consents/get")).status()).isEqualTo(200);
        assertError(signed("/v1s/consents/delete", body, forGet), 401, "unauthorized", "endpoint_mismatch", "htu");
        assertThat(status(c.credentialsId())).isEqualTo("ACTIVE");
        // the method too
        assertError(signed("/v1s/consents/get", body, signer.sign(body, "GET", "/v1s/consents/get")),
                401, "unauthorized", "endpoint_mismatch", "htm");
        // htu is compared with the path the router uses, not a spelling of it
        assertError(signed("/v1s/consents/get", body, signer.sign(body, "POST", "/v1s/consents/get/")),
                401, "unauthorized", "endpoint_mismatch", "htu");
        assertError(signed("/v1s/consents/get", body, signer.sign(body, "POST", "/v1/consents/get")),
                401, "unauthorized", "endpoint_mismatch", "htu");
        for (String garbage : new String[]{"/v1s/consents/%zz", "not a url", "consents/get", ""}) {
            assertError(signed("/v1s/consents/get", body, signer.sign(body, "POST", garbage)), 401, "unauthorized", "endpoint_mismatch", "htu");
        }
    }

    @Test
    void aTenantThatRequiresBindingRefusesATokenForAnotherEndpoint() throws Exception {
        Tenants.Creds t = tenant("binding-required");
        Flows.Credentials c = Flows.aisCredentials(api, t, "u1", "alice");
        byte[] body = consentBody(t, c);
        assertThat(api.admin("PUT", "/admin/tenants/" + t.clientId() + "/endpoint-binding", Map.of("enabled", true)).status()).isEqualTo(204);

        assertError(signed("/v1s/consents/get", body, signer.sign(body)), 401, "unauthorized", "missing_binding", "htm");
        String forGet = signer.sign(body, "POST", "/v1s/consents/get");
        assertError(signed("/v1s/consents/delete", body, forGet), 401, "unauthorized", "endpoint_mismatch", "htu");
        assertThat(status(c.credentialsId())).as("no deletion with a token for consents/get").isEqualTo("ACTIVE");
        assertThat(signed("/v1s/consents/get", body, forGet).status()).isEqualTo(200);
        Api.Response deleted = signed("/v1s/consents/delete", body, signer.sign(body, "POST", "/v1s/consents/delete"));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(status(c.credentialsId())).isEqualTo("DELETED");

        assertThat(api.admin("PUT", "/admin/tenants/" + t.clientId() + "/endpoint-binding", Map.of("enabled", false)).status()).isEqualTo(204);
        assertThat(signed("/v1s/consents/get", body, signer.sign(body)).status()).isEqualTo(200);
        assertError(api.admin("PUT", "/admin/tenants/" + t.clientId() + "/endpoint-binding", Map.of("enabled", "yes")),
                400, "invalid_request", "invalid_field", "enabled");
    }

    @Test
    void theSdkSendsHtmHtuAndJtiOnEverySignedCall() {
        Tenants.Creds t = tenant("binding-sdk");
        // both guards on: every SDK call must carry a fresh jti and its own method and URL
        assertThat(api.admin("PUT", "/admin/tenants/" + t.clientId() + "/endpoint-binding", Map.of("enabled", true)).status()).isEqualTo(204);
        assertThat(api.admin("PUT", "/admin/tenants/" + t.clientId() + "/replay-guard", Map.of("enabled", true)).status()).isEqualTo(204);
        OpenfinqClient sdk = OpenfinqClient.builder(server.baseUrl(), t.clientId()).clientSecret(t.clientSecret())
                .clientAppKey(t.clientAppKey()).signer(signer).build();
        Session session = sdk.createSession("sdk-user", Flows.AIS);
        Step step = sdk.submitStep(session.sessionId(), session.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "alice"));
        Credentials credentials = sdk.exchangeToken(step.tempToken());
        assertThat(sdk.getConsent(credentials).result().status()).isEqualTo("ACTIVE");
        Session loan = sdk.createSession("sdk-loan", Flows.LOAN);
        Step form = sdk.submitStep(loan.sessionId(), loan.nonce(), Flows.LOAN, "product_form", Map.of("value", "5000", "currency", "RON", "period", 24));
        Step applicant = sdk.submitStep(loan.sessionId(), form.nonce(), Flows.LOAN, "applicant",
                Map.of("first_name", "Dan", "last_name", "Stan", "email", "dan@example.ro", "birth_date", "1985-06-01"));
        Step docs = sdk.submitStep(loan.sessionId(), applicant.nonce(), Flows.LOAN, "documents", Map.of("document_type", "payslip"));
        Step uploaded = sdk.upload(loan.sessionId(), docs.stepId(), docs.nonce(), "payslip.pdf", "application/pdf",
                "%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(uploaded.status()).isEqualTo("SESSION_COMPLETED");
        assertThat(sdk.deleteConsent(credentials, 0).result().status()).isEqualTo("DELETED");
    }
}
