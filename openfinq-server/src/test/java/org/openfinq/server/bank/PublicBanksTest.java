package org.openfinq.server.bank;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.testcerts.TestCertificates;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * The built-in public banks (Sparkassen, Volksbanken, Consorsbank) are in the catalog, and a session for one of them
 * is refused with {@code invalid_skill_name} naming the missing QWAC until the operator configures it in the bank's
 * profile; then the same session starts.
 */
class PublicBanksTest {

    static final List<String> PUBLIC_SKILLS = List.of("consorsbank_de_aisp_sbx_#1.0", "consorsbank_de_pisp_sbx_#1.0",
            "sparkasse_de_aisp_sbx_#1.0", "sparkasse_de_pisp_sbx_#1.0", "volksbank_de_aisp_sbx_#1.0",
            "volksbank_de_pisp_sbx_#1.0");

    static TestDatabase db;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        dir = Files.createTempDirectory("openfinq-public-banks");
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static Api.Response session(Api api, Tenants.Creds t, String skill) {
        return api.post("/v1/sessions", Api.object("tenant_user_id", "u-1", "client_id", t.clientId(),
                "client_app_key", t.clientAppKey(), "skill", skill));
    }

    @Test
    void publicBanksAreListedAndRefusedUntilTheirQwacIsConfigured() {
        try (TestServer server = TestServer.start(db)) {
            Api api = server.api();
            Tenants.Creds t = Tenants.create(api, "public-banks", PUBLIC_SKILLS.toArray(String[]::new));
            Api.Response listed = api.post("/v1/catalogs/skills/get", Api.object("client_id", t.clientId(),
                    "client_app_key", t.clientAppKey(), "filter", Api.object("country", "DE")));
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            listed.json().forEach(s -> ids.add(s.get("id").asString()));
            assertThat(ids).containsExactlyInAnyOrderElementsOf(PUBLIC_SKILLS);
            listed.json().forEach(s -> assertThat(s.get("environment").asString()).isEqualTo("sandbox"));

            JsonNode e = assertError(session(api, t, "sparkasse_de_aisp_sbx_#1.0"), 400, "invalid_request", "invalid_skill_name",
                    "Skill 'sparkasse_de_aisp_sbx_#1.0' cannot be used: Sparkassen (Finanz Informatik) XS2A sandbox is not available");
            assertThat(e.get("message").asString()).contains("bank profile 'sparkasse-sandbox' needs a QWAC for mutual TLS",
                    "docs/going-live.md");
            assertError(session(api, t, "volksbank_de_pisp_sbx_#1.0"), 400, "invalid_request", "invalid_skill_name",
                    "bank profile 'fiducia-sandbox' needs a QWAC");
            assertError(session(api, t, "consorsbank_de_aisp_sbx_#1.0"), 400, "invalid_request", "invalid_skill_name",
                    "bank profile 'consorsbank-sandbox' needs a QWAC");
        }
    }

    @Test
    void aConfiguredQwacMakesTheBankUsable() throws Exception {
        TestCertificates certs = new TestCertificates(dir).client("tpp-qwac");
        Path profile = dir.resolve("sparkasse.json");
        Files.writeString(profile, """
                {"id": "sparkasse-sandbox", "name": "Sparkassen (Finanz Informatik) XS2A sandbox", "protocol": "berlingroup",
                 "base_url": "https://127.0.0.1:1/fixs2a-env/xs2a-api/12345678", "requires": ["qwac"],
                 "tls": {"certificate_file": "%s", "password_file": "%s"}}
                """.formatted(certs.keystore("tpp-qwac"), certs.passwordFile()));
        try (TestServer server = TestServer.start(db, Map.of("openfinq.bank-profile-files", profile.toString()))) {
            Api api = server.api();
            Tenants.Creds t = Tenants.create(api, "public-banks-live", "sparkasse_de_aisp_sbx_#1.0", "volksbank_de_aisp_sbx_#1.0");
            Api.Response ok = session(api, t, "sparkasse_de_aisp_sbx_#1.0");
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(ok.json().get("session_id").asString()).isNotBlank();
            assertError(session(api, t, "volksbank_de_aisp_sbx_#1.0"), 400, "invalid_request", "invalid_skill_name",
                    "needs a QWAC");
        }
    }
}
