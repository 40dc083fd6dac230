package org.openfinq.server.ops;

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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, metrics, request log and graceful shutdown. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest {

    static final String METRICS_TOKEN = "test-metrics-token-42";
    static TestDatabase db;
    static TestServer server;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.metrics-token", METRICS_TOKEN));
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void healthIsUp() {
        Api.Response r = server.api().send("GET", "/health", Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("UP");
    }

    @Test
    void metricsCountRequestsPerRouteAndErrorCode() {
        Tenants.Creds t = Tenants.create(server.api(), "metrics");
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("client_id", t.clientId());
        bad.put("client_app_key", "wrong");
        server.api().post("/v1/catalogs/skills/get", bad);
        Api.Response refused = server.api().send("GET", "/metrics", Map.of(), null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("code")).isEqualTo("invalid_api_keys");
        assertThat(server.api().send("GET", "/metrics", Map.of("Authorization", "Bearer wrong"), null).status()).isEqualTo(401);
        Api.Response m = server.api().send("GET", "/metrics", Map.of("Authorization", "Bearer " + METRICS_TOKEN), null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.body()).containsPattern("openfinq_requests_seconds_count\\{code=\"invalid_client_app_key\","
                + "method=\"POST\",route=\"/v1/catalogs/skills/get\",status=\"401\"} [1-9]");
        assertThat(m.body()).contains("openfinq_requests_seconds_bucket");
    }

    @Test
    void requestLogLineHasErrorIdAndNoSecrets(CapturedOutput output) {
        Tenants.Creds t = Tenants.create(server.api(), "logged");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", t.clientId());
        body.put("client_secret", t.clientSecret() + "x");
        Api.Response r = server.api().post("/v1/catalogs/skills/get", body);
        String id = r.text("id");
        assertThat(output.getOut()).containsPattern("POST /v1/catalogs/skills/get 401 \\d+ms code=invalid_client_secret error_id=" + id);
        assertThat(output.getOut() + output.getErr()).doesNotContain(t.clientSecret()).doesNotContain(t.clientAppKey());
    }

    @Test
    void shutdownLetsRequestsInFlightFinish() throws Exception {
        TestDatabase own = TestDatabase.create();
        TestServer node = TestServer.start(own, Map.of(), TestOnlyController.class);
        try {
            CompletableFuture<Api.Response> slow = CompletableFuture.supplyAsync(() -> node.api().post("/v1/test-only/slow", "{}"));
            Thread.sleep(400);
            node.close();
            Api.Response r = slow.get();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("done");
        } finally {
            own.close();
        }
    }
}
