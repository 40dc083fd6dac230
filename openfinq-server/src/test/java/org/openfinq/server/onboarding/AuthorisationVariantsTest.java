package org.openfinq.server.onboarding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openfinq.connector.conformance.Browser;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.bank.BankProfiles;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NextGenPSD2 authorisation variants end to end over real HTTP: the server, the Berlin Group connector and the
 * sandbox bank. Each variant completes an AIS consent (temp_token, token, account data) and a payment, and its deny
 * path fails cleanly: implicit redirect (the built-in sandbox profile), explicit start (a profile that asks for it with
 * {@code TPP-Explicit-Authorisation-Preferred}), OAuth2 SCA (the sandbox bank's API under {@code /oauth}) and decoupled
 * (a profile with {@code sca_approach DECOUPLED}; the PSU approves in the bank's app, here its app API).
 */
class AuthorisationVariantsTest {

    static final String EXPLICIT_SERVICER = "7c000000-0000-4000-8000-000000000001";
    static final String OAUTH_SERVICER = "7c000000-0000-4000-8000-000000000002";
    static final String DECOUPLED_SERVICER = "7c000000-0000-4000-8000-000000000003";

    /** The tenant's display name: not ASCII, with a plus, as the bank's pages must show it. */
    static final String APP = "Bugetul Meu Ș+";

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Api bank;
    static Tenants.Creds tenant;
    static SandboxData data;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("openfinq-variants-");
        List<String> profiles = new ArrayList<>();
        profiles.add(profile("variant-explicit", "embedded", "REDIRECT", "\"explicit_start\": \"true\"").toString());
        profiles.add(profile("variant-oauth", "embedded/oauth", "OAUTH", "\"oauth.client_id\": \"PSDRO-TEST-12345\"").toString());
        profiles.add(profile("variant-decoupled", "embedded", "DECOUPLED", null).toString());
        StringBuilder servicers = new StringBuilder();
        StringBuilder skills = new StringBuilder();
        for (String[] v : List.of(new String[]{"explicit", EXPLICIT_SERVICER}, new String[]{"oauth", OAUTH_SERVICER},
                new String[]{"decoupled", DECOUPLED_SERVICER})) {
            servicers.append(servicers.isEmpty() ? "" : ",").append("""
                    {"id": "%s", "name": "Sandbox Bank (%s)", "country": "Romania", "country_code": "RO", "bank_profile": "variant-%s"}
                    """.formatted(v[1], v[0], v[0]));
            skills.append(skills.isEmpty() ? "" : ",").append("""
                    {"id": "%s", "name": "AIS %s", "type": "aisp", "environment": "sandbox", "servicer_id": "%s",
                     "steps": [{"name": "sca", "order": 1}]},
                    {"id": "%s", "name": "PIS %s", "type": "pisp", "environment": "sandbox", "servicer_id": "%s",
                     "steps": [{"name": "payment_intent", "order": 1}]}
                    """.formatted(ais(v[0]), v[0], v[1], pis(v[0]), v[0], v[1]));
        }
        Path catalog = dir.resolve("catalog.json");
        Files.writeString(catalog, "{\"servicers\": [" + servicers + "], \"skills\": [" + skills + "]}");
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.bank-profile-files", String.join(",", profiles),
                "openfinq.catalog-files", catalog.toString(), "openfinq.sandbox-bank.large-psu-transactions", "0"));
        api = server.api();
        bank = new Api(server.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString());
        List<String> all = new ArrayList<>(List.of(Flows.AIS, Flows.PIS));
        for (String v : List.of("explicit", "oauth", "decoupled")) {
            all.add(ais(v));
            all.add(pis(v));
        }
        tenant = Tenants.create(api, "variants", all.toArray(String[]::new));
        Api.Response named = api.admin("PATCH", "/admin/tenants/" + tenant.clientId(), Api.object("display_name", APP));
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        data = new SandboxData(42, LocalDate.of(2025, 1, 1), 0, LocalDate.now(ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String ais(String variant) {
        return variant.equals("redirect") ? Flows.AIS : "variant_" + variant + "_aisp_sbx_#1.0";
    }

    static String pis(String variant) {
        return variant.equals("redirect") ? Flows.PIS : "variant_" + variant + "_pisp_sbx_#1.0";
    }

    static Path profile(String id, String base, String approach, String quirk) throws Exception {
        Path p = dir.resolve(id + ".json");
        Files.writeString(p, """
                {"id": "%s", "name": "Sandbox Bank", "protocol": "berlingroup", "base_url": "%s", "sca_approach": "%s",
                 "payment_products": ["domestic-credit-transfers", "sepa-credit-transfers"],
                 "quirks": {"payment_product.RON": "domestic-credit-transfers", "header.requesting_app": "X-Requesting-App"%s}}
                """.formatted(id, base, approach, quirk == null ? "" : ", " + quirk));
        return p;
    }

    // ---- helpers

    record Started(String sessionId, Api.Response step) {
        String nonce() {
            return step.text("nonce");
        }
    }

    static Started sca(String variant, String psu) {
        Flows.Session s = Flows.session(api, tenant, ais(variant), "user-" + variant);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("psu_redirect_link", "https://app.example/done");
        if (psu != null) {
            d.put("psu_id", psu);
        }
        Api.Response step = Flows.step(api, tenant, s.id(), s.nonce(), ais(variant), "sca", d);
        assertThat(step.status()).as(step.body()).isEqualTo(200);
        assertThat(step.text("status")).isEqualTo("SESSION_IN_PROGRESS");
        return new Started(s.id(), step);
    }

    static Started pay(String variant, String psu) {
        Flows.Session s = Flows.session(api, tenant, pis(variant), "payer-" + variant);
        Map<String, Object> amount = new LinkedHashMap<>(Map.of("amount", "12.50", "currency", "RON"));
        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("end_to_end_id", "VARIANT-" + variant.toUpperCase(java.util.Locale.ROOT));
        transfer.put("instructed_amount", amount);
        String creditor = psu.equals("bogdan") ? "carmen" : "bogdan";
        transfer.put("creditor_name", data.psu(creditor).orElseThrow().name());
        transfer.put("creditor_account", Map.of("iban", iban(creditor)));
        transfer.put("remittance_information_unstructured", "Variant " + variant);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("debtor_account", Map.of("iban", iban(psu)));
        info.put("credit_transfer_transaction_info", List.of(transfer));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("psu_redirect_link", "https://shop.example/paid");
        d.put("psu_id", psu);
        d.put("group_header", Map.of("message_id", "MSG-" + variant, "txs_no", 1));
        d.put("payment_info", List.of(info));
        Api.Response step = Flows.step(api, tenant, s.id(), s.nonce(), pis(variant), "payment_intent", d);
        assertThat(step.status()).as(step.body()).isEqualTo(200);
        assertThat(step.text("status")).isEqualTo("SESSION_IN_PROGRESS");
        return new Started(s.id(), step);
    }

    static String iban(String psu) {
        return data.psu(psu).orElseThrow().accounts().getFirst().iban();
    }

    static Api.Response status(String sessionId, String nonce) {
        return api.post("/v1/sessions/" + sessionId + "/status", Api.object("client_id", tenant.clientId(), "nonce", nonce));
    }

    static Api.Response payment(String paymentId) {
        return api.post("/v1/payments/get", Api.object("client_id", tenant.clientId(), "client_secret", tenant.clientSecret(),
                "payment_id", paymentId));
    }

    /** The session's status once it no longer waits for the bank (read with the step's nonce). */
    static Api.Response settled(Started s) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Api.Response r = status(s.sessionId(), s.nonce());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            if (!r.text("status").equals("SESSION_IN_PROGRESS") || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(200);
        }
    }

    static Set<String> accountIbans(String tempToken, String userId) {
        Api.Response token = Flows.exchange(api, tenant, tempToken);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        Flows.Credentials c = new Flows.Credentials(token.text("credentials_id"), token.text("access_token"));
        assertThat(Flows.awaitSync(db, c.credentialsId())[0]).isEqualTo("done");
        Api.Response accounts = Flows.data(api, tenant, c, userId, "accounts", null);
        assertThat(accounts.status()).as(accounts.body()).isEqualTo(200);
        Set<String> ibans = new java.util.TreeSet<>();
        accounts.json().forEach(a -> ibans.add(a.path("data").path("account_schemes").path(0).path("identification").asString()));
        return ibans;
    }

    static Set<String> ibansOf(String psu) {
        return data.psu(psu).orElseThrow().accounts().stream().map(a -> a.iban()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** What the PSU's banking app lists as waiting for approval: exactly one item of {@code kind}; its id. */
    static String pendingInApp(String psu, String kind, String idField) {
        Api.Response r = bank.send("GET", "/sandbox/v1/psus/" + psu + "/pending", Map.of(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode items = r.json().path(kind);
        assertThat(items.size()).as(r.body()).isEqualTo(1);
        assertThat(items.get(0).path("app").asString()).as("the bank's app names the requesting app").isEqualTo(APP);
        return items.get(0).path(idField).asString();
    }

    static void decideInApp(String kind, String id, String psu, boolean approve) {
        Api.Response r = bank.send("POST", "/sandbox/v1/" + kind + "/" + id + "/authorise", Map.of("Content-Type", "application/json"),
                Api.object("psuId", psu, "approve", approve).toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    // ---- redirect-type variants: implicit redirect, explicit start, OAuth2

    @ParameterizedTest
    @ValueSource(strings = {"redirect", "explicit", "oauth"})
    void aisConsentCompletesWithEachRedirectVariant(String variant) throws Exception {
        Started s = sca(variant, null);
        URI page = URI.create(s.step().json().path("data").path("url").asString());
        assertThat(s.step().json().path("data").has("sca_approach")).isFalse();
        switch (variant) {
            case "explicit" -> assertThat(page.getRawQuery()).as("the authorisation sub-resource's scaRedirect").startsWith("authorisation=");
            case "oauth" -> {
                assertThat(page.getPath()).isEqualTo("/as/authorize");
                Map<String, String> q = Flows.query(page);
                assertThat(q).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                        .containsEntry("client_id", "PSDRO-TEST-12345");
                assertThat(q.get("scope")).startsWith("AIS:");
                assertThat(q.get("redirect_uri")).startsWith(server.baseUrl() + "/v1/redirects/aisp?result=ok").doesNotContain("state");
            }
            default -> assertThat(page.getRawQuery()).isNull();
        }
        URI toApp = Flows.receive(api, Flows.bank(s.step(), "alice", true));
        assertThat(toApp.toString()).startsWith("https://app.example/done?temp_token=");
        assertThat(accountIbans(Flows.query(toApp).get("temp_token"), "user-" + variant)).isEqualTo(ibansOf("alice"));
        Api.Response st = status(s.sessionId(), s.nonce());
        assertThat(st.text("status")).as(st.body()).isEqualTo("SESSION_COMPLETED");
        assertThat(st.json().path("data").has("temp_token")).as("the token went to the app through the redirect").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"redirect", "explicit", "oauth"})
    void aisDenyFailsTheSessionWithEachRedirectVariant(String variant) {
        Started s = sca(variant, null);
        URI toApp = Flows.receive(api, Flows.bank(s.step(), "alice", false));
        Map<String, String> q = Flows.query(toApp);
        assertThat(q).containsEntry("error", "tpp_redirect_error").containsEntry("session_id", s.sessionId()).doesNotContainKey("temp_token");
        Api.Response st = status(s.sessionId(), s.nonce());
        assertThat(st.text("status")).as(st.body()).isEqualTo("SESSION_FAILED");
        assertThat(st.json().path("data").path("error").asString()).isEqualTo("tpp_redirect_error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redirect", "explicit", "oauth"})
    void paymentCompletesWithEachRedirectVariant(String variant) {
        Started s = pay(variant, "alice");
        String paymentId = s.step().json().path("data").path("payment_id").asString();
        URI page = URI.create(s.step().json().path("data").path("url").asString());
        if (variant.equals("oauth")) {
            assertThat(Flows.query(page).get("scope")).startsWith("PIS:");
        }
        URI toShop = Flows.receive(api, Flows.bank(s.step(), "alice", true));
        Map<String, String> q = Flows.query(toShop);
        assertThat(q).containsEntry("payment_id", paymentId).doesNotContainKey("error");
        assertThat(q.get("status")).isIn("accepted", "pending", "settled");
        assertThat(payment(paymentId).text("status")).isIn("accepted", "pending", "settled");
        assertThat(status(s.sessionId(), s.nonce()).text("status")).isEqualTo("SESSION_COMPLETED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redirect", "explicit", "oauth"})
    void paymentDenyIsRejectedWithEachRedirectVariant(String variant) {
        Started s = pay(variant, "alice");
        String paymentId = s.step().json().path("data").path("payment_id").asString();
        URI toShop = Flows.receive(api, Flows.bank(s.step(), "alice", false));
        assertThat(Flows.query(toShop)).containsEntry("error", "tpp_redirect_error").containsEntry("payment_id", paymentId);
        assertThat(payment(paymentId).text("status")).isEqualTo("rejected");
        assertThat(status(s.sessionId(), s.nonce()).text("status")).isEqualTo("SESSION_FAILED");
    }

    @Test
    void aForgedOAuthCodeIsNotAnAuthorisation() {
        Started s = sca("oauth", null);
        URI page = URI.create(s.step().json().path("data").path("url").asString());
        Map<String, String> q = Flows.query(page);
        // the browser comes back with a code the bank never issued, as if the PSU had approved
        URI forged = URI.create(q.get("redirect_uri") + "&code=forged&state=" + q.get("state"));
        Map<String, String> back = Flows.query(Flows.receive(api, forged));
        assertThat(back).containsEntry("error", "tpp_redirect_error").doesNotContainKey("temp_token");
        assertThat(status(s.sessionId(), s.nonce()).text("status")).isEqualTo("SESSION_FAILED");
    }

    @Test
    void theBankPageNamesTheRequestingApp() {
        Started s = sca("explicit", null);
        Browser browser = new Browser();
        Browser.Page login = browser.get(URI.create(s.step().json().path("data").path("url").asString()));
        Browser.Page consent = browser.submit(Browser.forms(login).getFirst(), Map.of("psu_id", "alice", "password", "sandbox"),
                "action", "login");
        assertThat(consent.html()).contains("<strong class=\"app\">" + APP + "</strong> asks to read your account information")
                .doesNotContain("A third party");
    }

    // ---- decoupled

    @Test
    void decoupledConsentCompletesByPollingAndTheTempTokenIsHandedOutOnce() throws Exception {
        Started s = sca("decoupled", "alice");
        JsonNode d = s.step().json().path("data");
        assertThat(d.path("sca_approach").asString()).isEqualTo("decoupled");
        assertThat(d.path("message").asString()).isEqualTo("Please confirm in your openfinq Sandbox Bank app");
        assertThat(d.path("status_url").asString()).isEqualTo("/v1/sessions/" + s.sessionId() + "/status");
        assertThat(d.has("url")).isFalse();
        Api.Response waiting = status(s.sessionId(), s.nonce());
        assertThat(waiting.text("status")).as(waiting.body()).isEqualTo("SESSION_IN_PROGRESS");
        assertThat(waiting.json().path("data").path("awaiting").asString()).isEqualTo("bank");

        decideInApp("consents", pendingInApp("alice", "consents", "consentId"), "alice", true);
        Api.Response done = settled(s);
        assertThat(done.text("status")).as(done.body()).isEqualTo("SESSION_COMPLETED");
        String token = done.json().path("data").path("temp_token").asString();
        assertThat(token).isNotBlank();
        Api.Response again = status(s.sessionId(), s.nonce());
        assertThat(again.status()).as("the read that handed out the token used up the nonce").isEqualTo(401);
        assertThat(again.text("code")).isEqualTo("invalid_api_keys");
        assertThat(accountIbans(token, "user-decoupled")).isEqualTo(ibansOf("alice"));
    }

    @Test
    void decoupledConsentDeniedInTheAppFailsTheSession() throws Exception {
        Started s = sca("decoupled", "bogdan");
        // bogdan uses the bank's app pages this time
        Browser app = new Browser();
        Browser.Page login = app.get(URI.create(bank.baseUrl() + "/app"));
        Browser.Page list = app.submit(Browser.forms(login).getFirst(), Map.of("psu_id", "bogdan", "password", "sandbox"), "action", "login");
        assertThat(list.html()).contains("<strong class=\"app\">" + APP + "</strong> asks to read your account information");
        Browser.Form item = Browser.forms(list).stream().filter(f -> f.fields().containsKey("kind")).findFirst().orElseThrow();
        assertThat(item.fields().get("kind")).containsExactly("consents");
        Browser.Page after = app.submit(item, Map.of(), "decision", "deny");
        assertThat(after.html()).contains("The access is rejected.").contains("Nothing waits for your approval.");
        Api.Response done = settled(s);
        assertThat(done.text("status")).as(done.body()).isEqualTo("SESSION_FAILED");
        assertThat(done.json().path("data").path("error").asString()).isEqualTo("tpp_redirect_error");
        assertThat(done.json().path("data").path("message").asString()).contains("rejected");
        assertThat(done.json().path("data").has("temp_token")).isFalse();
    }

    @Test
    void decoupledNeedsThePsuIdAndSaysSoCleanly() {
        Flows.Session s = Flows.session(api, tenant, ais("decoupled"), "user-no-psu");
        Api.Response step = Flows.step(api, tenant, s.id(), s.nonce(), ais("decoupled"), "sca",
                Map.of("psu_redirect_link", "https://app.example/done"));
        assertThat(step.status()).as(step.body()).isEqualTo(400);
        assertThat(step.text("code")).isEqualTo("invalid_field");
        assertThat(step.text("message")).contains("data.psu_id").contains("confirm in its app");
        // refused before the bank was called: nothing waits in the app, and the step can be sent again
        assertThat(bank.send("GET", "/sandbox/v1/psus/alice/pending", Map.of(), null).json().path("consents").size()).isZero();
    }

    @Test
    void decoupledPaymentIsSettledByThePoller() throws Exception {
        Started s = pay("decoupled", "alice");
        JsonNode d = s.step().json().path("data");
        assertThat(d.path("sca_approach").asString()).isEqualTo("decoupled");
        String paymentId = d.path("payment_id").asString();
        assertThat(payment(paymentId).text("status")).isEqualTo("initiated");
        decideInApp("payments", pendingInApp("alice", "payments", "paymentId"), "alice", true);
        Api.Response done = settled(s);
        assertThat(done.text("status")).as(done.body()).isEqualTo("SESSION_COMPLETED");
        assertThat(payment(paymentId).text("status")).isIn("accepted", "pending", "settled");
    }

    @Test
    void decoupledPaymentDeniedInTheAppIsRejected() throws Exception {
        Started s = pay("decoupled", "bogdan");
        String paymentId = s.step().json().path("data").path("payment_id").asString();
        decideInApp("payments", pendingInApp("bogdan", "payments", "paymentId"), "bogdan", false);
        Api.Response done = settled(s);
        assertThat(done.text("status")).as(done.body()).isEqualTo("SESSION_FAILED");
        assertThat(done.json().path("data").path("error").asString()).isEqualTo("tpp_redirect_error");
        assertThat(payment(paymentId).text("status")).isEqualTo("rejected");
    }

    @Test
    void theStatusReadNeedsTheSessionsNonce() {
        Started s = sca("decoupled", "carmen");
        assertThat(status(s.sessionId(), "not-a-nonce").status()).isEqualTo(401);
        Flows.Session other = Flows.session(api, tenant, Flows.AIS, "someone-else");
        assertThat(status(s.sessionId(), other.nonce()).status()).as("another session's nonce").isEqualTo(401);
        assertThat(status("4c1e0000-0000-4000-8000-000000000000", s.nonce()).status()).isEqualTo(404);
    }

    @Test
    void connectRefusesADecoupledBankBeforeCallingIt() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", tenant.clientId());
        body.put("client_secret", tenant.clientSecret());
        body.put("tenant_user_id", "connect-user");
        body.put("psu_redirect_link", "https://app.example/connected");
        body.put("skill", ais("decoupled"));
        Api.Response created = api.post("/v1/connect/sessions", body);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        Api.Response open = api.send("GET", URI.create(created.text("connect_url")).getRawPath(), Map.of(), null);
        assertThat(open.status()).as(open.body()).isEqualTo(303);
        String cookie = open.raw().headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String flow = open.raw().headers().firstValue("Location").orElseThrow();
        Api.Response authorize = api.send("POST", flow + "/authorize", Map.of("Cookie", cookie,
                "Content-Type", "application/x-www-form-urlencoded"), "skill=" + java.net.URLEncoder.encode(ais("decoupled"),
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(authorize.status()).as(authorize.body()).isEqualTo(200);
        assertThat(authorize.body()).contains("confirms in its own app").contains("error=tpp_redirect_error");
        assertThat(bank.send("GET", "/sandbox/v1/psus/alice/pending", Map.of(), null).json().path("consents").size())
                .as("no consent was created at the bank").isZero();
    }
}
