package org.openfinq.server.tenant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.Api.object;
import static org.openfinq.server.support.ApiAssertions.assertError;
import static org.openfinq.server.support.ApiAssertions.fieldNames;

/** The admin tenant API, checked through what tenants can then do on the public API. */
class TenantAdminApiTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db);
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void createShowsSecretsOnceAndThenNever() {
        Api.Response created = api.admin("POST", "/admin/tenants", object("name", "acme", "skills",
                new String[]{"sandbox_ro_aisp_sbx_#1.0"}));
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("client_id");
        String secret = created.text("client_secret");
        String appKey = created.text("client_app_key");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(appKey);
        assertThat(java.util.Base64.getUrlDecoder().decode(secret)).hasSize(32);
        assertThat(created.json().get("skills").get(0).get("skill").asString()).isEqualTo("sandbox_ro_aisp_sbx_#1.0");

        Api.Response shown = api.admin("GET", "/admin/tenants/" + id, null);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(fieldNames(shown.json())).containsExactlyInAnyOrder("client_id", "name", "created_at", "skills");
        assertThat(shown.body()).doesNotContain(secret).doesNotContain(appKey);
        Api.Response listed = api.admin("GET", "/admin/tenants", null);
        assertThat(listed.body()).contains(id).doesNotContain(secret).doesNotContain(appKey);

        assertThat(catalog(id, "client_app_key", appKey).status()).isEqualTo(200);
        assertThat(catalog(id, "client_secret", secret).status()).isEqualTo(200);
    }

    @Test
    void rotatingTheSecretRefusesTheOldOneAtOnce() {
        Tenants.Creds t = Tenants.create(api, "rotate-secret");
        Api.Response rotated = api.admin("POST", "/admin/tenants/" + t.clientId() + "/rotate-secret", null);
        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.text("client_secret");
        assertThat(rotated.json().has("client_app_key")).isFalse();
        assertThat(newSecret).isNotEqualTo(t.clientSecret());
        assertError(catalog(t.clientId(), "client_secret", t.clientSecret()), 401, "unauthorized", "invalid_client_secret", "client_secret");
        assertThat(catalog(t.clientId(), "client_secret", newSecret).status()).isEqualTo(200);
        assertThat(catalog(t.clientId(), "client_app_key", t.clientAppKey()).status()).as("app key untouched").isEqualTo(200);
    }

    @Test
    void rotatingTheAppKeyRefusesTheOldOneAtOnce() {
        Tenants.Creds t = Tenants.create(api, "rotate-app-key");
        Api.Response rotated = api.admin("POST", "/admin/tenants/" + t.clientId() + "/rotate-app-key", null);
        assertThat(rotated.status()).isEqualTo(200);
        String newKey = rotated.text("client_app_key");
        assertThat(rotated.json().has("client_secret")).isFalse();
        assertError(catalog(t.clientId(), "client_app_key", t.clientAppKey()), 401, "unauthorized", "invalid_client_app_key", "client_app_key");
        assertThat(catalog(t.clientId(), "client_app_key", newKey).status()).isEqualTo(200);
        assertThat(catalog(t.clientId(), "client_secret", t.clientSecret()).status()).as("secret untouched").isEqualTo(200);
    }

    @Test
    void subscribeChangeAndUnsubscribe() {
        Tenants.Creds t = Tenants.create(api, "subs");
        String path = "/admin/tenants/" + t.clientId() + "/skills/sandbox_ro_pisp_sbx_%231.0";
        Api.Response sub = api.admin("PUT", path, object("consent_duration", 1440, "cache_max_data_retention", 2880));
        assertThat(sub.status()).as(sub.body()).isEqualTo(200);
        JsonNode pisp = skill(t, "sandbox_ro_pisp_sbx_#1.0");
        assertThat(pisp.get("subscribed").asBoolean()).isTrue();
        assertThat(pisp.get("consent_duration").asInt()).isEqualTo(1440);
        assertThat(pisp.get("cache_max_data_retention").asInt()).isEqualTo(2880);

        assertThat(api.admin("PUT", path, "{}").status()).isEqualTo(200);
        assertThat(skill(t, "sandbox_ro_pisp_sbx_#1.0").get("consent_duration").asInt()).as("defaults again").isEqualTo(129600);

        assertThat(api.admin("DELETE", path, null).status()).isEqualTo(200);
        assertThat(skill(t, "sandbox_ro_pisp_sbx_#1.0").get("subscribed").asBoolean()).isFalse();
    }

    @Test
    void deletedTenantIsGone() {
        Tenants.Creds t = Tenants.create(api, "to-delete", "sandbox_ro_aisp_sbx_#1.0");
        assertThat(api.admin("DELETE", "/admin/tenants/" + t.clientId(), null).status()).isEqualTo(204);
        assertError(catalog(t.clientId(), "client_secret", t.clientSecret()), 401, "unauthorized", "invalid_client_id", "client_id");
        assertError(api.admin("GET", "/admin/tenants/" + t.clientId(), null), 404, "invalid_request", "not_found", "No tenant");
        assertError(api.admin("DELETE", "/admin/tenants/" + t.clientId(), null), 404, "invalid_request", "not_found", "No tenant");
    }

    private static JsonNode skill(Tenants.Creds t, String id) {
        Api.Response r = catalog(t.clientId(), "client_app_key", t.clientAppKey());
        for (JsonNode s : r.json()) {
            if (s.get("id").asString().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no skill " + id + " in " + r.body());
    }

    static Api.Response catalog(String clientId, String keyField, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        body.put(keyField, key);
        return api.post("/v1/catalogs/skills/get", body);
    }
}
