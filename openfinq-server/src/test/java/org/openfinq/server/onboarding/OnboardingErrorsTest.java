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

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** Every way to get onboarding wrong: the documented error each time, and nothing changes. */
class OnboardingErrorsTest {

    static final Map<String, Object> FORM = Map.of("value", "10000", "currency", "RON", "period", "12");
    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static Tenants.Creds other;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of(), TestClock.Config.class);
        api = server.api();
        tenant = Tenants.create(api, "errors", Flows.AIS, Flows.LOAN);
        other = Tenants.create(api, "other", Flows.AIS, Flows.LOAN);
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
    void createSessionChecksKeysSkillAndSubscription() {
        assertError(api.post("/v1/sessions", Api.object("tenant_user_id", "u", "client_id", tenant.clientId(),
                "client_app_key", "wrong", "skill", Flows.AIS)), 401, "unauthorized", "invalid_client_app_key", "client_app_key");
        assertError(api.post("/v1/sessions", Api.object("tenant_user_id", "u", "client_id", tenant.clientId(),
                "client_app_key", tenant.clientSecret(), "skill", Flows.AIS)), 401, "unauthorized", "invalid_client_app_key", "client_app_key");
        assertError(api.post("/v1/sessions", Api.object("tenant_user_id", "u", "client_id", tenant.clientId(),
                "client_app_key", tenant.clientAppKey(), "skill", "nope_ro_aisp_sbx_#1.0")), 400, "invalid_request", "invalid_skill_name", "nope");
        assertError(api.post("/v1/sessions", Api.object("tenant_user_id", "u", "client_id", tenant.clientId(),
                "client_app_key", tenant.clientAppKey(), "skill", Flows.PIS)), 401, "unauthorized", "unauthorized_tenant", "not subscribed");
        assertError(api.post("/v1/sessions", Api.object("client_id", tenant.clientId(), "client_app_key", tenant.clientAppKey(),
                "skill", Flows.AIS)), 400, "invalid_request", "missing_fields", "tenant_user_id");
    }

    @Test
    void aReusedNonceIsRefusedAndTheNextOneStillWorks() {
        Flows.Session s = Flows.session(api, tenant, Flows.LOAN, "u1");
        Api.Response first = Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "product_form", FORM);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "applicant", applicant()),
                401, "unauthorized", "invalid_api_keys", "already used");
        assertThat(Flows.step(api, tenant, s.id(), first.text("nonce"), Flows.LOAN, "applicant", applicant()).status()).isEqualTo(200);
    }

    @Test
    void anExpiredNonceIsRefused() {
        Flows.Session s = Flows.session(api, tenant, Flows.LOAN, "u2");
        TestClock.INSTANCE.advance(Duration.ofMinutes(31));
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "product_form", FORM),
                401, "unauthorized", "invalid_api_keys", "expired");
    }

    @Test
    void aNonceOfAnotherSessionIsRefusedAndStaysUsable() {
        Flows.Session a = Flows.session(api, tenant, Flows.LOAN, "u3");
        Flows.Session b = Flows.session(api, tenant, Flows.LOAN, "u3");
        assertError(Flows.step(api, tenant, a.id(), b.nonce(), Flows.LOAN, "product_form", FORM),
                401, "unauthorized", "invalid_api_keys", "not one of this session's");
        assertThat(Flows.step(api, tenant, b.id(), b.nonce(), Flows.LOAN, "product_form", FORM).status()).isEqualTo(200);
    }

    @Test
    void stepsComeInOrderAndAFailedStepChangesNothing() {
        Flows.Session s = Flows.session(api, tenant, Flows.LOAN, "u4");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "applicant", applicant()),
                400, "invalid_request", "invalid_step", "step 1 comes first");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "documents", Map.of("document_type", "payslip")),
                400, "invalid_request", "invalid_step", "step 1 comes first");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "sca", Map.of()),
                400, "invalid_request", "invalid_step", "has no step 'sca'");
        Api.Response ok = Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "product_form", FORM);
        assertThat(ok.status()).isEqualTo(200);
        assertError(Flows.step(api, tenant, s.id(), ok.text("nonce"), Flows.LOAN, "product_form", FORM),
                400, "invalid_request", "invalid_step", "already done");
    }

    @Test
    void theWrongSkillIsRefused() {
        Flows.Session s = Flows.session(api, tenant, Flows.LOAN, "u5");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "product_form", FORM),
                400, "invalid_request", "invalid_skill_name", "This session is for " + Flows.LOAN);
        assertThat(Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "product_form", FORM).status()).isEqualTo(200);
    }

    @Test
    void sessionIdsAndClientIdsAreChecked() {
        Flows.Session s = Flows.session(api, tenant, Flows.LOAN, "u6");
        assertError(Flows.step(api, tenant, "not-a-session", s.nonce(), Flows.LOAN, "product_form", FORM),
                400, "invalid_request", "invalid_session_id", "not a UUID");
        assertError(Flows.step(api, tenant, UUID.randomUUID().toString(), s.nonce(), Flows.LOAN, "product_form", FORM),
                404, "invalid_request", "invalid_session_id", "No session");
        assertError(Flows.step(api, other, s.id(), s.nonce(), Flows.LOAN, "product_form", FORM),
                401, "unauthorized", "invalid_client_id", "another tenant");
        assertThat(Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "product_form", FORM).status()).isEqualTo(200);
    }

    @Test
    void stepDataIsCheckedAgainstTheStepsSchema() {
        Flows.Session s = Flows.session(api, tenant, Flows.LOAN, "u7");
        assertError(step(s, Map.of("value", "abc", "currency", "RON", "period", 12)), 400, "invalid_request", "invalid_field", "data.value");
        assertError(step(s, Map.of("value", "100.123", "currency", "RON", "period", 12)), 400, "invalid_request", "invalid_field", "two decimals");
        assertError(step(s, Map.of("value", "-5", "currency", "RON", "period", 12)), 400, "invalid_request", "invalid_field", "data.value");
        assertError(step(s, Map.of("value", "10000", "currency", "USD", "period", 12)), 400, "invalid_request", "invalid_field", "data.currency");
        assertError(step(s, Map.of("value", "10000", "currency", "RON", "period", 0)), 400, "invalid_request", "invalid_field", "data.period");
        assertError(step(s, Map.of("value", "10000", "currency", "RON")), 400, "invalid_request", "invalid_field", "'data.period': is required");
        assertError(step(s, Map.of("value", "10000", "currency", "RON", "period", 12, "colour", "red")),
                400, "invalid_request", "invalid_field", "data.colour");
        Map<String, Object> body = Map.of("client_id", tenant.clientId(), "nonce", s.nonce(), "skill", Flows.LOAN, "step", "product_form", "data", "x");
        assertError(api.post("/v1/sessions/" + s.id() + "/steps", body), 400, "invalid_request", "invalid_field", "'data'");
        assertThat(step(s, FORM).status()).isEqualTo(200);
    }

    @Test
    void scaDataIsChecked() {
        Flows.Session s = Flows.session(api, tenant, Flows.AIS, "u8");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of()), 400, "invalid_request", "invalid_field",
                "'data.psu_redirect_link': is required");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "javascript:alert(1)")),
                400, "invalid_request", "invalid_field", "data.psu_redirect_link");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "/relative")),
                400, "invalid_request", "invalid_field", "data.psu_redirect_link");
        assertThat(Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://app.example/x")).status())
                .isEqualTo(200);
    }

    @Test
    void tempTokensAreSingleUseShortLivedAndTheTenantsOwn() {
        String used = Flows.aisTempToken(api, tenant, "t1", "alice");
        assertThat(Flows.exchange(api, tenant, used).status()).isEqualTo(200);
        assertError(Flows.exchange(api, tenant, used), 401, "unauthorized", "invalid_temp_token", "already exchanged");

        String foreign = Flows.aisTempToken(api, tenant, "t2", "alice");
        assertError(Flows.exchange(api, other, foreign), 401, "unauthorized", "invalid_temp_token", "Unknown temp_token");
        assertThat(Flows.exchange(api, tenant, foreign).status()).as("not used up by the other tenant's attempt").isEqualTo(200);

        String late = Flows.aisTempToken(api, tenant, "t3", "bogdan");
        TestClock.INSTANCE.advance(Duration.ofMinutes(11));
        assertError(Flows.exchange(api, tenant, late), 401, "unauthorized", "invalid_temp_token", "expired");
        assertError(Flows.exchange(api, tenant, "made-up"), 401, "unauthorized", "invalid_temp_token", "Unknown");
        assertError(api.post("/v1/tokens", Api.object("client_id", tenant.clientId(), "client_secret", "bad", "temp_token", late)),
                401, "unauthorized", "invalid_client_secret", "client_secret");
    }

    @Test
    void credentialsAreUsableOnlyWithTheirOwnAccessTokenAndTenant() {
        Flows.Credentials mine = Flows.aisCredentials(api, tenant, "c1", "alice");
        Flows.Credentials mine2 = Flows.aisCredentials(api, tenant, "c2", "bogdan");
        Flows.Credentials theirs = Flows.aisCredentials(api, other, "c3", "alice");
        assertError(Flows.consent(api, tenant, new Flows.Credentials(mine.credentialsId(), mine2.accessToken()), "get"),
                401, "unauthorized", "invalid_access_token", "access_token");
        assertError(Flows.consent(api, tenant, theirs, "get"), 401, "unauthorized", "invalid_credentials_id", "Unknown credentials_id");
        assertError(Flows.consent(api, tenant, new Flows.Credentials(theirs.credentialsId(), theirs.accessToken()), "delete"),
                401, "unauthorized", "invalid_credentials_id", "Unknown credentials_id");
        assertError(Flows.consent(api, tenant, new Flows.Credentials("nope", mine.accessToken()), "get"),
                401, "unauthorized", "invalid_credentials_id", "Unknown credentials_id");
        assertThat(Flows.consent(api, other, theirs, "get").json().get("result").get("status").asString())
                .as("the other tenant's consent is untouched").isEqualTo("ACTIVE");
        assertThat(Flows.consent(api, tenant, mine, "get").status()).isEqualTo(200);
    }

    private static Api.Response step(Flows.Session s, Map<String, ?> data) {
        return Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "product_form", data);
    }

    static Map<String, Object> applicant() {
        return Map.of("first_name", "Ana", "last_name", "Pop", "email", "ana.pop@example.ro", "birth_date", "1990-04-12");
    }
}
