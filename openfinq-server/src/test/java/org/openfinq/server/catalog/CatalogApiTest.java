package org.openfinq.server.catalog;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogApiTest {

    static final String SANDBOX_BANK = "5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01";
    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds both;
    static Tenants.Creds aispOnly;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db);
        api = server.api();
        both = Tenants.create(api, "both", "sandbox_ro_aisp_sbx_#1.0", "sandbox_ro_pisp_sbx_#1.0");
        aispOnly = Tenants.create(api, "aisp-only", "sandbox_ro_aisp_sbx_#1.0");
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void listsTheSandboxSkillsWithEveryField() {
        Api.Response r = api.post("/v1/catalogs/skills/get", withAppKey(both, Map.of("country", "RO")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        assertThat(ids(r.json())).containsExactly("sandbox_ro_aisp_sbx_#1.0", "sandbox_ro_loan_sbx_#1.0", "sandbox_ro_pisp_sbx_#1.0");
        JsonNode aisp = r.json().get(0);
        assertThat(aisp.get("type").asString()).isEqualTo("aisp");
        assertThat(aisp.get("environment").asString()).isEqualTo("sandbox");
        assertThat(aisp.get("servicer_id").asString()).isEqualTo(SANDBOX_BANK);
        assertThat(aisp.get("servicer_name").asString()).isEqualTo("openfinq Sandbox Bank");
        assertThat(aisp.get("country").asString()).isEqualTo("Romania");
        assertThat(aisp.get("country_code").asString()).isEqualTo("RO");
        assertThat(aisp.get("steps").get(0).get("name").asString()).isEqualTo("sca");
        assertThat(aisp.get("steps").get(0).get("order").asInt()).isEqualTo(1);
        assertThat(aisp.get("subscribed").asBoolean()).isTrue();
        assertThat(aisp.get("consent_duration").asInt()).isEqualTo(129600);
        assertThat(aisp.get("cache_max_data_retention").asInt()).isEqualTo(172800);
        JsonNode loan = r.json().get(1);
        assertThat(loan.get("type").asString()).isEqualTo("marketplace");
        assertThat(loan.get("steps").findValuesAsString("name")).containsExactly("product_form", "applicant", "documents");
        JsonNode pisp = r.json().get(2);
        assertThat(pisp.get("type").asString()).isEqualTo("pisp");
        assertThat(pisp.get("steps").get(0).get("name").asString()).isEqualTo("payment_intent");
    }

    @Test
    void clientSecretWorksLikeTheAppKey() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", both.clientId());
        body.put("client_secret", both.clientSecret());
        body.put("filter", Map.of("country", "RO"));
        Api.Response r = api.post("/v1/catalogs/skills/get", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(3);
    }

    @Test
    void unsubscribedSkillsShowWithoutSettings() {
        Api.Response r = api.post("/v1/catalogs/skills/get", withAppKey(aispOnly, Map.of("country", "RO")));
        JsonNode pisp = r.json().get(2);
        assertThat(pisp.get("id").asString()).isEqualTo("sandbox_ro_pisp_sbx_#1.0");
        assertThat(pisp.get("subscribed").asBoolean()).isFalse();
        assertThat(pisp.get("consent_duration").isNull()).isTrue();
        assertThat(pisp.get("cache_max_data_retention").isNull()).isTrue();
    }

    @Test
    void filtersNarrowTheList() {
        assertThat(ids(skills(aispOnly, Map.of("type", "pisp", "country", "RO")))).containsExactly("sandbox_ro_pisp_sbx_#1.0");
        assertThat(ids(skills(aispOnly, Map.of("subscribed", true)))).containsExactly("sandbox_ro_aisp_sbx_#1.0");
        assertThat(ids(skills(aispOnly, Map.of("subscribed", false, "country", "RO")))).containsExactly("sandbox_ro_loan_sbx_#1.0", "sandbox_ro_pisp_sbx_#1.0");
        assertThat(ids(skills(aispOnly, Map.of("country", "ro")))).hasSize(3);
        assertThat(ids(skills(aispOnly, Map.of("country", "Romania")))).hasSize(3);
        assertThat(ids(skills(aispOnly, Map.of("type", "marketplace")))).containsExactly("sandbox_ro_loan_sbx_#1.0");
        assertThat(ids(skills(aispOnly, Map.of("country", "DE")))).hasSize(6).allMatch(id -> id.contains("_de_"));
        assertThat(ids(skills(aispOnly, Map.of("country", "Croatia")))).isEmpty();
        assertThat(ids(skills(aispOnly, Map.of("environment", "production")))).isEmpty();
        assertThat(ids(skills(aispOnly, Map.of("servicer_id", SANDBOX_BANK, "type", "aisp"))))
                .containsExactly("sandbox_ro_aisp_sbx_#1.0");
    }

    @Test
    void listsServicers() {
        Api.Response r = api.post("/v1/catalogs/servicers/get", withAppKey(both, Map.of("country", "RO")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(1);
        assertThat(api.post("/v1/catalogs/servicers/get", withAppKey(both, null)).json().size())
                .as("the sandbox bank and the three public German banks").isEqualTo(4);
        JsonNode bank = r.json().get(0);
        assertThat(bank.get("id").asString()).isEqualTo(SANDBOX_BANK);
        assertThat(bank.get("name").asString()).isEqualTo("openfinq Sandbox Bank");
        assertThat(bank.get("country").asString()).isEqualTo("Romania");
        assertThat(bank.get("country_code").asString()).isEqualTo("RO");
        assertThat(api.post("/v1/catalogs/servicers/get", withAppKey(both, Map.of("country", "RO"))).json().size()).isEqualTo(1);
        assertThat(api.post("/v1/catalogs/servicers/get", withAppKey(both, Map.of("country", "Croatia"))).json().size()).isZero();
    }

    @Test
    void operatorCatalogFilesExtendTheBuiltInOne() throws IOException {
        Path file = Files.createTempFile("catalog", ".json");
        Files.writeString(file, """
                {"servicers": [{"id": "0f0e0d0c-0b0a-4909-8807-060504030201", "name": "Example Bank",
                                "country": "Croatia", "country_code": "HR", "bank_profile": "fiducia-sandbox"}],
                 "skills": [{"id": "example_hr_aisp_prod_#1.0", "name": "Example Bank AIS", "type": "aisp",
                             "environment": "production", "servicer_id": "0f0e0d0c-0b0a-4909-8807-060504030201",
                             "steps": [{"name": "sca", "order": 1}]}]}
                """);
        try (TestServer other = TestServer.start(db, Map.of("openfinq.catalog-files", file.toString()))) {
            Api.Response r = other.api().post("/v1/catalogs/skills/get", withAppKey(both, Map.of("country", "HR")));
            assertThat(ids(r.json())).containsExactly("example_hr_aisp_prod_#1.0");
            assertThat(r.json().get(0).get("servicer_name").asString()).isEqualTo("Example Bank");
            assertThat(other.api().post("/v1/catalogs/skills/get", withAppKey(both, null)).json().size())
                    .as("3 sandbox bank skills, 6 of the public German banks, 1 from the file").isEqualTo(10);
        } finally {
            Files.delete(file);
        }
    }

    private static JsonNode skills(Tenants.Creds t, Map<String, Object> filter) {
        Api.Response r = api.post("/v1/catalogs/skills/get", withAppKey(t, filter));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static Map<String, Object> withAppKey(Tenants.Creds t, Map<String, Object> filter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", t.clientId());
        body.put("client_app_key", t.clientAppKey());
        if (filter != null) {
            body.put("filter", filter);
        }
        return body;
    }

    static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.get("id").asString()));
        return ids;
    }
}
