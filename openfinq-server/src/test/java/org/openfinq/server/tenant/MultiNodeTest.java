package org.openfinq.server.tenant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * Two nodes on one PostgreSQL: nothing a node answers depends on its own memory, except the credential cache,
 * whose entries a change on the other node evicts within milliseconds (refusal asserted within
 * {@link org.openfinq.server.signing.CredentialCacheTest#BOUND_MS}; see that test for the measured figures).
 */
class MultiNodeTest {

    static TestDatabase db;
    static TestServer nodeA;
    static TestServer nodeB;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        nodeA = TestServer.start(db);
        nodeB = TestServer.start(db);
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        db.close();
    }

    @Test
    void tenantCreatedOnAAuthenticatesOnB() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "multi", "sandbox_ro_aisp_sbx_#1.0");
        Api.Response r = skills(nodeB, t.clientId(), "client_secret", t.clientSecret());
        assertThat(r.status()).isEqualTo(200);
        java.util.List<String> subscribed = new java.util.ArrayList<>();
        r.json().forEach(s -> {
            if (s.get("subscribed").asBoolean()) {
                subscribed.add(s.get("id").asString());
            }
        });
        assertThat(subscribed).containsExactly("sandbox_ro_aisp_sbx_#1.0");
    }

    @Test
    void secretRotatedOnBIsRefusedOnAWithinTheBound() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "multi-rotate");
        assertThat(skills(nodeA, t.clientId(), "client_secret", t.clientSecret()).status()).isEqualTo(200);
        Api.Response rotated = nodeB.api().admin("POST", "/admin/tenants/" + t.clientId() + "/rotate-secret", null);
        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.text("client_secret");
        awaitRefused(() -> skills(nodeA, t.clientId(), "client_secret", t.clientSecret()));
        assertError(skills(nodeA, t.clientId(), "client_secret", t.clientSecret()), 401, "unauthorized", "invalid_client_secret", "client_secret");
        assertThat(skills(nodeA, t.clientId(), "client_secret", newSecret).status()).isEqualTo(200);
    }

    @Test
    void appKeyRotatedOnAIsRefusedOnBWithinTheBound() {
        Tenants.Creds t = Tenants.create(nodeB.api(), "multi-appkey");
        assertThat(skills(nodeB, t.clientId(), "client_app_key", t.clientAppKey()).status()).isEqualTo(200);
        Api.Response rotated = nodeA.api().admin("POST", "/admin/tenants/" + t.clientId() + "/rotate-app-key", null);
        assertThat(rotated.status()).isEqualTo(200);
        String newKey = rotated.text("client_app_key");
        awaitRefused(() -> skills(nodeB, t.clientId(), "client_app_key", t.clientAppKey()));
        assertError(skills(nodeB, t.clientId(), "client_app_key", t.clientAppKey()), 401, "unauthorized", "invalid_client_app_key", "client_app_key");
        assertThat(skills(nodeB, t.clientId(), "client_app_key", newKey).status()).isEqualTo(200);
    }

    /** Polls until the call is refused, at most the credential cache's bound after the change's answer. */
    static void awaitRefused(java.util.function.Supplier<Api.Response> call) {
        long t0 = System.nanoTime();
        while (call.get().status() != 401) {
            assertThat((System.nanoTime() - t0) / 1_000_000).as("refused within the bound")
                    .isLessThan(org.openfinq.server.signing.CredentialCacheTest.BOUND_MS);
        }
    }

    private static Api.Response skills(TestServer node, String clientId, String keyField, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        body.put(keyField, key);
        return node.api().post("/v1/catalogs/skills/get", body);
    }
}
