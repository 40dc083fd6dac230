package org.openfinq.server.connect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.conformance.FormScaDriver;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.testing.TestClock;

import org.openfinq.sandboxbank.data.SandboxData;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** Connect over HTTP: the connect_url, the hosted pages as a browser without JavaScript uses them, and the bank. */
class ConnectTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static Tenants.Creds other;

    @BeforeAll
    static void start() {
        TestClock.INSTANCE.reset();
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"), TestClock.Config.class);
        api = server.api();
        tenant = Tenants.create(api, "budget-app", Flows.AIS, Flows.PIS);
        other = Tenants.create(api, "other-app", Flows.AIS);
        Api.Response r = api.admin("PATCH", "/admin/tenants/" + tenant.clientId(), Map.of("display_name", "Acme Budget",
                "brand_color", "#0b7a3b", "redirect_urls", List.of("https://app.example/connected")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
        TestClock.INSTANCE.reset();
    }

    @BeforeEach
    void clock() {
        TestClock.INSTANCE.reset();
    }

    static Api.Response create(Tenants.Creds t, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", t.clientId());
        body.put("client_secret", t.clientSecret());
        body.put("tenant_user_id", "user-1");
        body.put("psu_redirect_link", "https://app.example/connected?from=connect");
        body.putAll(extra);
        return api.post("/v1/connect/sessions", body);
    }

    /** A browser of one Connect flow: its cookie and where it is. */
    record Browser(String flowPath, String cookie) {
        Api.Response get(String path, String... headers) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Cookie", cookie);
            for (int i = 0; i < headers.length; i += 2) {
                h.put(headers[i], headers[i + 1]);
            }
            return api.send("GET", path, h, null);
        }

        Api.Response post(String path, String form) {
            return api.send("POST", path, Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"), form);
        }
    }

    static String location(Api.Response r) {
        return r.raw().headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + r.status() + " " + r.body()));
    }

    static Browser open(String connectUrl) {
        Api.Response r = api.send("GET", URI.create(connectUrl).getRawPath(), Map.of(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        String setCookie = r.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=" + location(r));
        return new Browser(location(r), setCookie.substring(0, setCookie.indexOf(';')));
    }

    static String href(String html, String marker) {
        Matcher m = Pattern.compile("<a class=\"button\" " + marker + " href=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    /** Picker → consent → authorize → bank page; answers the bank's SCA URL. */
    static URI toBank(Browser b, String skill, String expectOnConsent) {
        Api.Response picker = b.get(b.flowPath());
        assertThat(picker.status()).isEqualTo(200);
        assertThat(picker.contentType()).startsWith("text/html");
        assertThat(picker.raw().headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'").contains("form-action 'self'").doesNotContain("unsafe-inline");
        assertThat(picker.body()).contains("openfinq Sandbox Bank").contains("Acme Budget");
        String consentPath = b.flowPath() + "/consent?skill=" + URLEncoder.encode(skill, StandardCharsets.UTF_8);
        assertThat(picker.body()).contains(consentPath.replace("&", "&amp;"));
        Api.Response consent = b.get(consentPath);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains(expectOnConsent);
        Api.Response authorize = b.post(b.flowPath() + "/authorize", "skill=" + URLEncoder.encode(skill, StandardCharsets.UTF_8));
        assertThat(authorize.status()).as(authorize.body()).isEqualTo(303);
        assertThat(location(authorize)).isEqualTo(b.flowPath() + "/bank");
        Api.Response bank = b.get(b.flowPath() + "/bank");
        assertThat(bank.status()).isEqualTo(200);
        return URI.create(href(bank.body(), "data-auto-follow"));
    }

    /** The bank's redirect through /v1/redirects/... to the result page; answers the link to the tenant app. */
    static URI back(Browser b, URI fromBank) {
        URI toResult = Flows.receive(api, fromBank);
        assertThat(toResult.getRawPath()).isEqualTo(b.flowPath() + "/return");
        Api.Response result = b.get(toResult.getRawPath() + "?" + toResult.getRawQuery());
        assertThat(result.status()).as(result.body()).isEqualTo(200);
        return URI.create(href(result.body(), "data-auto-follow"));
    }

    @Test
    void aisEndToEndThroughToData() {
        Api.Response created = create(tenant, Map.of());
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.text("connect_url")).startsWith(server.baseUrl() + "/connect/s/");
        assertThat(java.time.Instant.parse(created.text("expires_at"))).isAfter(java.time.Instant.now());
        Browser b = open(created.text("connect_url"));
        URI bankPage = toBank(b, Flows.AIS, "For 90 days");
        URI fromBank = FormScaDriver.sandbox().approve(bankPage, "alice", "sandbox");
        URI app = back(b, fromBank);
        assertThat(app.toString()).startsWith("https://app.example/connected?from=connect&temp_token=");
        Api.Response token = Flows.exchange(api, tenant, Flows.query(app).get("temp_token"));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        Flows.Credentials c = new Flows.Credentials(token.text("credentials_id"), token.text("access_token"));
        Flows.awaitSync(db, c.credentialsId());
        Api.Response accounts = Flows.data(api, tenant, c, "user-1", "accounts", null);
        assertThat(accounts.status()).as(accounts.body()).isEqualTo(200);
        assertThat(accounts.json().size()).isEqualTo(3);
        assertThat(accounts.body()).contains("Cont curent");
        // the flow is over: its pages and its return are refused with a page
        Api.Response again = b.get(b.flowPath());
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.contentType()).startsWith("text/html");
        assertThat(again.body()).contains("already used");
    }

    @Test
    void denyAtTheBankAndCancelComeBackAsDocumentedErrors() {
        Browser b = open(create(tenant, Map.of()).text("connect_url"));
        URI fromBank = FormScaDriver.sandbox().deny(toBank(b, Flows.AIS, "Transactions"), "alice", "sandbox");
        URI app = back(b, fromBank);
        Map<String, String> q = Flows.query(app);
        assertThat(app.toString()).startsWith("https://app.example/connected?from=connect&error=tpp_redirect_error");
        assertThat(q).containsKeys("message", "session_id").doesNotContainKey("temp_token");

        Browser c = open(create(tenant, Map.of()).text("connect_url"));
        Api.Response cancel = c.post(c.flowPath() + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.body()).contains("You cancelled");
        URI cancelled = URI.create(href(cancel.body(), "data-auto-follow"));
        assertThat(Flows.query(cancelled)).containsEntry("error", "user_cancelled").containsKey("message");
        assertThat(cancelled.toString()).startsWith("https://app.example/connected?from=connect&error=user_cancelled");
        assertThat(c.post(c.flowPath() + "/authorize", "skill=" + URLEncoder.encode(Flows.AIS, StandardCharsets.UTF_8)).status())
                .isEqualTo(410);
    }

    @Test
    void pisEndToEnd() {
        String debtor = new SandboxData(42, LocalDate.of(2025, 1, 1), 0, LocalDate.now(ZoneOffset.UTC))
                .psu("alice").orElseThrow().accounts().get(0).iban();
        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("end_to_end_id", "ORDER-7");
        transfer.put("instructed_amount", Map.of("amount", "42.50", "currency", "RON"));
        transfer.put("creditor_name", "Acme Shop SRL");
        transfer.put("creditor_account", Map.of("iban", "RO66BACX0000001234567890"));
        transfer.put("remittance_information_unstructured", "Order 7");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("debtor_account", Map.of("iban", debtor));
        info.put("credit_transfer_transaction_info", List.of(transfer));
        Api.Response created = create(tenant, Map.of("payment_intent", Map.of("psu_id", "alice", "payment_info", List.of(info)),
                "language", "ro"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        Browser b = open(created.text("connect_url"));
        URI bankPage = toBank(b, Flows.PIS, "Acme Shop SRL");
        Api.Response consent = b.get(b.flowPath() + "/consent?skill=" + URLEncoder.encode(Flows.PIS, StandardCharsets.UTF_8));
        assertThat(consent.status()).isEqualTo(410); // already sent to the bank
        URI fromBank = FormScaDriver.sandbox().approve(bankPage, "alice", "sandbox");
        URI app = back(b, fromBank);
        Map<String, String> q = Flows.query(app);
        assertThat(q).containsKeys("payment_id", "status").doesNotContainKey("error");
        Api.Response payment = api.post("/v1/payments/get", Api.object("client_id", tenant.clientId(), "client_secret",
                tenant.clientSecret(), "payment_id", q.get("payment_id")));
        assertThat(payment.status()).as(payment.body()).isEqualTo(200);
        assertThat(payment.body()).contains("42.50").contains("Acme Shop SRL");
    }

    @Test
    void romanianByLanguageOrAcceptLanguage() {
        Browser ro = open(create(tenant, Map.of("language", "ro")).text("connect_url"));
        assertThat(ro.get(ro.flowPath()).body()).contains("lang=\"ro\"").contains("Alegeți banca");
        Browser accept = open(create(tenant, Map.of()).text("connect_url"));
        assertThat(accept.get(accept.flowPath(), "Accept-Language", "ro-RO,ro;q=0.9,en;q=0.5").body()).contains("Alegeți banca");
        assertThat(accept.get(accept.flowPath(), "Accept-Language", "en-GB").body()).contains("Choose your bank");
    }

    @Test
    void connectUrlWorksOnceAndNotAfterExpiryAndForeignOrForgedAreRefused() {
        String url = create(tenant, Map.of()).text("connect_url");
        Browser b = open(url);
        Api.Response twice = api.send("GET", URI.create(url).getRawPath(), Map.of(), null);
        assertThat(twice.status()).isEqualTo(410);
        assertThat(twice.contentType()).startsWith("text/html");
        assertThat(twice.body()).contains("already used").doesNotContain("Exception");

        Api.Response forged = api.send("GET", "/connect/s/" + "A".repeat(43), Map.of(), null);
        assertThat(forged.status()).isEqualTo(404);
        assertThat(forged.body()).contains("not valid");

        // another tenant's flow with this browser's cookie, and this flow without it
        Browser theirs = open(create(other, Map.of("psu_redirect_link", "https://other.example/back")).text("connect_url"));
        Api.Response foreign = new Browser(theirs.flowPath(), b.cookie()).get(theirs.flowPath());
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body()).contains("another browser or for another app");
        assertThat(api.send("GET", b.flowPath(), Map.of(), null).status()).isEqualTo(403);
        assertThat(api.send("GET", "/connect/f/not-a-uuid", Map.of(), null).status()).isEqualTo(404);

        String late = create(tenant, Map.of()).text("connect_url");
        TestClock.INSTANCE.advance(ConnectService.TTL.plus(Duration.ofSeconds(1)));
        Api.Response expired = api.send("GET", URI.create(late).getRawPath(), Map.of(), null);
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.body()).contains("expired");
        assertThat(b.get(b.flowPath()).status()).isEqualTo(410);
    }

    @Test
    void aFrontEndStartsConnectWithTheAppKeyOnlyWhenRedirectUrlsAreSet() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", tenant.clientId());
        body.put("client_app_key", tenant.clientAppKey());
        body.put("tenant_user_id", "front-end-user");
        body.put("psu_redirect_link", "https://app.example/connected");
        Api.Response started = api.post("/v1/connect/sessions", body);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        Browser b = open(started.text("connect_url"));
        URI fromBank = FormScaDriver.sandbox().approve(toBank(b, Flows.AIS, "For 90 days"), "alice", "sandbox");
        URI toTenant = back(b, fromBank);
        assertThat(toTenant.toString()).startsWith("https://app.example/connected?temp_token=");
        Api.Response token = Flows.exchange(api, tenant, Flows.query(toTenant).get("temp_token"));
        assertThat(token.status()).as(token.body()).isEqualTo(200);

        assertError(api.post("/v1/connect/sessions", with(body, "psu_redirect_link", "https://evil.example/x")), 400,
                "invalid_request", "invalid_field", "redirect_urls");
        assertError(api.post("/v1/connect/sessions", with(body, "client_app_key", "wrong")), 401, "unauthorized",
                "invalid_client_app_key", "not valid");
        assertError(api.post("/v1/connect/sessions", with(body, "client_secret", tenant.clientSecret())), 400,
                "invalid_request", "invalid_field", "not both");
        Map<String, Object> neither = with(body, "client_app_key", null);
        neither.remove("client_app_key");
        assertError(api.post("/v1/connect/sessions", neither), 400, "invalid_request", "missing_fields", "client_app_key");
        // a tenant without redirect_urls: the public app key alone cannot choose where the temp_token goes
        Map<String, Object> otherBody = with(body, "client_id", other.clientId());
        otherBody.put("client_app_key", other.clientAppKey());
        assertError(api.post("/v1/connect/sessions", otherBody), 400, "invalid_request", "invalid_field", "redirect_urls to be set");
        Map<String, Object> otherServer = with(otherBody, "client_secret", other.clientSecret());
        otherServer.remove("client_app_key");
        assertThat(api.post("/v1/connect/sessions", otherServer).status()).isEqualTo(200);
    }

    static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    @Test
    void badRequestsAreClearErrors() {
        assertError(create(tenant, Map.of("psu_redirect_link", "https://evil.example/steal")), 400, "invalid_request",
                "invalid_field", "redirect_urls");
        assertError(create(tenant, Map.of("language", "fr")), 400, "invalid_request", "invalid_field", "language");
        assertError(create(tenant, Map.of("type", "pisp")), 400, "invalid_request", "missing_fields", "payment_intent");
        assertError(create(tenant, Map.of("skill", Flows.LOAN)), 401, "unauthorized", "unauthorized_tenant", "not subscribed");
        assertError(create(other, Map.of("skill", Flows.PIS, "psu_redirect_link", "https://other.example/back")), 401,
                "unauthorized", "unauthorized_tenant", "not subscribed");
        Map<String, Object> body = new LinkedHashMap<>(Map.of("client_id", tenant.clientId(), "client_secret", "wrong",
                "tenant_user_id", "u", "psu_redirect_link", "https://app.example/connected"));
        assertError(api.post("/v1/connect/sessions", body), 401, "unauthorized", "invalid_client_secret", "not valid");
        body.put("client_secret", tenant.clientSecret());
        body.remove("tenant_user_id");
        assertError(api.post("/v1/connect/sessions", body), 400, "invalid_request", "missing_fields", "tenant_user_id");
    }
}
