package org.openfinq.server.bridge.gocardless;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.conformance.FormScaDriver;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.tenant.Secrets;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GoCardless Bank Account Data v2 facade over real HTTP, as a GoCardless client drives it, with the end-user's
 * browser scripted through the Connect pages and the sandbox bank: tokens, institutions, agreements, requisitions
 * (statuses, pagination, link, ?ref=), account data checked against /v1 for the same consent, errors in GoCardless's
 * shape, rate-limit headers, the EUA-expired 401, revoked pairs, other users' ids, and the lockout.
 */
class GocardlessApiTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static Tenants.Creds other;
    static final String APP = "https://app.example/gc-done";

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"));
        api = server.api();
        tenant = Tenants.create(api, "gocardless", Flows.AIS);
        other = Tenants.create(api, "gocardless-other", Flows.AIS);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    // --- a GoCardless client -------------------------------------------------------------------------------------

    record Pair(String secretId, String secretKey) {
    }

    static Pair pair(Tenants.Creds t, String user) {
        Api.Response r = api.admin("POST", "/admin/tenants/" + t.clientId() + "/gocardless/secrets", Map.of("tenant_user_id", user));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Pair(r.text("secret_id"), r.text("secret_key"));
    }

    static Api.Response token(Pair p) {
        return api.send("POST", "/api/v2/token/new/", Map.of("Content-Type", "application/json"),
                Api.JSON.writeValueAsString(Map.of("secret_id", p.secretId(), "secret_key", p.secretKey())));
    }

    static String access(Pair p) {
        Api.Response r = token(p);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.text("access");
    }

    static Api.Response gc(String method, String path, String access, Object body) {
        Map<String, String> h = new LinkedHashMap<>();
        if (access != null) {
            h.put("Authorization", "Bearer " + access);
        }
        if (body != null) {
            h.put("Content-Type", "application/json");
        }
        return api.send(method, "/api/v2/" + path, h, body == null ? null : Api.JSON.writeValueAsString(body));
    }

    static void assertGcError(Api.Response r, int status, String summaryPart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("status_code").asInt()).isEqualTo(status);
        assertThat(r.json().path("summary").asString()).contains(summaryPart);
        assertThat(r.json().path("detail").isString()).isTrue();
    }

    static String header(Api.Response r, String name) {
        return r.raw().headers().firstValue(name).orElse(null);
    }

    static String location(Api.Response r) {
        return r.raw().headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + r.status() + " " + r.body()));
    }

    /** The end-user's browser on the requisition's link: Connect pages, the sandbox bank (approve or deny), back. */
    static URI browse(String link, boolean approve) {
        URI l = URI.create(link);
        Api.Response r = api.send("GET", l.getRawPath(), Map.of(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        URI connect = URI.create(location(r));
        Api.Response open = api.send("GET", connect.getRawPath(), Map.of(), null);
        assertThat(open.status()).as(open.body()).isEqualTo(303);
        String setCookie = header(open, "Set-Cookie");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String flow = location(open);
        Map<String, String> c = Map.of("Cookie", cookie);
        Api.Response picker = api.send("GET", flow, c, null);
        assertThat(picker.status()).isEqualTo(200);
        String skill = URLEncoder.encode(Flows.AIS, StandardCharsets.UTF_8);
        assertThat(api.send("GET", flow + "/consent?skill=" + skill, c, null).status()).isEqualTo(200);
        Api.Response authorize = api.send("POST", flow + "/authorize", Map.of("Cookie", cookie,
                "Content-Type", "application/x-www-form-urlencoded"), "skill=" + skill);
        assertThat(authorize.status()).as(authorize.body()).isEqualTo(303);
        Api.Response bank = api.send("GET", flow + "/bank", c, null);
        URI bankPage = URI.create(href(bank.body()));
        URI fromBank = approve ? FormScaDriver.sandbox().approve(bankPage, "alice", "sandbox")
                : FormScaDriver.sandbox().deny(bankPage, "alice", "sandbox");
        URI toResult = Flows.receive(api, fromBank);
        Api.Response result = api.send("GET", toResult.getRawPath() + "?" + toResult.getRawQuery(), c, null);
        assertThat(result.status()).as(result.body()).isEqualTo(200);
        URI back = URI.create(href(result.body()));
        assertThat(back.getRawPath()).startsWith("/api/v2/link/");
        Api.Response end = api.send("GET", back.getRawPath() + "?" + back.getRawQuery(), Map.of(), null);
        assertThat(end.status()).as(end.body()).isEqualTo(302);
        return URI.create(location(end));
    }

    static String href(String html) {
        Matcher m = Pattern.compile("<a class=\"button\" data-auto-follow href=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    /** A linked requisition of the pair's user: its id and accounts. */
    static JsonNode linked(String access, String reference) {
        Api.Response created = gc("POST", "requisitions/", access, Map.of("redirect", APP, "institution_id",
                "SANDBOXFINANCE_SFIN0000", "reference", reference));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        URI end = browse(created.text("link"), true);
        assertThat(end.toString()).isEqualTo(APP + "?ref=" + reference);
        String id = created.text("id");
        JsonNode r = null;
        for (int i = 0; i < 600; i++) {
            r = gc("GET", "requisitions/" + id + "/", access, null).json();
            if (r.path("status").asString().equals("LN") && !r.path("accounts").isEmpty()) {
                break;
            }
            sleep(100);
        }
        assertThat(r.path("status").asString()).isEqualTo("LN");
        return r;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** /v1 access to the consent behind an account (the bridge keeps no /v1 token): a token of our own set on it. */
    static Flows.Credentials v1Credentials(String accountId) throws Exception {
        try (Connection c = db.connect()) {
            PreparedStatement q = c.prepareStatement("select consent_id from account where id = ?::uuid");
            q.setString(1, accountId);
            ResultSet rs = q.executeQuery();
            assertThat(rs.next()).isTrue();
            String consent = rs.getString(1);
            String token = Secrets.newSecret();
            PreparedStatement u = c.prepareStatement("update consent set access_token_hash = ? where id = ?::uuid");
            u.setString(1, Secrets.hash(token));
            u.setString(2, consent);
            assertThat(u.executeUpdate()).isOne();
            Flows.awaitSync(db, consent);
            return new Flows.Credentials(consent, token);
        }
    }

    static List<JsonNode> v1(Flows.Credentials c, String user, String what) {
        Api.Response r = Flows.data(api, tenant, c, user, what, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    static BigDecimal signed(JsonNode d, String field) {
        BigDecimal v = new BigDecimal(d.get(field).asString());
        return d.get("credit_debit_indicator").asString().equals("debit") ? v.negate() : v;
    }

    // --- tests ---------------------------------------------------------------------------------------------------

    @Test
    void aRequisitionLinksThroughConnectAndEveryValueMatchesV1() throws Exception {
        Pair p = pair(tenant, "gc-alice");
        Api.Response t = token(p);
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        assertThat(t.json().path("access_expires").asLong()).isEqualTo(86400);
        assertThat(t.json().path("refresh_expires").asLong()).isEqualTo(2592000);
        JsonNode claims = Api.JSON.readTree(java.util.Base64.getUrlDecoder().decode(t.text("access").split("\\.")[1]));
        assertThat(claims.path("exp").asLong()).isBetween(java.time.Instant.now().getEpochSecond() + 86000,
                java.time.Instant.now().getEpochSecond() + 86500);
        Api.Response refreshed = gc("POST", "token/refresh/", null, Map.of("refresh", t.text("refresh")));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        String access = refreshed.text("access");

        Api.Response institutions = gc("GET", "institutions/?country=RO", access, null);
        assertThat(institutions.status()).as(institutions.body()).isEqualTo(200);
        assertThat(institutions.json().findValuesAsString("id")).contains("SANDBOXFINANCE_SFIN0000");
        assertThat(gc("GET", "institutions/?country=DE", access, null).json().size()).isZero();
        Api.Response sandbox = gc("GET", "institutions/SANDBOXFINANCE_SFIN0000", access, null);
        assertThat(sandbox.status()).as(sandbox.body()).isEqualTo(200);
        assertThat(sandbox.text("transaction_total_days")).isEqualTo("730");
        assertThat(sandbox.text("max_access_valid_for_days")).isEqualTo("90");
        assertThat(sandbox.text("bic")).isEqualTo("SFIN0000");

        Api.Response agreement = gc("POST", "agreements/enduser/", access, Map.of("institution_id", "SANDBOXFINANCE_SFIN0000",
                "max_historical_days", "90", "access_valid_for_days", 90, "access_scope", List.of("balances", "details", "transactions")));
        assertThat(agreement.status()).as(agreement.body()).isEqualTo(201);
        assertThat(agreement.json().path("accepted").isNull()).isTrue();
        Api.Response created = gc("POST", "requisitions", access, Map.of("redirect", APP, "institution_id", "SANDBOXFINANCE_SFIN0000",
                "agreement", agreement.text("id"), "reference", "ref-1", "user_language", "EN"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.text("status")).isEqualTo("CR");
        assertThat(created.text("link")).startsWith(server.baseUrl() + "/api/v2/link/");
        assertThat(created.json().path("accounts").isEmpty()).isTrue();
        assertGcError(gc("POST", "requisitions/", access, Map.of("redirect", APP, "institution_id", "SANDBOXFINANCE_SFIN0000",
                "reference", "ref-1")), 400, "reference");

        URI end = browse(created.text("link"), true);
        assertThat(end.toString()).isEqualTo(APP + "?ref=ref-1");
        String id = created.text("id");
        JsonNode r = null;
        for (int i = 0; i < 600; i++) {
            r = gc("GET", "requisitions/" + id, access, null).json();
            if (!r.path("accounts").isEmpty()) {
                break;
            }
            sleep(100);
        }
        assertThat(r.path("status").asString()).isEqualTo("LN");
        assertThat(r.path("agreement").asString()).isEqualTo(agreement.text("id"));
        // the link is used up
        assertGcError(api.send("GET", URI.create(created.text("link")).getRawPath(), Map.of(), null), 400, "Link used");

        String user = "gc-alice";
        Flows.Credentials v1 = v1Credentials(r.path("accounts").get(0).asString());
        r = gc("GET", "requisitions/" + id + "/", access, null).json(); // the first sync has ended
        List<JsonNode> accounts = v1(v1, user, "accounts");
        assertThat(r.path("accounts").size()).isEqualTo(accounts.size());
        List<JsonNode> balances = v1(v1, user, "balances");
        List<JsonNode> transactions = v1(v1, user, "transactions");
        for (JsonNode a : accounts) {
            String acc = a.get("id").asString();
            assertThat(r.path("accounts").findValuesAsString("")).isEmpty();
            Api.Response meta = gc("GET", "accounts/" + acc, access, null);
            assertThat(meta.status()).as(meta.body()).isEqualTo(200);
            String iban = a.path("data").path("account_schemes").get(0).path("identification").asString();
            assertThat(meta.text("iban")).isEqualTo(iban);
            assertThat(meta.text("status")).isEqualTo("READY");
            assertThat(meta.text("institution_id")).isEqualTo("SANDBOXFINANCE_SFIN0000");
            assertThat(header(meta, "http_x_ratelimit_account_success_limit")).isEqualTo("4");
            assertThat(Integer.parseInt(header(meta, "http_x_ratelimit_account_success_remaining"))).isBetween(0, 4);
            assertThat(header(meta, "http_x_ratelimit_limit")).isNotNull();
            assertThat(Integer.parseInt(header(meta, "http_x_ratelimit_remaining"))).isPositive();

            Api.Response details = gc("GET", "accounts/" + acc + "/details/", access, null);
            assertThat(details.status()).as(details.body()).isEqualTo(200);
            JsonNode d = details.json().path("account");
            assertThat(d.path("resourceId").asString()).isEqualTo(acc);
            assertThat(d.path("iban").asString()).isEqualTo(iban);
            assertThat(d.path("currency").asString()).isEqualTo(a.path("data").path("currency").asString());

            Api.Response bal = gc("GET", "accounts/" + acc + "/balances", access, null);
            assertThat(bal.status()).as(bal.body()).isEqualTo(200);
            List<JsonNode> ours = balances.stream().filter(b -> b.get("account_id").asString().equals(acc)).toList();
            assertThat(bal.json().path("balances").size()).isEqualTo(ours.size()).isPositive();
            List<String> types = new ArrayList<>();
            for (JsonNode b : ours) {
                String v1Type = b.path("data").path("type").asString();
                String type = Character.toLowerCase(v1Type.charAt(0)) + v1Type.substring(1);
                types.add(type);
                JsonNode g = null;
                for (JsonNode x : bal.json().path("balances")) {
                    if (x.path("balanceType").asString().equals(type)) {
                        g = x;
                    }
                }
                assertThat(g).as("balance %s", type).isNotNull();
                assertThat(new BigDecimal(g.path("balanceAmount").path("amount").asString())).isEqualByComparingTo(signed(b.get("data"), "amount"));
                assertThat(g.path("balanceAmount").path("currency").asString()).isEqualTo(b.path("data").path("currency").asString());
            }
            assertThat(types).contains("interimAvailable");

            Api.Response tx = gc("GET", "accounts/" + acc + "/transactions", access, null);
            assertThat(tx.status()).as(tx.body()).isEqualTo(200);
            JsonNode booked = tx.json().path("transactions").path("booked");
            JsonNode pending = tx.json().path("transactions").path("pending");
            assertThat(booked.isArray() && pending.isArray()).isTrue();
            List<JsonNode> mine = transactions.stream().filter(x -> x.get("account_id").asString().equals(acc)).toList();
            assertThat(booked.size() + pending.size()).isEqualTo(mine.size()).isPositive();
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            booked.forEach(x -> byId.put(x.path("internalTransactionId").asString(), x));
            pending.forEach(x -> byId.put(x.path("internalTransactionId").asString(), x));
            for (JsonNode v : mine) {
                JsonNode g = byId.get(v.get("utx_id").asString());
                assertThat(g).as("transaction %s", v.get("utx_id")).isNotNull();
                JsonNode vd = v.get("data");
                assertThat(new BigDecimal(g.path("transactionAmount").path("amount").asString())).isEqualByComparingTo(signed(vd, "amount"));
                assertThat(g.path("transactionAmount").path("currency").asString()).isEqualTo(vd.path("currency").asString());
                if (vd.path("status").asString().equals("booked")) {
                    assertThat(g.path("transactionId").asString()).isEqualTo(v.get("utx_id").asString());
                    assertThat(java.time.Instant.parse(g.path("bookingDateTime").asString()))
                            .isEqualTo(java.time.Instant.parse(vd.path("booking_date_time").asString()));
                    assertThat(g.path("bookingDate").asString()).isEqualTo(vd.path("booking_date_time").asString().substring(0, 10));
                } else {
                    assertThat(g.has("transactionId")).isFalse();
                }
                if (!vd.path("info").isNull()) {
                    assertThat(g.path("remittanceInformationUnstructured").asString()).isEqualTo(vd.path("info").asString());
                }
                if (!vd.path("details").path("merchant").isNull()) {
                    String name = signed(vd, "amount").signum() < 0 ? "creditorName" : "debtorName";
                    assertThat(g.path(name).asString()).isEqualTo(vd.path("details").path("merchant").asString());
                }
            }
            // a date window: only booked ones whose booking date is inside it
            String day = booked.get(0).path("bookingDate").asString();
            Api.Response window = gc("GET", "accounts/" + acc + "/transactions/?date_from=" + day + "&date_to=" + day, access, null);
            assertThat(window.status()).isEqualTo(200);
            long expected = mine.stream().filter(v -> v.get("data").path("status").asString().equals("booked")
                    && v.get("data").path("booking_date_time").asString().startsWith(day)).count();
            assertThat(window.json().path("transactions").path("booked").size()).isEqualTo((int) expected).isPositive();
            assertGcError(gc("GET", "accounts/" + acc + "/transactions/?date_from=01-01-2025", access, null), 400, "date");
        }

        // lists and paging
        linked(access, "ref-2");
        Api.Response page = gc("GET", "requisitions/?limit=1", access, null);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.json().path("count").asInt()).isEqualTo(2);
        assertThat(page.json().path("results").size()).isOne();
        assertThat(page.json().path("previous").isNull()).isTrue();
        assertThat(page.json().path("next").asString()).isEqualTo(server.baseUrl() + "/api/v2/requisitions/?limit=1&offset=1");
        Api.Response second = gc("GET", "requisitions?limit=1&offset=1", access, null);
        assertThat(second.json().path("next").isNull()).isTrue();
        assertThat(second.json().path("results").get(0).path("id").asString())
                .isNotEqualTo(page.json().path("results").get(0).path("id").asString());
        assertGcError(gc("GET", "requisitions/?limit=x", access, null), 400, "limit");

        // delete: the consent goes with it
        Api.Response deleted = gc("DELETE", "requisitions/" + id + "/", access, null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.text("summary")).isEqualTo("Requisition deleted");
        assertThat(deleted.text("detail")).contains(id);
        assertGcError(gc("GET", "requisitions/" + id + "/", access, null), 404, "Not found");
        assertGcError(gc("GET", "agreements/enduser/" + agreement.text("id") + "/", access, null), 404, "Not found");
        assertThat(Flows.consent(api, tenant, v1, "get").json().path("result").path("status").asString()).isEqualTo("DELETED");
        assertGcError(gc("GET", "accounts/" + accounts.get(0).get("id").asString() + "/balances/", access, null), 404, "Account");
    }

    @Test
    void aDeniedConsentRejectsTheRequisitionAndStillSendsTheReference() {
        String access = access(pair(tenant, "gc-denied"));
        Api.Response created = gc("POST", "requisitions/", access, Map.of("redirect", APP + "?x=1", "institution_id",
                "SANDBOXFINANCE_SFIN0000", "reference", "deny-1"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // a request to the return URL while the flow is under way rejects nothing
        assertThat(api.send("GET", URI.create(created.text("link")).getRawPath(), Map.of(), null).status()).isEqualTo(302);
        assertThat(gc("GET", "requisitions/" + created.text("id") + "/", access, null).text("status")).isEqualTo("CR");
        Api.Response early = api.send("GET", "/api/v2/link/" + created.text("id") + "/return?error=user_cancelled", Map.of(), null);
        assertGcError(early, 400, "Link in progress");
        assertThat(gc("GET", "requisitions/" + created.text("id") + "/", access, null).text("status")).isEqualTo("CR");
        URI end = browse(created.text("link"), false);
        assertThat(end.toString()).startsWith(APP + "?x=1&ref=deny-1&error=");
        assertThat(gc("GET", "requisitions/" + created.text("id") + "/", access, null).text("status")).isEqualTo("RJ");
    }

    @Test
    void aConsentPastItsExpiryAnswersTheEuaExpired401() throws Exception {
        String access = access(pair(tenant, "gc-expiry"));
        JsonNode r = linked(access, "exp-1");
        String account = r.path("accounts").get(0).asString();
        try (Connection c = db.connect()) {
            PreparedStatement u = c.prepareStatement("update consent set consent_exp = now() - interval '1 minute' "
                    + "where id = (select consent_id from account where id = ?::uuid)");
            u.setString(1, account);
            assertThat(u.executeUpdate()).isOne();
        }
        for (String what : List.of("details", "balances", "transactions")) {
            Api.Response e = gc("GET", "accounts/" + account + "/" + what + "/", access, null);
            assertGcError(e, 401, "has expired");
            // Actual's and the Firefly III importer's tests of that answer
            assertThat(e.text("summary")).matches("(?i).*end user agreement.*expired.*");
            assertThat(e.text("detail")).contains("connect the account once more");
        }
        assertThat(gc("GET", "requisitions/" + r.path("id").asString(), access, null).text("status")).isEqualTo("EX");
        assertThat(gc("GET", "accounts/" + account, access, null).text("status")).isEqualTo("EXPIRED");
    }

    @Test
    void errorsHaveGocardlessShapeAndOtherUsersIdsAreNotFound() {
        Pair mine = pair(tenant, "gc-owner");
        String access = access(mine);
        JsonNode r = linked(access, "own-1");
        String account = r.path("accounts").get(0).asString();

        // no token, a wrong one, a refresh token as access token
        assertGcError(gc("GET", "requisitions/", null, null), 401, "Invalid token");
        assertGcError(gc("GET", "requisitions/", "x.y.z", null), 401, "Invalid token");
        String refresh = token(mine).text("refresh");
        assertGcError(gc("GET", "requisitions/", refresh, null), 401, "Invalid token");
        String[] parts = access.split("\\.");
        assertGcError(gc("GET", "requisitions/", parts[0] + "." + parts[1] + ".AAAA", null), 401, "Invalid token");
        // bad input
        assertGcError(gc("POST", "requisitions/", access, Map.of("institution_id", "SANDBOXFINANCE_SFIN0000")), 400, "redirect");
        assertGcError(gc("POST", "requisitions/", access, Map.of("redirect", "not a url", "institution_id", "SANDBOXFINANCE_SFIN0000")), 400, "redirect");
        assertGcError(gc("POST", "agreements/enduser/", access, Map.of("institution_id", "SANDBOXFINANCE_SFIN0000",
                "max_historical_days", 5000)), 400, "max_historical_days");
        assertGcError(gc("GET", "institutions/NOPE_XXX/", access, null), 404, "Not found");
        assertGcError(gc("GET", "institutions/?country=ROU", access, null), 400, "country");
        assertGcError(api.send("POST", "/api/v2/requisitions/", Map.of("Authorization", "Bearer " + access,
                "Content-Type", "application/json"), "{not json"), 400, "");
        assertGcError(gc("GET", "accounts/not-a-uuid/", access, null), 404, "Account");
        assertGcError(gc("POST", "token/new/", null, Map.of("secret_id", mine.secretId(), "secret_key", "wrong")), 401,
                "Authentication failed");

        // another user of the same tenant, and another tenant: no id of ours is found, nothing leaks
        for (String foreign : List.of(access(pair(tenant, "gc-someone-else")), access(pair(other, "gc-owner")))) {
            for (String path : List.of("requisitions/" + r.path("id").asString() + "/", "accounts/" + account + "/",
                    "accounts/" + account + "/transactions/", "accounts/" + account + "/balances/")) {
                Api.Response e = gc("GET", path, foreign, null);
                assertGcError(e, 404, "");
                assertThat(e.body()).doesNotContain("gc-owner").doesNotContain("own-1");
            }
            assertGcError(gc("DELETE", "requisitions/" + r.path("id").asString() + "/", foreign, null), 404, "");
            assertThat(gc("GET", "requisitions/", foreign, null).json().path("count").asInt()).isZero();
        }
        assertThat(gc("GET", "requisitions/" + r.path("id").asString(), access, null).status()).isEqualTo(200);

        // a revoked pair: no new token, and its tokens stop working at once
        Api.Response revoked = api.admin("DELETE", "/admin/tenants/" + tenant.clientId() + "/gocardless/secrets/" + mine.secretId(), null);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        assertGcError(token(mine), 401, "Authentication failed");
        assertGcError(gc("GET", "requisitions/", access, null), 401, "Invalid token");
        assertGcError(gc("POST", "token/refresh/", null, Map.of("refresh", refresh)), 401, "Invalid token");
        Api.Response list = api.admin("GET", "/admin/tenants/" + tenant.clientId() + "/gocardless/secrets", null);
        assertThat(list.body()).doesNotContain(mine.secretKey()).contains("revoked");
        // a new pair of the same user sees the user's requisitions
        String again = access(pair(tenant, "gc-owner"));
        assertThat(gc("GET", "requisitions/" + r.path("id").asString() + "/", again, null).text("status")).isEqualTo("LN");
    }

    @Test
    void repeatedBadSecretsLockTheAddressOut() {
        try (TestServer strict = TestServer.start(db, Map.of("openfinq.limits.auth-failures", "3"))) {
            Pair p = pair(tenant, "gc-lockout");
            Api s = strict.api();
            String wrong = Api.JSON.writeValueAsString(Map.of("secret_id", p.secretId(), "secret_key", "nope"));
            int status = 0;
            for (int i = 0; i < 5 && status != 429; i++) {
                status = s.send("POST", "/api/v2/token/new/", Map.of("Content-Type", "application/json"), wrong).status();
            }
            assertThat(status).isEqualTo(429);
            Api.Response right = s.send("POST", "/api/v2/token/new/", Map.of("Content-Type", "application/json"),
                    Api.JSON.writeValueAsString(Map.of("secret_id", p.secretId(), "secret_key", p.secretKey())));
            assertGcError(right, 429, "");
            assertThat(header(right, "Retry-After")).isNotNull();
        } finally {
            try (Connection c = db.connect()) {
                c.createStatement().executeUpdate("delete from auth_failure");
                sleep(1500); // each node's copy of the lockouts is reloaded every second
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theRetentionJobEnforcesTheTablesLifetimes() throws Exception {
        Pair unused = pair(tenant, "gc-retention");
        Pair revoked = pair(tenant, "gc-retention");
        Pair live = pair(tenant, "gc-retention");
        String access = access(live);
        String oldAgreement = gc("POST", "agreements/enduser/", access, Map.of("institution_id", "SANDBOXFINANCE_SFIN0000")).text("id");
        String freshAgreement = gc("POST", "agreements/enduser/", access, Map.of("institution_id", "SANDBOXFINANCE_SFIN0000")).text("id");
        String stale = gc("POST", "requisitions/", access, Map.of("redirect", APP, "institution_id", "SANDBOXFINANCE_SFIN0000",
                "agreement", oldAgreement, "reference", "ret-stale")).text("id");
        String fresh = gc("POST", "requisitions/", access, Map.of("redirect", APP, "institution_id", "SANDBOXFINANCE_SFIN0000",
                "reference", "ret-fresh")).text("id");
        String expired = linked(access, "ret-expired").path("id").asString();
        String current = linked(access, "ret-current").path("id").asString();
        try (Connection c = db.connect()) {
            c.createStatement().executeUpdate("update gocardless_secret set created_at = now() - interval '401 days' where id = '"
                    + unused.secretId() + "'");
            c.createStatement().executeUpdate("update gocardless_secret set revoked_at = now() - interval '31 days' where id = '"
                    + revoked.secretId() + "'");
            c.createStatement().executeUpdate("update gocardless_requisition set created_at = now() - interval '8 days' where id = '"
                    + stale + "'");
            c.createStatement().executeUpdate("update gocardless_agreement set created_at = now() - interval '8 days' where id = '"
                    + oldAgreement + "'");
            c.createStatement().executeUpdate("update gocardless_requisition set expires_at = now() - interval '31 days' where id = '"
                    + expired + "'");
        }
        int[] n = server.bean(GocardlessBridge.class).retention();
        assertThat(n[0]).as("unused pairs revoked").isGreaterThanOrEqualTo(1);
        assertThat(n[1]).as("revoked pairs deleted").isGreaterThanOrEqualTo(1);
        assertThat(n[2]).as("requisitions deleted").isGreaterThanOrEqualTo(2);
        assertThat(n[3]).as("agreements deleted").isGreaterThanOrEqualTo(1);
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode s : api.admin("GET", "/admin/tenants/" + tenant.clientId() + "/gocardless/secrets", null).json()) {
            states.put(s.get("secret_id").asString(), s.get("state").asString());
        }
        assertThat(states.get(unused.secretId())).isEqualTo("revoked");
        assertThat(states).doesNotContainKey(revoked.secretId());
        assertThat(states.get(live.secretId())).isEqualTo("active");
        assertGcError(token(unused), 401, "Authentication failed");
        assertGcError(gc("GET", "requisitions/" + stale + "/", access, null), 404, "Not found");
        assertGcError(gc("GET", "requisitions/" + expired + "/", access, null), 404, "Not found");
        assertGcError(gc("GET", "agreements/enduser/" + oldAgreement + "/", access, null), 404, "Not found");
        assertThat(gc("GET", "requisitions/" + fresh + "/", access, null).status()).isEqualTo(200);
        assertThat(gc("GET", "requisitions/" + current + "/", access, null).text("status")).isEqualTo("LN");
        assertThat(gc("GET", "agreements/enduser/" + freshAgreement + "/", access, null).status()).isEqualTo(200);
    }

    @Test
    void theAdminCliIssuesListsAndRevokesPairs() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Map<String, Object> props = new java.util.HashMap<>(TestServer.properties(db));
        props.put("openfinq.encryption-keys", TestServer.ENCRYPTION_KEYS); // as the operator's environment has it
        int exit = org.openfinq.server.admin.AdminCli.run(new String[]{"bridge", "gocardless-secret", tenant.clientId(), "gc-cli"},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8), props);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Matcher m = Pattern.compile("secret_id:\\s+(\\S+)\\s+secret_key:\\s+(\\S+)").matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
        Pair p = new Pair(m.group(1), m.group(2));
        String access = access(p);
        assertThat(gc("GET", "requisitions/", access, null).status()).isEqualTo(200);
        out.reset();
        exit = org.openfinq.server.admin.AdminCli.run(new String[]{"bridge", "gocardless-revoke", tenant.clientId(), p.secretId()},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8), props);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertGcError(gc("GET", "requisitions/", access, null), 401, "Invalid token");
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select action from audit_event where target = '" + p.secretId() + "' order by 1")) {
            List<String> actions = new ArrayList<>();
            while (rs.next()) {
                actions.add(rs.getString(1));
            }
            assertThat(actions).containsExactly("gocardless.secret.issue", "gocardless.secret.revoke");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void readsCallNoBankAndTheHeadersReportTheRealAllowances() throws Exception {
        Tenants.Creds own = Tenants.create(api, "gocardless-rate", Flows.AIS);
        String access = access(pair(own, "gc-rate"));
        String account = linked(access, "rate-1").path("accounts").get(0).asString();
        String consent;
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select consent_id from account where id = '" + account + "'")) {
            rs.next();
            consent = rs.getString(1);
        }
        Flows.awaitSync(db, consent);
        String jobs = "select count(*) from sync_job where consent_id = '" + consent + "'";
        String calls = "select count(*) from unattended_call where consent_id = '" + consent + "'";
        long jobsBefore = count(jobs);
        long callsBefore = count(calls);
        for (int i = 0; i < 5; i++) {
            for (String what : List.of("", "details/", "balances/", "transactions/")) {
                assertThat(gc("GET", "accounts/" + account + "/" + what, access, null).status()).isEqualTo(200);
            }
        }
        assertThat(count(jobs)).as("reads queue no sync").isEqualTo(jobsBefore);
        assertThat(count(calls)).as("reads make no bank call").isEqualTo(callsBefore);

        // the bank's unattended allowance of the consent (sandbox profile: 4 a day): two refreshes logged 1 and 2 hours ago
        try (Connection c = db.connect()) {
            c.createStatement().executeUpdate("insert into unattended_call (consent_id, at) values ('" + consent
                    + "', now() - interval '1 hour'), ('" + consent + "', now() - interval '2 hours')");
        }
        long used = count(calls + " and at > now() - interval '24 hours'");
        Api.Response read = gc("GET", "accounts/" + account + "/transactions/", access, null);
        assertThat(header(read, "http_x_ratelimit_account_success_limit")).isEqualTo("4");
        assertThat(header(read, "http_x_ratelimit_account_success_remaining")).isEqualTo(Long.toString(Math.max(0, 4 - used)));
        long reset = Long.parseLong(header(read, "http_x_ratelimit_account_success_reset"));
        assertThat(reset).as("until the call of 2 hours ago stops counting").isBetween(22 * 3600L - 60, 22 * 3600L);

        // the tenant's request budget, which /api/v2 calls spend as /v1 calls do
        Api.Response set = api.admin("PUT", "/admin/tenants/" + own.clientId() + "/rate-limit", Map.of("requests_per_minute", 20));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        sleep(1500);
        Api.Response first = gc("GET", "requisitions/", access, null);
        assertThat(header(first, "http_x_ratelimit_limit")).isEqualTo("20");
        Api.Response limited = first;
        for (int i = 0; i < 60 && limited.status() != 429; i++) {
            limited = gc("GET", "requisitions/", access, null);
        }
        assertGcError(limited, 429, "Rate limit exceeded");
        assertThat(header(limited, "http_x_ratelimit_remaining")).isEqualTo("0");
        assertThat(header(limited, "Retry-After")).isNotNull();
    }

    @Test
    void noSpellingOfAnAccountPathServesDataWithoutAToken() throws Exception {
        String access = access(pair(tenant, "gc-spelling"));
        String account = linked(access, "spell-1").path("accounts").get(0).asString();
        String path = "/api/v2/accounts/" + account + "/transactions/";
        assertThat(gc("GET", "accounts/" + account + "/transactions/", access, null).status()).isEqualTo(200);
        List<String> spellings = List.of(path, path.substring(0, path.length() - 1), "/api/v2//accounts/" + account + "/transactions/",
                "/api/v2/./accounts/" + account + "/transactions/", "/api/v2/x/../accounts/" + account + "/transactions/",
                "/api/v2/%61ccounts/" + account + "/transactions/", "/api/v2/accounts;x=1/" + account + "/transactions/",
                "/API/v2/accounts/" + account + "/transactions/", "/api/v2/token/../accounts/" + account + "/transactions/",
                "/api/v2/link/../accounts/" + account + "/transactions/", "/api/v2/token/new/../../accounts/" + account + "/transactions/",
                "/api/v2/accounts/" + account + "/transactions%2F", "//api/v2/accounts/" + account + "/transactions/");
        Map<String, String> statuses = new LinkedHashMap<>();
        java.net.URI base = java.net.URI.create(server.baseUrl());
        for (String spelling : spellings) {
            for (String auth : new String[]{null, "Bearer x.y.z", "Bearer " + TestServer.ADMIN_TOKEN}) {
                try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(("GET " + spelling + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + (auth == null ? "" : "Authorization: " + auth + "\r\n") + "Connection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    String status = answer.substring(0, answer.indexOf("\r\n"));
                    statuses.put(spelling + " " + (auth == null ? "-" : auth.substring(0, 9)), status);
                    assertThat(status).as("%s with %s", spelling, auth).doesNotContain(" 200 ");
                    assertThat(answer).doesNotContain("\"booked\"").doesNotContain("transactionAmount");
                }
            }
        }
        System.out.println("GoCardless path spellings without a valid token: " + statuses);
    }

    @Test
    void theEndpointsAreInTheServedOpenApi() {
        JsonNode doc = api.send("GET", "/openapi.json", Map.of(), null).json();
        for (String path : List.of("/api/v2/token/new/", "/api/v2/institutions/", "/api/v2/requisitions/", "/api/v2/requisitions/{id}/",
                "/api/v2/accounts/{id}/transactions/", "/api/v2/agreements/enduser/", "/admin/tenants/{clientId}/gocardless/secrets")) {
            assertThat(doc.path("paths").has(path)).as(path).isTrue();
        }
        assertThat(doc.path("components").path("schemas").path("GocardlessTransaction").path("properties").has("bookingDate")).isTrue();
    }
}
