package org.openfinq.server.tenant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.admin.AdminCli;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** Tenant settings: the admin API and CLI, the redirect allow-list on every psu_redirect_link, CORS. */
class TenantSettingsTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static Tenants.Creds open;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db);
        api = server.api();
        tenant = Tenants.create(api, "settings-app", Flows.AIS, Flows.PIS);
        open = Tenants.create(api, "no-settings-app", Flows.AIS);
        Api.Response r = api.admin("PATCH", "/admin/tenants/" + tenant.clientId(), Map.of(
                "redirect_urls", List.of("https://app.example/done", "https://app.example/pay/*"),
                "allowed_origins", List.of("https://spa.example")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void patchSetsChecksAndClears() {
        Tenants.Creds t = Tenants.create(api, "patch-app");
        String path = "/admin/tenants/" + t.clientId();
        Api.Response r = api.admin("PATCH", path, Map.of("display_name", "Acme Budget", "brand_color", "#0B7A3B",
                "logo_url", "data:image/png;base64,iVBORw0KGgo="));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("display_name")).isEqualTo("Acme Budget");
        assertThat(r.text("brand_color")).isEqualTo("#0b7a3b");
        assertThat(r.json().get("redirect_urls").size()).isZero();
        assertError(api.admin("PATCH", path, Map.of("brand_color", "green")), 400, "invalid_request", "invalid_field", "brand_color");
        assertError(api.admin("PATCH", path, Map.of("logo_url", "http://logo.example/a.png")), 400, "invalid_request", "invalid_field", "logo_url");
        assertError(api.admin("PATCH", path, Map.of("logo_url", "data:text/html;base64,PGI+")), 400, "invalid_request", "invalid_field", "logo_url");
        assertError(api.admin("PATCH", path, Map.of("logo_url", "data:image/png;base64," + "A".repeat(70_000))), 400,
                "invalid_request", "invalid_field", "65536");
        assertError(api.admin("PATCH", path, Map.of("redirect_urls", List.of("https://app.example*"))), 400,
                "invalid_request", "invalid_field", "prefix");
        assertError(api.admin("PATCH", path, Map.of("allowed_origins", List.of("https://spa.example/path"))), 400,
                "invalid_request", "invalid_field", "allowed_origins");
        assertError(api.admin("PATCH", path, Map.of("colour", "#000000")), 400, "invalid_request", "unknown_fields", "colour");
        assertError(api.admin("PATCH", "/admin/tenants/" + java.util.UUID.randomUUID(), Map.of("display_name", "x")), 404,
                "invalid_request", "not_found", "No tenant");
        // a refused change changed nothing; null clears
        Api.Response shown = api.admin("GET", path + "/settings", null);
        assertThat(shown.text("brand_color")).isEqualTo("#0b7a3b");
        Map<String, Object> clear = new HashMap<>();
        clear.put("brand_color", null);
        Api.Response cleared = api.admin("PATCH", path, clear);
        assertThat(cleared.json().get("brand_color").isNull() || !cleared.json().has("brand_color")).isTrue();
        assertThat(cleared.text("display_name")).isEqualTo("Acme Budget");
        assertThat(api.send("PATCH", path, Map.of("Content-Type", "application/json"), "{}").status()).isEqualTo(401);
        // the accepted changes are in the audit log, the refused ones are not
        Api.Response audit = api.admin("GET", "/admin/audit?client_id=" + t.clientId() + "&action=tenant.settings", null);
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        assertThat(audit.body()).contains("Acme Budget").contains("cleared").doesNotContain("green");
        assertThat(audit.body().split("tenant\\.settings", -1).length - 1).isEqualTo(2);
    }

    @Test
    void adminCliSetsSettings() {
        Tenants.Creds t = Tenants.create(api, "cli-app");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AdminCli.run(new String[]{"tenant", "set", t.clientId(), "--display-name", "Cli App",
                        "--redirect-urls", "https://cli.example/back, https://cli.example/app/*", "--allowed-origins", "https://cli.example"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new HashMap<>(TestServer.properties(db)));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode printed = Api.JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(printed.get("redirect_urls").size()).isEqualTo(2);
        Api.Response shown = api.admin("GET", "/admin/tenants/" + t.clientId() + "/settings", null);
        assertThat(shown.text("display_name")).isEqualTo("Cli App");
        assertThat(shown.json().get("allowed_origins").get(0).asString()).isEqualTo("https://cli.example");
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        int refused = AdminCli.run(new String[]{"tenant", "set", t.clientId(), "--brand-color", "red"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(bad, true, StandardCharsets.UTF_8),
                new HashMap<>(TestServer.properties(db)));
        assertThat(refused).isEqualTo(1);
        assertThat(bad.toString(StandardCharsets.UTF_8)).contains("invalid_field");
    }

    @Test
    void redirectUrlsRefuseOtherLinksOnScaAndPaymentIntent() {
        Flows.Session s = Flows.session(api, tenant, Flows.AIS, "u1");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://evil.example/x")),
                400, "invalid_request", "invalid_field", "redirect_urls");
        assertError(Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://app.example/done/x")),
                400, "invalid_request", "invalid_field", "redirect_urls");
        Api.Response ok = Flows.step(api, tenant, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://app.example/done?x=1"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);

        Flows.Session p = Flows.session(api, tenant, Flows.PIS, "u1");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("psu_redirect_link", "https://app.example/paying");
        data.put("payment_info", List.of(Map.of("debtor_account", Map.of("iban", "RO49AAAA1B31007593840000"),
                "credit_transfer_transaction_info", List.of(Map.of("end_to_end_id", "E1",
                        "instructed_amount", Map.of("amount", "1.00", "currency", "RON"), "creditor_name", "C",
                        "creditor_account", Map.of("iban", "RO66BACX0000001234567890"))))));
        assertError(Flows.step(api, tenant, p.id(), p.nonce(), Flows.PIS, "payment_intent", data), 400, "invalid_request",
                "invalid_field", "redirect_urls");
        // a tenant without redirect_urls takes any absolute URI, as before
        Flows.Session o = Flows.session(api, open, Flows.AIS, "u1");
        assertThat(Flows.step(api, open, o.id(), o.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://anything.example/x"))
                .status()).isEqualTo(200);
    }

    static Api.Response preflight(String path, String origin) {
        return api.send("OPTIONS", path, Map.of("Origin", origin, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type"), null);
    }

    static String acao(Api.Response r) {
        return r.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null);
    }

    @Test
    void corsOnlyForAllowedOriginsAndNeverOnClientSecretCalls() {
        Api.Response allowed = preflight("/v1/sessions", "https://spa.example");
        assertThat(allowed.status()).isEqualTo(204);
        assertThat(acao(allowed)).isEqualTo("https://spa.example");
        assertThat(allowed.raw().headers().firstValue("Access-Control-Allow-Headers").orElse("")).containsIgnoringCase("content-type");
        assertThat(acao(preflight("/v1/catalogs/skills/get", "https://spa.example"))).isEqualTo("https://spa.example");

        Api.Response otherOrigin = preflight("/v1/sessions", "https://evil.example");
        assertThat(acao(otherOrigin)).isNull();
        assertThat(otherOrigin.status()).isEqualTo(403);
        for (String secretPath : List.of("/v1/tokens", "/v1/consents/get", "/v1/accounts/get", "/v1/payments/get")) {
            Api.Response r = preflight(secretPath, "https://spa.example");
            assertThat(acao(r)).as(secretPath).isNull();
            assertThat(r.status()).as(secretPath).isEqualTo(403);
        }
        assertThat(acao(preflight("/admin/tenants", "https://spa.example"))).isNull();
        assertThat(preflight("/admin/tenants", "https://spa.example").status()).isEqualTo(405);
        assertThat(api.send("OPTIONS", "/v1/sessions", Map.of(), null).status()).isEqualTo(405);

        // the calls themselves
        String create = Api.JSON.writeValueAsString(Api.object("tenant_user_id", "u", "client_id", tenant.clientId(),
                "client_app_key", tenant.clientAppKey(), "skill", Flows.AIS));
        Api.Response fromSpa = api.send("POST", "/v1/sessions", Map.of("Origin", "https://spa.example", "Content-Type", "application/json"), create);
        assertThat(fromSpa.status()).isEqualTo(200);
        assertThat(acao(fromSpa)).isEqualTo("https://spa.example");
        Api.Response fromEvil = api.send("POST", "/v1/sessions", Map.of("Origin", "https://evil.example", "Content-Type", "application/json"), create);
        assertThat(acao(fromEvil)).isNull();
        // another tenant's call from this tenant's origin is not readable by that origin
        String openCreate = Api.JSON.writeValueAsString(Api.object("tenant_user_id", "u", "client_id", open.clientId(),
                "client_app_key", open.clientAppKey(), "skill", Flows.AIS));
        assertThat(acao(api.send("POST", "/v1/sessions", Map.of("Origin", "https://spa.example", "Content-Type", "application/json"), openCreate))).isNull();
        // a catalog call with the client_secret is never readable cross-origin; the token exchange neither
        String secretCatalog = Api.JSON.writeValueAsString(Api.object("client_id", tenant.clientId(), "client_secret", tenant.clientSecret()));
        assertThat(acao(api.send("POST", "/v1/catalogs/skills/get", Map.of("Origin", "https://spa.example", "Content-Type", "application/json"),
                secretCatalog))).isNull();
        String tokens = Api.JSON.writeValueAsString(Api.object("client_id", tenant.clientId(), "client_secret", tenant.clientSecret(),
                "temp_token", "x"));
        assertThat(acao(api.send("POST", "/v1/tokens", Map.of("Origin", "https://spa.example", "Content-Type", "application/json"), tokens))).isNull();
    }

    @Test
    void connectStartFromTheFrontEndTakesTheAppKeyAndCorsButNeverWithTheSecret() {
        assertThat(acao(preflight("/v1/connect/sessions", "https://spa.example"))).isEqualTo("https://spa.example");
        Api.Response evil = preflight("/v1/connect/sessions", "https://evil.example");
        assertThat(evil.status()).isEqualTo(403);
        assertThat(acao(evil)).isNull();
        Map<String, String> fromSpa = Map.of("Origin", "https://spa.example", "Content-Type", "application/json");
        String withKey = Api.JSON.writeValueAsString(Api.object("client_id", tenant.clientId(), "client_app_key",
                tenant.clientAppKey(), "tenant_user_id", "u", "psu_redirect_link", "https://app.example/done"));
        Api.Response started = api.send("POST", "/v1/connect/sessions", fromSpa, withKey);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.text("connect_url")).contains("/connect/s/");
        assertThat(acao(started)).isEqualTo("https://spa.example");
        assertThat(acao(api.send("POST", "/v1/connect/sessions", Map.of("Origin", "https://evil.example",
                "Content-Type", "application/json"), withKey))).isNull();
        String withSecret = Api.JSON.writeValueAsString(Api.object("client_id", tenant.clientId(), "client_secret",
                tenant.clientSecret(), "tenant_user_id", "u", "psu_redirect_link", "https://app.example/done"));
        Api.Response server = api.send("POST", "/v1/connect/sessions", fromSpa, withSecret);
        assertThat(server.status()).as(server.body()).isEqualTo(200);
        assertThat(acao(server)).isNull();
    }
}
