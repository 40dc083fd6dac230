package org.openfinq.server.onboarding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.testing.TestClock;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.openfinq.server.support.ApiAssertions.assertError;
import static org.openfinq.server.support.ApiAssertions.fieldNames;

/** The documented onboarding, end to end over HTTP against the sandbox bank, with the SCA pages driven in a browser. */
class OnboardingFlowTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of(), TestClock.Config.class);
        api = server.api();
        tenant = Tenants.create(api, "flow", Flows.AIS, Flows.LOAN);
        api.admin("PUT", "/admin/tenants/" + tenant.clientId() + "/skills/sandbox_ro_aisp_sbx_%231.0",
                Api.object("consent_duration", 1440, "cache_max_data_retention", 2880));
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
        TestClock.INSTANCE.reset();
    }

    @BeforeEach
    void clock() {
        TestClock.INSTANCE.reset();
    }

    @Test
    void sessionScaBankPageRedirectTokenExchangeAndConsentGet() {
        Flows.Session s = Flows.session(api, tenant, Flows.AIS, "user-42");
        assertThat(UUID.fromString(s.id())).isNotNull();
        assertThat(s.nonce()).hasSizeGreaterThanOrEqualTo(43);

        Api.Response sca = Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca",
                Map.of("psu_redirect_link", "https://app.example/callback?from=bank"));
        assertThat(sca.status()).as(sca.body()).isEqualTo(200);
        assertThat(fieldNames(sca.json())).containsExactly("step_id", "nonce", "status", "data");
        assertThat(sca.text("status")).isEqualTo("SESSION_IN_PROGRESS");
        JsonNode data = sca.json().get("data");
        assertThat(data.get("headers").get("Content-Type").asString()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(data.get("method").asString()).isEqualTo("GET");
        URI bankPage = URI.create(data.get("url").asString());
        assertThat(bankPage.getPath()).startsWith("/sca/consents/");
        assertThat(bankPage.getPort()).isNotEqualTo(URI.create(api.baseUrl()).getPort());

        URI fromBank = Flows.bank(sca, "alice", true);
        assertThat(fromBank.toString()).startsWith(api.baseUrl() + "/v1/redirects/aisp?state=");
        URI toApp = Flows.receive(api, fromBank);
        assertThat(toApp.toString()).startsWith("https://app.example/callback?from=bank&temp_token=");
        String tempToken = Flows.query(toApp).get("temp_token");

        Instant before = TestClock.INSTANCE.instant();
        Api.Response token = Flows.exchange(api, tenant, tempToken);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(fieldNames(token.json())).containsExactly("credentials_id", "access_token", "consent_exp", "max_data_retention");
        assertThat(Instant.parse(token.text("consent_exp"))).isCloseTo(before.plus(Duration.ofMinutes(1440)), within(Duration.ofSeconds(30)));
        assertThat(Instant.parse(token.text("max_data_retention"))).isCloseTo(before.plus(Duration.ofMinutes(2880)), within(Duration.ofSeconds(30)));
        assertThat(token.text("consent_exp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        Flows.Credentials c = new Flows.Credentials(token.text("credentials_id"), token.text("access_token"));
        Api.Response get = Flows.consent(api, tenant, c, "get");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text("op_type")).isEqualTo("read");
        assertThat(get.text("code")).isEqualTo("credentials_info");
        assertThat(get.json().get("http").asInt()).isEqualTo(200);
        assertThat(get.text("message")).isEqualTo("Consent info retrieved");
        JsonNode result = get.json().get("result");
        assertThat(result.get("credentials_id").asString()).isEqualTo(c.credentialsId());
        assertThat(result.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(result.get("originator").get("country").asString()).isEqualTo("Romania");
        assertThat(result.get("originator").get("servicer").asString()).isEqualTo("openfinq Sandbox Bank");
        assertThat(result.get("originator").get("skill").asString()).isEqualTo(Flows.AIS);
        assertThat(result.get("tenant_app_info").get("client_id").asString()).isEqualTo(tenant.clientId());
        assertThat(result.get("tenant_app_info").get("name").asString()).isEqualTo("flow");
        assertThat(result.get("consent_exp").asString()).isEqualTo(token.text("consent_exp"));
        assertThat(result.get("max_data_retention").asString()).isEqualTo(token.text("max_data_retention"));
        assertThat(Instant.parse(result.get("utc_created").asString())).isCloseTo(before, within(Duration.ofSeconds(30)));
        assertThat(result.has("utc_last_update")).isTrue();

        assertError(Flows.step(api, tenant, s.id(), sca.text("nonce"), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://a.example")),
                400, "invalid_request", "invalid_session_id", "SESSION_COMPLETED");
    }

    @Test
    void sandboxImplicitScaAnswersTheTempTokenAtOnce() {
        Flows.Session s = Flows.session(api, tenant, Flows.AIS, "headless");
        Api.Response r = Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "bogdan"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("SESSION_COMPLETED");
        assertThat(r.json().get("nonce").isNull()).isTrue();
        Api.Response token = Flows.exchange(api, tenant, r.json().get("data").get("temp_token").asString());
        assertThat(token.status()).isEqualTo(200);
        assertError(Flows.step(api, tenant, Flows.session(api, tenant, Flows.AIS, "x").id(), "whatever", Flows.AIS, "sca_implicit",
                Map.of("psu_id", "nobody")), 401, "unauthorized", "invalid_api_keys", "nonce");
        Flows.Session unknownPsu = Flows.session(api, tenant, Flows.AIS, "x");
        assertError(Flows.step(api, tenant, unknownPsu.id(), unknownPsu.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "nobody")),
                400, "external_api_error", "external_api_unauthorized", "PSU_CREDENTIALS_INVALID");
    }

    @Test
    void deniedScaRedirectsWithAnErrorFailsTheSessionAndMakesNoConsent() throws Exception {
        Flows.Session s = Flows.session(api, tenant, Flows.AIS, "denier");
        Api.Response sca = Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "myapp://onboarded"));
        URI fromBank = Flows.bank(sca, "alice", false);
        URI toApp = Flows.receive(api, fromBank);
        assertThat(toApp.getScheme()).isEqualTo("myapp");
        Map<String, String> q = Flows.query(toApp);
        assertThat(q).containsEntry("error", "tpp_redirect_error").containsEntry("session_id", s.id()).doesNotContainKey("temp_token");
        assertThat(q.get("message")).contains("denied");
        assertThat(sessionStatus(s.id())).isEqualTo("SESSION_FAILED");
        assertThat(consentsOfSession(s.id())).isZero();
        assertError(Flows.step(api, tenant, s.id(), sca.text("nonce"), Flows.AIS, "sca", Map.of("psu_redirect_link", "myapp://x")),
                400, "invalid_request", "invalid_session_id", "SESSION_FAILED");
        assertError(api.send("GET", fromBank.getRawPath() + "?" + fromBank.getRawQuery(), Map.of(), null),
                400, "invalid_request", "tpp_redirect_error", "already used");
        assertError(api.send("GET", "/v1/redirects/aisp?state=forged&result=ok", Map.of(), null),
                400, "invalid_request", "tpp_redirect_error", "Unknown redirect state");
    }

    @Test
    void abandonedScaExpiresTheSession() throws Exception {
        Flows.Session s = Flows.session(api, tenant, Flows.AIS, "walks-away");
        Api.Response sca = Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://app.example/x"));
        assertThat(sca.status()).isEqualTo(200);
        TestClock.INSTANCE.advance(Duration.ofMinutes(29));
        server.bean(SessionExpiryJob.class).run();
        assertThat(sessionStatus(s.id())).isEqualTo("SESSION_IN_PROGRESS");
        TestClock.INSTANCE.advance(Duration.ofMinutes(2));
        server.bean(SessionExpiryJob.class).run();
        assertThat(sessionStatus(s.id())).isEqualTo("SESSION_EXPIRED");
        URI late = Flows.receive(api, Flows.bank(sca, "alice", true));
        assertThat(Flows.query(late)).containsEntry("error", "tpp_redirect_error").doesNotContainKey("temp_token");
        assertThat(consentsOfSession(s.id())).isZero();
    }

    @Test
    void consentDeleteIsIdempotentAndRevokesTheBankConsent() throws Exception {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "deleter", "alice");
        String bankConsentId = bankConsentId(c.credentialsId());
        assertThat(bankStatus(bankConsentId)).isEqualTo("valid");

        Api.Response first = Flows.consent(api, tenant, c, "delete", "pcd_data_retention", 0);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.text("op_type")).isEqualTo("delete");
        assertThat(first.text("code")).isEqualTo("credentials_deleted");
        assertThat(first.text("message")).isEqualTo("Consent deleted");
        JsonNode result = first.json().get("result");
        assertThat(fieldNames(result).subList(0, 2)).containsExactly("client_id", "credentials_id");
        assertThat(result.get("status").asString()).isEqualTo("DELETED");
        assertThat(result.get("pcd_data_retention").asInt()).isZero();
        assertThat(bankStatus(bankConsentId)).isEqualTo("terminatedByTpp");

        Api.Response second = Flows.consent(api, tenant, c, "delete");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("result")).isEqualTo(result);
        assertThat(Flows.consent(api, tenant, c, "get").json().get("result").get("status").asString()).isEqualTo("DELETED");
    }

    @Test
    void pcdDataRetentionMustBeMinutesFromZero() {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "pcd", "bogdan");
        for (Object bad : new Object[]{-1, "10", 1.5, true}) {
            assertError(Flows.consent(api, tenant, c, "delete", "pcd_data_retention", bad), 400, "invalid_request",
                    "invalid_pcd_data_retention", "pcd_data_retention");
        }
        assertThat(Flows.consent(api, tenant, c, "get").json().get("result").get("status").asString()).isEqualTo("ACTIVE");
        Api.Response ok = Flows.consent(api, tenant, c, "delete", "pcd_data_retention", 60);
        Instant deleted = Instant.parse(ok.json().get("result").get("utc_last_update").asString());
        assertThat(Instant.parse(ok.json().get("result").get("max_data_retention").asString())).isEqualTo(deleted.plus(Duration.ofMinutes(60)));
    }

    @Test
    void consentPastItsExpiryShowsExpired() {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "expiring", "alice");
        TestClock.INSTANCE.advance(Duration.ofMinutes(1441));
        assertThat(Flows.consent(api, tenant, c, "get").json().get("result").get("status").asString()).isEqualTo("EXPIRED");
        assertThat(Flows.consent(api, tenant, c, "delete").json().get("result").get("status").asString()).isEqualTo("EXPIRED");
    }

    static String sessionStatus(String id) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("select status from session where id = '" + id + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static int consentsOfSession(String id) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("select count(*) from consent where session_id = '" + id + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static String bankConsentId(String credentialsId) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select bank_consent from consent where id = '" + credentialsId + "'")) {
            rs.next();
            return server.bean(org.openfinq.server.crypto.DataCipher.class).decryptString(rs.getBytes(1), "consent:" + credentialsId);
        }
    }

    static String bankStatus(String bankConsentId) {
        String sandbox = server.bean(org.openfinq.server.bank.BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString();
        return new Api(sandbox).send("GET", "/v1/consents/" + bankConsentId + "/status",
                Map.of("X-Request-ID", UUID.randomUUID().toString()), null).text("consentStatus");
    }
}
