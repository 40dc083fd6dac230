package org.openfinq.server.admin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin CLI works on the database directly; a running server sees its changes at once. */
class AdminCliTest {

    static TestDatabase db;
    static TestServer server;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    record Result(int exit, String out, String err) {
        JsonNode json() {
            return Api.JSON.readTree(out);
        }
    }

    static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Object> props = new HashMap<>(TestServer.properties(db));
        int exit = AdminCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), props);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The CLI beside a running server, with its admin token, and a database it could not reach itself. */
    static Result remote(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Object> props = new HashMap<>(Map.of("openfinq.admin-url", server.baseUrl(),
                "openfinq.admin-token", TestServer.ADMIN_TOKEN, "openfinq.db.url", "jdbc:postgresql://127.0.0.1:9/unreachable"));
        int exit = AdminCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), props);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withTheAdminTokenCommandsGoToTheRunningServerAndPrintOnlyJson() {
        Result created = remote("tenant", "create", "--name", "remote-tenant", "--skill", "sandbox_ro_aisp_sbx_#1.0", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.json().get("client_id").asString();
        assertThat(skills(id, "client_app_key", created.json().get("client_app_key").asString()).status()).isEqualTo(200);

        Result list = remote("tenant", "list", "--json");
        assertThat(list.exit()).isZero();
        assertThat(list.json().isArray()).isTrue();
        assertThat(list.out()).contains(id).doesNotContain(created.json().get("client_secret").asString());

        Result sub = remote("tenant", "subscribe", id, "sandbox_ro_pisp_sbx_#1.0", "--consent-duration", "60", "--json");
        assertThat(sub.exit()).as(sub.err()).isZero();
        assertThat(sub.json().get("skills").get(1).get("consent_duration").asInt()).isEqualTo(60);

        Result unknown = remote("tenant", "show", "00000000-0000-4000-8000-000000000000", "--json");
        assertThat(unknown.exit()).isEqualTo(AdminCli.EXIT_REFUSED);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("not_found");

        Result deleted = remote("tenant", "delete", id, "--json");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.json().get("deleted").asString()).isEqualTo(id);
        assertThat(server.api().admin("GET", "/admin/tenants/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void tenantLifecycleFromTheCommandLine() {
        Result created = cli("tenant", "create", "--name", "cli-tenant", "--skill", "sandbox_ro_aisp_sbx_#1.0");
        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.json().get("client_id").asString();
        String secret = created.json().get("client_secret").asString();
        String appKey = created.json().get("client_app_key").asString();
        assertThat(skills(id, "client_app_key", appKey).status()).isEqualTo(200);

        Result list = cli("tenant", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains(id).contains("cli-tenant").doesNotContain(secret).doesNotContain(appKey);

        Result rotated = cli("tenant", "rotate-secret", id);
        assertThat(rotated.exit()).isZero();
        String newSecret = rotated.json().get("client_secret").asString();
        assertThat(skills(id, "client_secret", secret).status()).isEqualTo(401);
        assertThat(skills(id, "client_secret", newSecret).status()).isEqualTo(200);

        Result appKeyRotated = cli("tenant", "rotate-app-key", id);
        assertThat(skills(id, "client_app_key", appKey).status()).isEqualTo(401);
        assertThat(skills(id, "client_app_key", appKeyRotated.json().get("client_app_key").asString()).status()).isEqualTo(200);

        Result sub = cli("tenant", "subscribe", id, "sandbox_ro_pisp_sbx_#1.0", "--consent-duration", "60");
        assertThat(sub.exit()).as(sub.err()).isZero();
        Result shown = cli("tenant", "show", id);
        assertThat(shown.json().get("skills").size()).isEqualTo(2);
        assertThat(shown.json().get("skills").get(1).get("consent_duration").asInt()).isEqualTo(60);

        assertThat(cli("tenant", "unsubscribe", id, "sandbox_ro_pisp_sbx_#1.0").exit()).isZero();
        assertThat(cli("tenant", "delete", id).exit()).isZero();
        assertThat(skills(id, "client_secret", newSecret).status()).isEqualTo(401);
    }

    @Test
    void webhookEndpointsFromTheCommandLine() {
        String id = cli("tenant", "create", "--name", "cli-hooks").json().get("client_id").asString();
        Result created = cliWithKeys("webhook", "create", id, "--url", "https://93.184.215.14/hooks", "--event", "sync.failed");
        assertThat(created.exit()).as(created.err()).isZero();
        String hook = created.json().get("id").asString();
        String secret = created.json().get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(created.json().get("events").get(0).asString()).isEqualTo("sync.failed");
        // the server sees it at once, without the secret
        var listed = server.api().admin("GET", "/admin/tenants/" + id + "/webhooks", null);
        assertThat(listed.json()).hasSize(1);
        assertThat(listed.json().get(0).get("url").asString()).isEqualTo("https://93.184.215.14/hooks");
        assertThat(listed.body()).doesNotContain(secret);
        Result rotated = cliWithKeys("webhook", "rotate-secret", id, hook);
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.json().get("secret").asString()).startsWith("whsec_").isNotEqualTo(secret);
        Result refused = cliWithKeys("webhook", "create", id, "--url", "https://192.168.0.10/hooks");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("invalid_webhook_url").contains("private");
        assertThat(cliWithKeys("webhook", "list", id).out()).contains(hook).doesNotContain("whsec_");
        assertThat(cliWithKeys("webhook", "delete", id, hook).exit()).isZero();
        assertThat(server.api().admin("GET", "/admin/tenants/" + id + "/webhooks", null).json()).isEmpty();
        Result gone = cliWithKeys("webhook", "delete", id, hook);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("not_found");
    }

    /** Webhook secrets are encrypted: the CLI needs the cluster's encryption keys, as the server does. */
    static Result cliWithKeys(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Object> props = new HashMap<>(TestServer.properties(db));
        props.put("openfinq.encryption-keys", TestServer.ENCRYPTION_KEYS);
        int exit = AdminCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), props);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void errorsExitNonZeroWithAMessage() {
        Result unknown = cli("tenant", "show", "00000000-0000-4000-8000-000000000000");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("not_found");
        Result badSkill = cli("tenant", "create", "--name", "x", "--skill", "nope_ro_aisp_sbx_#1.0");
        assertThat(badSkill.exit()).isEqualTo(1);
        assertThat(badSkill.err()).contains("invalid_skill_name");
        Result usage = cli("tenant", "create");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("--name");
    }

    @Test
    void signersAndKeysFromTheCommandLine() throws Exception {
        Result created = cli("tenant", "create", "--name", "cli-signer", "--skill", "sandbox_ro_aisp_sbx_#1.0");
        String id = created.json().get("client_id").asString();
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair key = g.generateKeyPair();
        java.nio.file.Path pem = java.nio.file.Files.createTempFile("key", ".pem");
        java.nio.file.Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        assertThat(cli("tenant", "signer-add", id, "cli@proj.iam.gserviceaccount.com").exit()).isZero();
        Result added = cli("tenant", "key-add", id, "cli@proj.iam.gserviceaccount.com", "--file", pem.toString(), "--kid", "cli-1");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.json().get("keys").get(0).get("bits").asInt()).isEqualTo(2048);
        assertThat(cli("tenant", "signers", id).out()).contains("cli-1");
        assertThat(cli("tenant", "replay-guard", id, "on").exit()).isZero();
        Result removed = cli("tenant", "key-remove", id, "cli@proj.iam.gserviceaccount.com", "cli-1");
        assertThat(removed.json().get("keys").size()).isZero();
        java.nio.file.Files.delete(pem);
    }

    @Test
    void helpNeedsNoDatabase() {
        Result help = cli("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("tenant").contains("skills");
    }

    private static Api.Response skills(String clientId, String field, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        body.put(field, key);
        return server.api().post("/v1/catalogs/skills/get", body);
    }
}
