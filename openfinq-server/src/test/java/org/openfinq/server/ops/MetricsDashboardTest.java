package org.openfinq.server.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard in docs/ against a node's /metrics after a flow (two consents, their syncs, a data read,
 * one consent deleted): every metric name a panel queries is served, and the cluster-wide figures are the
 * database's.
 */
class MetricsDashboardTest {

    static final String METRICS_TOKEN = "dashboard-metrics-token";
    static TestDatabase db;
    static TestServer server;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.metrics-token", METRICS_TOKEN,
                "openfinq.sandbox-bank.large-psu-transactions", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void everyMetricTheDashboardQueriesIsServedAfterAFlow() throws Exception {
        Api api = server.api();
        Tenants.Creds t = Tenants.create(api, "dashboard", Flows.AIS);
        Flows.Credentials kept = Flows.aisCredentials(api, t, "user-1", "alice");
        Flows.Credentials deleted = Flows.aisCredentials(api, t, "user-2", "bogdan");
        assertThat(Flows.awaitSync(db, kept.credentialsId())[0]).isEqualTo("done");
        assertThat(Flows.awaitSync(db, deleted.credentialsId())[0]).isEqualTo("done");
        assertThat(Flows.data(api, t, kept, "user-1", "transactions", null).status()).isEqualTo(200);
        assertThat(Flows.consent(api, t, deleted, "delete").status()).isEqualTo(200);

        Api.Response m = api.send("GET", "/metrics", Map.of("Authorization", "Bearer " + METRICS_TOKEN), null);
        assertThat(m.status()).isEqualTo(200);
        String metrics = m.body();

        JsonNode dashboard = Api.JSON.readTree(Files.readString(Path.of("..", "docs", "grafana-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        Pattern selector = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher s = selector.matcher(expr.asString());
            while (s.find()) {
                queried.add(s.group(1));
            }
        }
        for (JsonNode query : dashboard.findValues("query")) {
            Matcher lv = Pattern.compile("label_values\\((\\w+)").matcher(query.asString());
            while (lv.find()) {
                queried.add(lv.group(1));
            }
        }
        assertThat(queried).contains("openfinq_sync_jobs", "openfinq_sync_job_duration_seconds_count",
                "openfinq_sync_job_duration_seconds_bucket", "openfinq_consents", "openfinq_webhooks_deliveries_total",
                "openfinq_bank_calls_seconds_count", "openfinq_bank_calls_seconds_bucket", "openfinq_requests_seconds_count");
        for (String name : queried) {
            assertThat(metrics).as("/metrics serves %s", name).containsPattern("(?m)^" + Pattern.quote(name) + "[{ ]");
        }

        // cluster-wide from the database: the two consents this test made, one of them deleted; no open sync job
        assertThat(metrics).contains("openfinq_consents{state=\"active\"} 1.0")
                .contains("openfinq_consents{state=\"deleted\"} 1.0")
                .contains("openfinq_consents{state=\"expired\"} 0.0")
                .contains("openfinq_sync_jobs{status=\"queued\"} 0.0")
                .contains("openfinq_sync_jobs{status=\"running\"} 0.0");
        assertThat(metrics).containsPattern("openfinq_sync_job_duration_seconds_count\\{outcome=\"done\"} [2-9]");
        assertThat(metrics).containsPattern("openfinq_bank_calls_seconds_count\\{bank=\"[^\"]+\",operation=\"[^\"]+\",outcome=\"ok\"} [1-9]");
    }
}
