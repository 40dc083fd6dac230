package org.openfinq.server.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.admin.AdminCli;
import org.openfinq.server.audit.AuditPurgeJob;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.testing.TestClock;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** Every admin action and consent deletion lands in the append-only audit log, without a secret; rotation grace periods. */
class AuditLogTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"), TestClock.Config.class);
        api = server.api();
    }

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    static String adminId() throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(TestServer.ADMIN_TOKEN.getBytes(StandardCharsets.UTF_8));
        return "admin:" + HexFormat.of().formatHex(sha).substring(0, 12);
    }

    static JsonNode audit(String query) {
        Api.Response r = api.admin("GET", "/admin/audit" + query, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<String> actions(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("action").asString()));
        return out;
    }

    static String allAuditText() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("select audit_event::text from audit_event")) {
            while (rs.next()) {
                all.append(rs.getString(1)).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void everyAdminActionAndConsentDeletionIsRecordedWithoutASecret() throws Exception {
        Tenants.Creds t = Tenants.create(api, "audited", Flows.AIS);
        String id = t.clientId();
        String base = "/admin/tenants/" + id;
        List<String> secrets = new ArrayList<>(List.of(t.clientSecret(), t.clientAppKey(), TestServer.ADMIN_TOKEN));
        assertThat(api.admin("PUT", base + "/skills/sandbox_ro_loan_sbx_%231.0", "{}").status()).isEqualTo(200);
        assertThat(api.admin("DELETE", base + "/skills/sandbox_ro_loan_sbx_%231.0", null).status()).isEqualTo(200);
        Api.Response rs = api.admin("POST", base + "/rotate-secret", Map.of("grace_seconds", 600));
        secrets.add(rs.text("client_secret"));
        Api.Response rk = api.admin("POST", base + "/rotate-app-key", null);
        secrets.add(rk.text("client_app_key"));
        String identity = "audit@p.iam.gserviceaccount.com";
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertThat(api.admin("POST", base + "/signers", Api.object("identity", identity)).status()).isEqualTo(201);
        assertThat(api.admin("POST", base + "/signers/" + identity + "/keys", Api.object("kid", "k1", "public_key", pem)).status()).isEqualTo(200);
        assertThat(api.admin("DELETE", base + "/signers/" + identity + "/keys/k1", null).status()).isEqualTo(200);
        assertThat(api.admin("DELETE", base + "/signers/" + identity, null).status()).isEqualTo(204);
        assertThat(api.admin("PUT", base + "/replay-guard", Map.of("enabled", true)).status()).isEqualTo(204);
        assertThat(api.admin("PUT", base + "/endpoint-binding", Map.of("enabled", false)).status()).isEqualTo(204);
        assertThat(api.admin("PUT", base + "/rate-limit", Map.of("requests_per_minute", 1200)).status()).isEqualTo(200);
        Tenants.Creds current = new Tenants.Creds(id, secrets.get(3), secrets.get(4));
        Flows.Credentials c = Flows.aisCredentials(api, current, "u1", "alice");
        secrets.add(c.accessToken());
        assertThat(Flows.consent(api, current, c, "delete").status()).isEqualTo(200);
        assertThat(api.admin("DELETE", base, null).status()).isEqualTo(204);

        JsonNode events = audit("?client_id=" + id);
        assertThat(actions(events).reversed()).containsExactly("tenant.create", "tenant.subscribe", "tenant.subscribe",
                "tenant.unsubscribe", "tenant.rotate_secret", "tenant.rotate_app_key", "signer.add", "signer.key_add",
                "signer.key_remove", "signer.remove", "tenant.replay_guard", "tenant.endpoint_binding", "tenant.rate_limit",
                "consent.delete", "tenant.delete");
        String admin = adminId();
        events.forEach(e -> {
            assertThat(e.get("address").asString()).isEqualTo("127.0.0.1");
            assertThat(e.get("client_id").asString()).isEqualTo(id);
            assertThat(e.get("at").asString()).endsWith("Z");
            String expectedActor = e.get("action").asString().equals("consent.delete") ? "client:" + id : admin;
            assertThat(e.get("actor").asString()).as(e.toString()).isEqualTo(expectedActor);
        });
        JsonNode deletion = events.get(1);
        assertThat(deletion.get("target").asString()).isEqualTo(c.credentialsId());
        assertThat(deletion.get("details").get("status").asString()).isEqualTo("DELETED");
        assertThat(events.get(10).get("details").get("grace_seconds").asInt()).isEqualTo(600);
        String stored = allAuditText();
        for (String secret : secrets) {
            assertThat(stored).doesNotContain(secret);
        }
        assertThat(stored).doesNotContain("BEGIN PUBLIC KEY");

        // filters and paging
        assertThat(actions(audit("?client_id=" + id + "&action=signer."))).containsExactly("signer.remove", "signer.key_remove",
                "signer.key_add", "signer.add");
        JsonNode page1 = audit("?client_id=" + id + "&limit=2");
        JsonNode page2 = audit("?client_id=" + id + "&limit=2&before=" + page1.get(1).get("id").asLong());
        assertThat(actions(page1)).containsExactly("tenant.delete", "consent.delete");
        assertThat(actions(page2)).containsExactly("tenant.rate_limit", "tenant.endpoint_binding");
        assertThat(audit("?client_id=" + id + "&actor=client%3A" + id)).hasSize(1);
        assertThat(audit("?client_id=" + id + "&since=" + Instant.now().plusSeconds(3600))).isEmpty();
        assertError(api.admin("GET", "/admin/audit?since=yesterday", null), 400, "invalid_request", "invalid_field", "since");
        assertError(api.admin("GET", "/admin/audit?limit=5000", null), 400, "invalid_request", "invalid_field", "limit");
        assertError(api.admin("GET", "/admin/audit?client_id=x", null), 400, "invalid_request", "invalid_field", "client_id");
        assertError(api.send("GET", "/admin/audit", Map.of(), null), 401, "unauthorized", "invalid_api_keys", "admin");
    }

    @Test
    void aRotationWithAGracePeriodKeepsTheOldValueUntilItEnds() {
        Tenants.Creds t = Tenants.create(api, "graceful");
        String base = "/admin/tenants/" + t.clientId();
        Api.Response r = api.admin("POST", base + "/rotate-secret", Map.of("grace_seconds", 3600));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String newSecret = r.text("client_secret");
        Instant until = Instant.parse(r.text("client_secret_grace_until"));
        assertThat(until).isBetween(Instant.now().plusSeconds(3590), Instant.now().plusSeconds(3610));
        assertThat(api.admin("GET", base, null).text("client_secret_grace_until")).isEqualTo(r.text("client_secret_grace_until"));
        assertThat(skills(t.clientId(), "client_secret", t.clientSecret()).status()).isEqualTo(200);
        assertThat(skills(t.clientId(), "client_secret", newSecret).status()).isEqualTo(200);
        TestClock.INSTANCE.advance(Duration.ofSeconds(3601));
        assertError(skills(t.clientId(), "client_secret", t.clientSecret()), 401, "unauthorized", "invalid_client_secret", "client_secret");
        assertThat(skills(t.clientId(), "client_secret", newSecret).status()).isEqualTo(200);

        // no body: today's behaviour, the old key is refused at once
        Api.Response k = api.admin("POST", base + "/rotate-app-key", null);
        assertThat(k.json().has("client_app_key_grace_until")).isFalse();
        assertError(skills(t.clientId(), "client_app_key", t.clientAppKey()), 401, "unauthorized", "invalid_client_app_key", "client_app_key");
        assertThat(skills(t.clientId(), "client_app_key", k.text("client_app_key")).status()).isEqualTo(200);
        // a second rotation with grace: only the value just replaced keeps working
        Api.Response k2 = api.admin("POST", base + "/rotate-app-key", Map.of("grace_seconds", 60));
        assertThat(skills(t.clientId(), "client_app_key", k.text("client_app_key")).status()).isEqualTo(200);
        assertThat(skills(t.clientId(), "client_app_key", t.clientAppKey()).status()).isEqualTo(401);
        assertThat(skills(t.clientId(), "client_app_key", k2.text("client_app_key")).status()).isEqualTo(200);

        assertError(api.admin("POST", base + "/rotate-secret", Map.of("grace_seconds", -1)), 400, "invalid_request", "invalid_field", "grace_seconds");
        assertError(api.admin("POST", base + "/rotate-secret", Map.of("grace_seconds", 31L * 86400)), 400, "invalid_request", "invalid_field", "grace_seconds");
        assertError(api.admin("POST", base + "/rotate-secret", Map.of("grace", 5)), 400, "invalid_request", "unknown_fields", "grace");
        assertThat(skills(t.clientId(), "client_secret", newSecret).status()).as("refused rotations change nothing").isEqualTo(200);

        // the CLI: --grace, and the audit log from the command line
        String[] out = cli("tenant", "rotate-secret", t.clientId(), "--grace", "PT2H");
        assertThat(out[0]).as(out[1]).isEqualTo("0");
        JsonNode rotated = Api.JSON.readTree(out[1]);
        assertThat(Instant.parse(rotated.get("client_secret_grace_until").asString())).isAfter(Instant.now().plusSeconds(7100));
        assertThat(skills(t.clientId(), "client_secret", newSecret).status()).isEqualTo(200);
        String[] rate = cli("tenant", "rate-limit", t.clientId(), "--requests-per-minute", "77");
        assertThat(rate[0]).as(rate[1]).isEqualTo("0");
        assertThat(Api.JSON.readTree(rate[1]).get("requests_per_minute").asInt()).isEqualTo(77);
        assertThat(api.admin("GET", base + "/rate-limit", null).json().get("requests_per_minute").asInt()).isEqualTo(77);
        String[] log = cli("audit", "--client-id", t.clientId(), "--action", "tenant.rotate_secret");
        assertThat(log[0]).as(log[1]).isEqualTo("0");
        JsonNode events = Api.JSON.readTree(log[1]);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("actor").asString()).startsWith("cli:");
        assertThat(events.get(0).get("details").get("grace_seconds").asInt()).isEqualTo(7200);
        assertThat(log[1]).doesNotContain(rotated.get("client_secret").asString());
    }

    @Test
    void theAuditTableIsAppendOnlyAndPurgedAfterItsRetention() throws Exception {
        Tenants.Creds old = Tenants.create(api, "old-event");
        TestClock.INSTANCE.advance(Duration.ofDays(401));
        Tenants.Creds recent = Tenants.create(api, "recent-event");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("update audit_event set actor = 'someone else'")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_event")).hasMessageContaining("append-only");
        }
        int purged = server.bean(AuditPurgeJob.class).run();
        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(audit("?client_id=" + old.clientId())).isEmpty();
        assertThat(actions(audit("?client_id=" + recent.clientId()))).containsExactly("tenant.create");
    }

    @Test
    void theNewAdminEndpointsAndThe429AreInTheServedOpenApi() {
        JsonNode doc = api.send("GET", "/openapi.json", Map.of(), null).json();
        JsonNode paths = doc.get("paths");
        JsonNode audit = paths.path("/admin/audit").path("get");
        List<String> params = new ArrayList<>();
        audit.path("parameters").forEach(p -> params.add(p.get("name").asString()));
        assertThat(params).contains("client_id", "action", "actor", "since", "until", "before", "limit");
        assertThat(audit.path("responses").path("200").path("content").path("application/json").path("schema").path("items")
                .path("$ref").asString()).endsWith("/AdminAuditEvent");
        assertThat(paths.path("/admin/tenants/{clientId}/rate-limit").has("put")).isTrue();
        assertThat(paths.path("/admin/tenants/{clientId}/rate-limit").has("get")).isTrue();
        assertThat(paths.path("/admin/tenants/{clientId}/endpoint-binding").has("put")).isTrue();
        assertThat(paths.path("/admin/tenants/{clientId}/rotate-secret").path("post").path("requestBody").toString()).contains("AdminRotateRequest");
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(schemas.path("AdminAuditEvent").path("properties").has("actor")).isTrue();
        assertThat(schemas.path("AdminTenant").path("properties").has("client_secret_grace_until")).isTrue();
        assertThat(schemas.path("AdminRateLimitRequest").path("properties").has("requests_per_minute")).isTrue();
        JsonNode tooMany = paths.path("/v1/consents/delete").path("post").path("responses").path("429");
        assertThat(tooMany.path("description").asString()).contains("too_many_requests");
        assertThat(tooMany.path("headers").has("Retry-After")).isTrue();
        assertThat(tooMany.path("headers").has("RateLimit-Remaining")).isTrue();
    }

    static Api.Response skills(String clientId, String keyField, String key) {
        return api.post("/v1/catalogs/skills/get", Map.of("client_id", clientId, keyField, key));
    }

    static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Object> props = new HashMap<>(TestServer.properties(db));
        int exit = AdminCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), props);
        return new String[]{Integer.toString(exit), out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)};
    }
}
