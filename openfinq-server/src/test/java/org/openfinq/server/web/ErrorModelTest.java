package org.openfinq.server.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.testing.TestOnlyController;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.Api.object;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** Every error of the foundation endpoints, sent over HTTP, checked as a whole error object. */
@ExtendWith(OutputCaptureExtension.class)
class ErrorModelTest {

    static final String SKILLS = "/v1/catalogs/skills/get";
    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.max-body-bytes", "4096"), TestOnlyController.class);
        api = server.api();
        tenant = Tenants.create(api, "errors", "sandbox_ro_aisp_sbx_#1.0");
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void malformedJsonIsInvalidBody() {
        assertError(api.post(SKILLS, "{\"client_id\": "), 400, "invalid_request", "invalid_body", "not valid JSON");
        assertError(api.post(SKILLS, "{\"a\":1}{"), 400, "invalid_request", "invalid_body", "not valid JSON");
    }

    @Test
    void emptyOrNonObjectBodyIsInvalidBody() {
        assertError(api.post(SKILLS, ""), 400, "invalid_request", "invalid_body", "empty");
        assertError(api.post(SKILLS, "[1,2]"), 400, "invalid_request", "invalid_body", "JSON object");
        assertError(api.post(SKILLS, "\"text\""), 400, "invalid_request", "invalid_body", "JSON object");
    }

    @Test
    void missingFieldsAreNamed() {
        JsonNode e = assertError(api.post(SKILLS, object("client_app_key", tenant.clientAppKey())),
                400, "invalid_request", "missing_fields", "client_id");
        assertThat(e.get("message").asString()).doesNotContain("client_app_key");
        assertError(api.post(SKILLS, object("client_id", tenant.clientId())),
                400, "invalid_request", "missing_fields", "client_app_key or client_secret");
        assertError(api.post(SKILLS, object("client_id", null, "client_app_key", tenant.clientAppKey())),
                400, "invalid_request", "missing_fields", "client_id");
    }

    @Test
    void unknownFieldsAreNamed() {
        JsonNode e = assertError(api.post(SKILLS, object("client_id", tenant.clientId(), "client_app_key",
                tenant.clientAppKey(), "clientsecret", "x", "page", 2)), 400, "invalid_request", "unknown_fields", "clientsecret");
        assertThat(e.get("message").asString()).contains("page");
    }

    @Test
    void wrongTypesAndValuesAreInvalidField() {
        assertError(api.post(SKILLS, object("client_id", 42, "client_app_key", tenant.clientAppKey())),
                400, "invalid_request", "invalid_field", "'client_id'");
        assertError(api.post(SKILLS, object("client_id", "", "client_app_key", tenant.clientAppKey())),
                400, "invalid_request", "invalid_field", "'client_id': must not be empty");
        assertError(api.post(SKILLS, creds("filter", "aisp")), 400, "invalid_request", "invalid_field", "'filter'");
        assertError(api.post(SKILLS, creds("filter", Map.of("bank", "x"))),
                400, "invalid_request", "invalid_field", "filter.bank");
        assertError(api.post(SKILLS, creds("filter", Map.of("type", "loans"))),
                400, "invalid_request", "invalid_field", "filter.type");
        assertError(api.post(SKILLS, creds("filter", Map.of("subscribed", "yes"))),
                400, "invalid_request", "invalid_field", "filter.subscribed");
        assertError(api.post(SKILLS, creds("filter", Map.of("servicer_id", "bank-1"))),
                400, "invalid_request", "invalid_field", "filter.servicer_id");
        assertError(api.post(SKILLS, creds("client_secret", "also")),
                400, "invalid_request", "invalid_field", "not both");
    }

    @Test
    void aWrongContentTypeIsInvalidHeadersAndNoneIsReadAsJson() {
        String body = Api.JSON.writeValueAsString(creds());
        assertThat(api.send("POST", SKILLS, Map.of(), body).status()).isEqualTo(200);
        assertError(api.send("POST", SKILLS, Map.of(), "client_id=x"), 400, "invalid_request", "invalid_body", "not valid JSON");
        assertError(api.send("POST", SKILLS, Map.of("Content-Type", "application/x-www-form-urlencoded"), body),
                400, "invalid_request", "invalid_headers", "application/x-www-form-urlencoded");
        assertError(api.send("POST", SKILLS, Map.of("Content-Type", "text/plain"), body),
                400, "invalid_request", "invalid_headers", "text/plain");
        assertError(api.send("POST", SKILLS, Map.of("Content-Type", "application/json; charset=ISO-8859-1"), body),
                400, "invalid_request", "invalid_headers", "Content-Type");
        assertThat(api.send("POST", SKILLS, Map.of("Content-Type", "application/json; charset=utf-8"), body).status())
                .isEqualTo(200);
    }

