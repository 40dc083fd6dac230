package org.openfinq.server.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import com.sun.net.httpserver.HttpServer;
import org.openfinq.server.bank.BankProfiles;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * Failed-authentication limits and per-tenant rate limits hold across two nodes on one database. Both nodes
 * trust 127.0.0.1 as a proxy, so each test speaks from its own addresses through {@code X-Forwarded-For}.
 */
class AbuseLimitTest {

    static final int FAILURES = 5;

    static TestDatabase db;
    static TestServer nodeA;
    static TestServer nodeB;
    static TestServer direct;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        Map<String, String> limits = Map.of(
                "openfinq.limits.auth-failures", Integer.toString(FAILURES),
                "openfinq.limits.auth-window", "PT1M",
                "openfinq.limits.lockout", "PT4S",
                "openfinq.limits.tenant-rate", "100000",
                "openfinq.trusted-proxies", "127.0.0.1,10.0.0.0/8");
        nodeA = TestServer.start(db, limits);
        nodeB = TestServer.start(db, limits);
        direct = TestServer.start(db, Map.of("openfinq.limits.auth-failures", Integer.toString(FAILURES),
                "openfinq.limits.tenant-rate", "100000"));
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        direct.close();
        db.close();
    }

    @Test
    void badSecretsForOneClientIdAreLockedOutOnBothNodes() throws Exception {
        Tenants.Creds victim = Tenants.create(nodeA.api(), "victim");
        Tenants.Creds other = Tenants.create(nodeA.api(), "bystander");
        // FAILURES wrong secrets for one client_id, each from another address, alternating nodes: all 401
        for (int i = 1; i <= FAILURES; i++) {
            TestServer node = i % 2 == 0 ? nodeB : nodeA;
            assertError(skills(node, "203.0.113." + i, victim.clientId(), "client_secret", "wrong-" + i),
                    401, "unauthorized", "invalid_client_secret", "client_secret");
        }
        // the next wrong one, on node B from a fresh address: 429 with Retry-After
        Api.Response locked = skills(nodeB, "203.0.113.50", victim.clientId(), "client_secret", "wrong-again");
        assertError(locked, 429, "invalid_request", "too_many_requests", "failed authentications");
        long retry = Long.parseLong(locked.raw().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retry).isBetween(1L, 5L);
        // the right secret too is refused while the client_id is locked, on either node (B learns within 1 s)
        assertError(skills(nodeA, "203.0.113.51", victim.clientId(), "client_secret", victim.clientSecret()),
                429, "invalid_request", "too_many_requests", "retry after");
        Thread.sleep(1500);
        assertError(skills(nodeB, "203.0.113.52", victim.clientId(), "client_secret", victim.clientSecret()),
                429, "invalid_request", "too_many_requests", "retry after");
        // another tenant is not affected
        assertThat(skills(nodeB, "203.0.113.53", other.clientId(), "client_secret", other.clientSecret()).status()).isEqualTo(200);
        // one audit row for the lockout, naming the client_id and no secret
        List<String> rows = audit("client:" + victim.clientId());
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst()).contains("auth.lockout").doesNotContain(victim.clientSecret()).doesNotContain("wrong-");
        // the lockout ends
        Thread.sleep(retry * 1000 + 500);
        assertThat(skills(nodeA, "203.0.113.54", victim.clientId(), "client_secret", victim.clientSecret()).status()).isEqualTo(200);
        System.out.printf("client_id lockout: %d failures answered 401, the next 429 (Retry-After %d s) on the other node%n", FAILURES, retry);
    }

    @Test
    void oneAddressTryingManyClientIdsIsLockedOut() throws Exception {
        Tenants.Creds t = Tenants.create(nodeA.api(), "same-address");
        String attacker = "198.51.100.7";
        for (int i = 0; i < FAILURES; i++) {
            assertError(skills(i % 2 == 0 ? nodeA : nodeB, attacker, UUID.randomUUID().toString(), "client_app_key", "guess"),
                    401, "unauthorized", "invalid_client_id", "client_id");
        }
        // a further failure is refused at once on the other node; a valid key once that node has the lockout (<= 1 s)
        assertError(skills(nodeB, attacker, UUID.randomUUID().toString(), "client_app_key", "guess"),
                429, "invalid_request", "too_many_requests", "retry after");
        Thread.sleep(1500);
        assertError(skills(nodeB, attacker, t.clientId(), "client_app_key", t.clientAppKey()),
                429, "invalid_request", "too_many_requests", "retry after");
        // the same tenant from another address works
        assertThat(skills(nodeB, "198.51.100.8", t.clientId(), "client_app_key", t.clientAppKey()).status()).isEqualTo(200);
        // wrong admin tokens count for the address too
        String admin2 = "198.51.100.9";
        for (int i = 0; i < FAILURES; i++) {
            assertError(nodeA.api().send("GET", "/admin/tenants", Map.of("Authorization", "Bearer nope-" + i, "X-Forwarded-For", admin2), null),
                    401, "unauthorized", "invalid_api_keys", "admin");
        }
        Thread.sleep(1500);
        Api.Response r = nodeB.api().send("GET", "/admin/tenants",
                Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN, "X-Forwarded-For", admin2), null);
        assertError(r, 429, "invalid_request", "too_many_requests", "retry after");
        assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(audit("address:" + admin2)).hasSize(1);
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() throws Exception {
        // 'direct' trusts no proxy: the header is the client's own claim and changes nothing
        Tenants.Creds t = Tenants.create(direct.api(), "direct");
        direct.api().send("PUT", "/admin/tenants/" + t.clientId() + "/skills/sandbox_ro_aisp_sbx_%231.0",
                Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN, "Content-Type", "application/json",
                        "X-Forwarded-For", "192.0.2.99"), "{}");
        nodeA.api().send("PUT", "/admin/tenants/" + t.clientId() + "/skills/sandbox_ro_aisp_sbx_%231.0",
                Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN, "Content-Type", "application/json",
                        "X-Forwarded-For", "192.0.2.99, 10.1.2.3"), "{}");
        List<String> addresses = new ArrayList<>();
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select address from audit_event where action = 'tenant.subscribe' and client_id = '" + t.clientId() + "' order by id")) {
            while (rs.next()) {
                addresses.add(rs.getString(1));
            }
        }
        // untrusted peer: its own address; trusted chain (127.0.0.1 -> 10.1.2.3 -> client): the client
        assertThat(addresses).containsExactly("127.0.0.1", "192.0.2.99");
    }

    @Test
    void theClientAddressBehindATrustedProxyIsWhatTheBankGetsAsPsuIpAddress() throws Exception {
        // a node whose bank calls pass through a recording proxy to node A's sandbox bank
        URI bank = nodeA.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl();
        List<String> psuIps = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpClient http = HttpClient.newHttpClient();
        recorder.createContext("/", ex -> {
            try (ex) {
                Optional.ofNullable(ex.getRequestHeaders().getFirst("PSU-IP-Address")).ifPresent(psuIps::add);
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + bank.getHost() + ":" + bank.getPort() + ex.getRequestURI()))
                        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
                ex.getRequestHeaders().forEach((k, vs) -> {
                    if (!List.of("host", "content-length", "connection", "upgrade", "expect").contains(k.toLowerCase())) {
                        vs.forEach(v -> b.header(k, v));
                    }
                });
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                r.headers().map().forEach((k, vs) -> {
                    if (!List.of("content-length", "transfer-encoding", "connection", ":status").contains(k.toLowerCase())) {
                        vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                    }
                });
                ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                ex.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        recorder.start();
        try (TestServer behindProxy = TestServer.start(db, Map.of("openfinq.trusted-proxies", "127.0.0.1",
                "openfinq.sandbox-bank.url", "http://127.0.0.1:" + recorder.getAddress().getPort() + bank.getRawPath()))) {
            Tenants.Creds t = Tenants.create(behindProxy.api(), "psu-ip", Flows.AIS);
            Api.Response s = behindProxy.api().send("POST", "/v1/sessions", Map.of("Content-Type", "application/json",
                    "X-Forwarded-For", "203.0.113.77"), Api.JSON.writeValueAsString(Map.of("tenant_user_id", "u", "client_id", t.clientId(),
                    "client_app_key", t.clientAppKey(), "skill", Flows.AIS)));
            Api.Response step = behindProxy.api().send("POST", "/v1/sessions/" + s.text("session_id") + "/steps",
                    Map.of("Content-Type", "application/json", "X-Forwarded-For", "203.0.113.77"), Api.JSON.writeValueAsString(Map.of(
                            "client_id", t.clientId(), "nonce", s.text("nonce"), "skill", Flows.AIS, "step", "sca_implicit",
                            "data", Map.of("psu_id", "alice"))));
            assertThat(step.status()).as(step.body()).isEqualTo(200);
            assertThat(psuIps).isNotEmpty().contains("203.0.113.77").doesNotContain("127.0.0.1");
        } finally {
            recorder.stop(0);
        }
    }

    @Test
    void tenantRateLimitIsSharedByBothNodes() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "rated");
        Tenants.Creds other = Tenants.create(nodeA.api(), "unrated");
        Api.Response set = nodeA.api().admin("PUT", "/admin/tenants/" + t.clientId() + "/rate-limit", Map.of("requests_per_minute", 30));
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("requests_per_minute").asInt()).isEqualTo(30);
        assertThat(nodeB.api().admin("GET", "/admin/tenants/" + t.clientId() + "/rate-limit", null).json().get("is_default").asBoolean()).isFalse();
        int ok = 0;
        Api.Response first = null;
        Api.Response refused = null;
        long started = System.nanoTime();
        for (int i = 0; i < 80 && refused == null; i++) {
            Api.Response r = skills(i % 2 == 0 ? nodeA : nodeB, "10.9.9.9", t.clientId(), "client_app_key", t.clientAppKey());
            if (r.status() == 200) {
                ok++;
                first = first == null ? r : first;
                assertThat(r.raw().headers().firstValue("RateLimit-Limit")).hasValue("30");
                assertThat(r.raw().headers().firstValue("RateLimit-Remaining")).isPresent();
                assertThat(r.raw().headers().firstValue("RateLimit-Reset")).isPresent();
            } else {
                refused = r;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(refused).as("429 within 80 requests").isNotNull();
        assertError(refused, 429, "invalid_request", "too_many_requests", "rate limit");
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.raw().headers().firstValue("RateLimit-Remaining")).hasValue("0");
        // the bucket holds 30 and refills at 0.5/s: together the two nodes let through no more than that
        assertThat(ok).isLessThanOrEqualTo(30 + (int) Math.ceil(seconds * 0.5)).isGreaterThanOrEqualTo(28);
        assertThat(Integer.parseInt(first.raw().headers().firstValue("RateLimit-Remaining").orElseThrow())).isBetween(25, 29);
        // other tenants keep their own budget
        Api.Response o = skills(nodeB, "10.9.9.9", other.clientId(), "client_app_key", other.clientAppKey());
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.raw().headers().firstValue("RateLimit-Limit")).hasValue("100000");
        // back to the default: refused no more (the setting is read with the next lease)
        assertThat(nodeB.api().admin("PUT", "/admin/tenants/" + t.clientId() + "/rate-limit", "{\"requests_per_minute\":null}").status()).isEqualTo(200);
        assertThat(skills(nodeB, "10.9.9.9", t.clientId(), "client_app_key", t.clientAppKey()).status()).isEqualTo(200);
        System.out.printf("tenant rate 30/min over two nodes: %d accepted, then 429, in %.1f s%n", ok, seconds);
    }

    @Test
    void badRateLimitSettingsAreRefused() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "settings");
        assertError(nodeA.api().admin("PUT", "/admin/tenants/" + t.clientId() + "/rate-limit", Map.of("requests_per_minute", 0)),
                400, "invalid_request", "invalid_field", "requests_per_minute");
        assertError(nodeA.api().admin("PUT", "/admin/tenants/" + t.clientId() + "/rate-limit", Map.of("requests_per_minute", "many")),
                400, "invalid_request", "invalid_field", "requests_per_minute");
        assertError(nodeA.api().admin("PUT", "/admin/tenants/" + UUID.randomUUID() + "/rate-limit", Map.of("requests_per_minute", 5)),
                404, "invalid_request", "not_found", "tenant");
    }

    static Api.Response skills(TestServer node, String from, String clientId, String keyField, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        body.put(keyField, key);
        return node.api().send("POST", "/v1/catalogs/skills/get",
                Map.of("Content-Type", "application/json", "X-Forwarded-For", from), Api.JSON.writeValueAsString(body));
    }

    static List<String> audit(String actor) {
        Api.Response r = nodeA.api().admin("GET", "/admin/audit?action=auth.lockout&actor=" + actor.replace(":", "%3A"), null);
        assertThat(r.status()).isEqualTo(200);
        List<String> rows = new ArrayList<>();
        r.json().forEach(e -> rows.add(e.toString()));
        return rows;
    }
}
