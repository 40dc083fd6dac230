package org.openfinq.server.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** No 5xx and no HTML for bad input, the error codes chosen for it, and the security headers. */
class HardeningTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static RawHttp http;
    static Tenants.Creds tenant;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db);
        api = server.api();
        http = new RawHttp(server);
        tenant = Tenants.create(api, "hardened", Flows.AIS);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    static void assertError(RawHttp.Response r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.error()).as("error object: " + r.text()).isNotNull();
        assertThat(r.error().path("code").asString()).isEqualTo(code);
        assertThat(r.text()).doesNotContainPattern(RawHttp.LEAK);
    }

    static RawHttp.Response postJson(String path, String json, String... headers) {
        List<String> h = new ArrayList<>(List.of(headers));
        h.add("Content-Type: application/json");
        return http.send("POST", path, json.getBytes(StandardCharsets.UTF_8), h.toArray(String[]::new));
    }

    @Test
    void nulAndUnpairedSurrogatesAreInvalidFieldNamingTheField() {
        String creds = "\"client_id\":\"" + tenant.clientId() + "\",\"client_app_key\":\"" + tenant.clientAppKey() + "\"";
        RawHttp.Response r = postJson("/v1/sessions", "{" + creds + ",\"skill\":\"" + Flows.AIS + "\",\"tenant_user_id\":\"u\\u0000\"}");
        assertError(r, 400, "invalid_field");
        assertThat(r.error().path("message").asString()).contains("'tenant_user_id'").contains("NUL");

        r = postJson("/v1/transactions/get", "{\"client_id\":\"" + tenant.clientId() + "\",\"filter\":{\"booking_status\":\"\\ud800\"}}");
        assertError(r, 400, "invalid_field");
        assertThat(r.error().path("message").asString()).contains("'filter.booking_status'");

        r = http.send("POST", "/admin/tenants", "{\"name\":\"evil\\u0000name\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type: application/json", "Authorization: Bearer " + TestServer.ADMIN_TOKEN);
        assertError(r, 400, "invalid_field");
        assertThat(r.error().path("message").asString()).contains("'name'");
    }

    @Test
    void duplicateKeysAreInvalidBody() {
        RawHttp.Response r = postJson("/v1/catalogs/skills/get", "{\"client_id\":\"" + tenant.clientId() + "\",\"client_secret\":\""
                + tenant.clientSecret() + "\",\"client_id\":\"" + tenant.clientId() + "\"}");
        assertError(r, 400, "invalid_body");
        assertThat(r.error().path("message").asString()).contains("twice");
    }

    @Test
    void malformedMultipartIsInvalidBody() {
        String path = "/v1/sessions/" + java.util.UUID.randomUUID() + "/steps/documents/upload";
        byte[] cut = "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF".getBytes(StandardCharsets.UTF_8);
        assertError(http.send("POST", path, cut, "Content-Type: multipart/form-data; boundary=zz"), 400, "invalid_body");
        assertError(http.send("POST", path, cut, "Content-Type: multipart/form-data"), 400, "invalid_body");
        byte[] nulName = ("--zz\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n" + tenant.clientId()
                + "\r\n--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\u0000.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                + "%PDF-1.4\r\n--zz--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertError(http.send("POST", path, nulName, "Content-Type: multipart/form-data; boundary=zz"), 400, "invalid_body");
        byte[] nulField = ("--zz\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n" + tenant.clientId()
                + "\r\n--zz\r\nContent-Disposition: form-data; name=\"nonce\"\r\n\r\nn\u0000x\r\n--zz--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response r = http.send("POST", path, nulField, "Content-Type: multipart/form-data; boundary=zz");
        assertError(r, 400, "invalid_field");
        assertThat(r.error().path("message").asString()).contains("'nonce'");
        // multipart anywhere but an upload, with any method: refused before anything parses it
        assertError(http.send("PUT", path, cut, "Content-Type: multipart/form-data; boundary=zz"), 400, "invalid_headers");
        assertError(http.send("POST", "/v1/sessions", cut, "Content-Type: multipart/form-data; boundary=zz"), 400, "invalid_headers");
    }

    @Test
    void garbageInAJwsHeaderIs401WithItsOwnCode() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String body = "{\"client_id\":\"" + tenant.clientId() + "\",\"client_secret\":\"" + tenant.clientSecret() + "\"}";
        for (String header : List.of("{\"alg\":\"RS256\",\"kid\":\"a\\u0000b\"}", "{\"alg\":\"RS256\",\"kid\":\"k\",\"typ\":\"\\u0007\"}",
                "{\"alg\":\"RS256\",\"kid\":\"" + "k".repeat(600) + "\"}")) {
            String jws = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString("{}".getBytes()) + ".c2ln";
            assertError(postJson("/v1s/catalogs/skills/get", body, "Authorization: Bearer " + jws), 401, "invalid_jws_header");
        }
        String nulIss = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes()) + "."
                + b64.encodeToString("{\"iss\":\"a\\u0000b\"}".getBytes()) + ".c2ln";
        assertError(postJson("/v1s/catalogs/skills/get", body, "Authorization: Bearer " + nulIss), 401, "invalid_issuer");
        assertError(postJson("/v1s/catalogs/skills/get", body, "Authorization: Bearer \u00ff\u00fe.%%%.x"), 401, "invalid_jws");
    }

    @Test
    void whatTomcatRefusesIsTheErrorObjectToo() {
        assertError(http.get("/v1%2Fcatalogs"), 400, "invalid_request");
        assertError(http.get("/v1/catalogs%00"), 400, "invalid_request");
        assertError(http.get("/v1/<script>"), 400, "invalid_request");
        assertError(http.get("/health?" + "a".repeat(10_000)), 400, "invalid_request");
        assertError(http.get("/health", "X-Big: " + "b".repeat(10_000)), 400, "invalid_request");
        assertError(http.get("/health", "X-Bad: a\u0001b"), 400, "invalid_request");
        assertError(http.exchange("G@T /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), 400, "invalid_request");
        assertError(http.exchange("GET /health HTTP/1.7\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), 400, "unsupported_http_version");
        assertError(http.exchange(("POST /v1/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)), 400, "invalid_headers");
        // HTTP/0.9 has no status line or headers: the answer is the bare error object
        RawHttp.Response old = http.exchange("GET /health\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(old.text()).contains("\"code\":\"unsupported_http_version\"").doesNotContain("UP");
    }

    @Test
    void traceOptionsAndUnknownMethodsAre405() {
        for (String method : List.of("TRACE", "OPTIONS", "PROPFIND", "CONNECT")) {
            for (String path : List.of("/v1/catalogs/skills/get", "/v1s/sessions", "/admin/tenants", "/health", "/nope")) {
                RawHttp.Response r = http.send(method, path, null);
                assertError(r, 405, "method_not_allowed");
            }
        }
        // a known method on a route without it stays 404, as before
        assertError(http.send("GET", "/v1/catalogs/skills/get", null), 404, "not_found");
    }

    @Test
    void noStoreNosniffAndCspOnEveryApiAnswerAndNoServerHeader() {
        RawHttp.Response created = http.send("POST", "/admin/tenants", "{\"name\":\"headers\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type: application/json", "Authorization: Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text()).contains("client_secret");
        RawHttp.Response data = postJson("/v1/catalogs/skills/get", "{\"client_id\":\"" + tenant.clientId()
                + "\",\"client_secret\":\"" + tenant.clientSecret() + "\"}");
        assertThat(data.status()).isEqualTo(200);
        for (RawHttp.Response r : List.of(created, data, http.get("/v1/nope"), http.get("/admin;/tenants"),
                http.get("/v1%2Fx"), http.get("/health"))) {
            assertThat(r.header("cache-control")).as(r.headers().toString()).contains("no-store");
            assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
            assertThat(r.header("content-security-policy")).isEqualTo(Headers.API_CSP);
            assertThat(r.headers()).doesNotContainKeys("server", "x-powered-by", "set-cookie");
        }
    }

    @Test
    void theDocsPageHasAStrictCspAndStillLoadsEverythingItNeeds() {
        RawHttp.Response docs = http.get("/docs");
        assertThat(docs.status()).isEqualTo(302);
        String location = docs.header("location");
        RawHttp.Response page = http.get(location);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-security-policy")).isEqualTo(Headers.DOCS_CSP).doesNotContain("unsafe-eval")
                .contains("script-src 'self';");
        String html = page.text();
        // no inline script and no inline event handler: the CSP forbids both
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContainPattern("\\son[a-z]+=");
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        String base = location.substring(0, location.lastIndexOf('/') + 1);
        int loaded = 0;
        while (refs.find()) {
            String ref = refs.group(1);
            assertThat(ref).as("same origin only").doesNotStartWith("http").doesNotStartWith("//");
            RawHttp.Response asset = http.get(ref.startsWith("/") ? ref : base + ref.replaceFirst("^\\./", ""));
            assertThat(asset.status()).as(ref).isEqualTo(200);
            loaded++;
        }
        assertThat(loaded).isGreaterThanOrEqualTo(5);
        // the initializer points the UI at our own /openapi.json, which the CSP's connect-src 'self' allows
        RawHttp.Response init = http.get(base + "swagger-initializer.js");
        assertThat(init.text()).contains("/openapi.json");
        assertThat(http.get("/openapi.json").status()).isEqualTo(200);
    }

    @Test
    void metricsNeedTheirTokenAndHealthStaysOpen() {
        assertThat(http.get("/health").status()).isEqualTo(200);
        assertError(http.get("/metrics"), 401, "invalid_api_keys");
        assertError(http.get("/metrics", "Authorization: Bearer " + TestServer.ADMIN_TOKEN), 401, "invalid_api_keys");
        assertError(http.get("/metrics;"), 400, "invalid_path");
        assertError(http.get("/%6detrics"), 400, "invalid_path");
        TestServer withToken = TestServer.start(db, Map.of("openfinq.metrics-token", "scrape-me-0123456789"));
        try {
            RawHttp other = new RawHttp(withToken);
            assertError(other.get("/metrics"), 401, "invalid_api_keys");
            RawHttp.Response ok = other.get("/metrics", "Authorization: Bearer scrape-me-0123456789");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.text()).contains("openfinq_requests_seconds");
        } finally {
            withToken.close();
        }
    }
}