    @Test
    void unknownRouteAndWrongMethodAreNotFound() {
        assertError(api.post("/v1/nothing/here", creds()), 404, "invalid_request", "not_found", "/v1/nothing/here");
        assertError(api.send("GET", SKILLS, Map.of(), null), 404, "invalid_request", "not_found", "POST");
        assertError(api.send("GET", "/no-such-page", Map.of(), null), 404, "invalid_request", "not_found", "/no-such-page");
        assertError(api.send("DELETE", "/v1/catalogs/servicers/get", Map.of(), null), 404, "invalid_request", "not_found", "DELETE");
    }

    @Test
    void badTenantCredentialsAreUnauthorized() {
        assertError(api.post(SKILLS, object("client_id", UUID.randomUUID().toString(), "client_app_key", tenant.clientAppKey())),
                401, "unauthorized", "invalid_client_id", "Unknown client_id");
        assertError(api.post(SKILLS, object("client_id", "not-a-uuid", "client_app_key", tenant.clientAppKey())),
                401, "unauthorized", "invalid_client_id", "Unknown client_id");
        assertError(api.post(SKILLS, object("client_id", tenant.clientId(), "client_app_key", tenant.clientSecret())),
                401, "unauthorized", "invalid_client_app_key", "client_app_key");
        assertError(api.post(SKILLS, object("client_id", tenant.clientId(), "client_secret", tenant.clientAppKey())),
                401, "unauthorized", "invalid_client_secret", "client_secret");
    }

    @Test
    void oversizedBodyIsRefusedCleanly() {
        String big = "{\"client_id\":\"" + "x".repeat(5000) + "\"}";
        assertError(api.post(SKILLS, big), 413, "invalid_request", "invalid_body", "4096 bytes");
        // the server still answers normally afterwards
        assertThat(api.post(SKILLS, creds()).status()).isEqualTo(200);
    }

    @Test
    void unexpectedFailureIsServerErrorWithLoggedId(CapturedOutput output) {
        Api.Response r = api.post("/v1/test-only/fail", "{}");
        JsonNode e = assertError(r, 500, "server_error", "internal_server_error", "error id");
        assertThat(r.body()).doesNotContain("boom").doesNotContain("IllegalStateException");
        String id = e.get("id").asString();
        assertThat(output.getOut() + output.getErr()).contains("error id " + id).contains("error_id=" + id);
    }

    @Test
    void adminApiErrors() {
        assertError(api.send("GET", "/admin/tenants", Map.of(), null), 401, "unauthorized", "invalid_api_keys", "Bearer");
        assertError(api.send("GET", "/admin/tenants", Map.of("Authorization", "Bearer wrong"), null),
                401, "unauthorized", "invalid_api_keys", "Bearer");
        assertError(api.admin("GET", "/admin/tenants/" + UUID.randomUUID(), null), 404, "invalid_request", "not_found", "No tenant");
        assertError(api.admin("GET", "/admin/tenants/nope", null), 404, "invalid_request", "not_found", "No tenant");
        assertError(api.admin("POST", "/admin/tenants", object("skills", new String[0])), 400, "invalid_request", "missing_fields", "name");
        assertError(api.admin("POST", "/admin/tenants", object("name", "x", "skills", new String[]{"nope_ro_aisp_sbx_#1.0"})),
                400, "invalid_request", "invalid_skill_name", "nope_ro_aisp_sbx_#1.0");
        assertError(api.admin("PUT", "/admin/tenants/" + tenant.clientId() + "/skills/sandbox_ro_aisp_sbx_%231.0",
                object("consent_duration", 0)), 400, "invalid_request", "invalid_field", "consent_duration");
        assertError(api.admin("PUT", "/admin/tenants/" + tenant.clientId() + "/skills/sandbox_ro_aisp_sbx_%231.0",
                object("cache_max_data_retention", "long")), 400, "invalid_request", "invalid_field", "cache_max_data_retention");
        assertError(api.admin("DELETE", "/admin/tenants/" + tenant.clientId() + "/skills/sandbox_ro_pisp_sbx_%231.0", null),
                404, "invalid_request", "not_found", "not subscribed");
    }

    @Test
    void aFailedAdminCreateWritesNothing() {
        int before = api.admin("GET", "/admin/tenants", null).json().size();
        assertError(api.admin("POST", "/admin/tenants", object("name", "half", "skills",
                new String[]{"sandbox_ro_aisp_sbx_#1.0", "nope_ro_aisp_sbx_#1.0"})), 400, "invalid_request", "invalid_skill_name", "nope");
        assertThat(api.admin("GET", "/admin/tenants", null).json().size()).isEqualTo(before);
    }

    private static Map<String, Object> creds(Object... more) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", tenant.clientId());
        m.put("client_app_key", tenant.clientAppKey());
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }
}
