package org.openfinq.server.bridge.simplefin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.openfinq.server.admin.AdminCli;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.DatabaseDump;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * The SimpleFIN Bridge protocol over real HTTP, as a SimpleFIN client drives it: decode the setup token, claim once,
 * read /accounts with the access URL's Basic credentials. Every amount, date and balance is checked against the /v1
 * answers for the same consents.
 */
class SimplefinBridgeTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static Flows.Credentials alice;
    static Flows.Credentials bob;
    static Flows.Credentials carol;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"));
        api = server.api();
        tenant = Tenants.create(api, "simplefin", Flows.AIS);
        // two consents (two bank logins) of one end-user, and one of another end-user of the same tenant
        alice = Flows.aisCredentials(api, tenant, "user-alice", "alice");
        bob = Flows.aisCredentials(api, tenant, "user-alice", "bogdan");
        carol = Flows.aisCredentials(api, tenant, "user-carol", "carmen");
        for (Flows.Credentials c : List.of(alice, bob, carol)) {
            assertThat(Flows.awaitSync(db, c.credentialsId())[0]).isEqualTo("done");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    // --- a SimpleFIN client ------------------------------------------------------------------------------------

    record Http(int status, String contentType, String body) {
        JsonNode json() {
            return Api.JSON.readTree(body);
        }
    }

    static Http send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Http(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a client does with a setup token: Base64-decode it to the claim URL. */
    static URI claimUrl(String setupToken) {
        return URI.create(new String(Base64.getDecoder().decode(setupToken.strip()), StandardCharsets.UTF_8));
    }

    static Http claim(URI claimUrl) {
        return send(HttpRequest.newBuilder(claimUrl).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** GET {access_url}/accounts?query, the URL's user info sent as Basic credentials (as clients do). */
    static Http accounts(String accessUrl, String query) {
        URI u = URI.create(accessUrl);
        String userInfo = URLDecoder.decode(u.getRawUserInfo(), StandardCharsets.UTF_8);
        return get(u, userInfo, query);
    }

    static Http get(URI access, String userInfo, String query) {
        URI target = URI.create(access.getScheme() + "://" + access.getHost() + ":" + access.getPort() + access.getRawPath()
                + "/accounts" + (query == null ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).GET();
        if (userInfo != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return send(b);
    }

    static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Object> props = new HashMap<>(TestServer.properties(db));
        props.put("openfinq.public-url", server.baseUrl());
        int exit = AdminCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), props);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A setup token from the admin API, claimed: the access URL. */
    static String accessUrl(String userId) {
        Api.Response issued = api.admin("POST", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens",
                Api.object("tenant_user_id", userId));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        Http claimed = claim(claimUrl(issued.text("setup_token")));
        assertThat(claimed.status()).as(claimed.body()).isEqualTo(200);
        return claimed.body().strip();
    }

    // --- our own /v1 answers -----------------------------------------------------------------------------------

    static List<JsonNode> v1(Flows.Credentials c, String userId, String what, Map<String, ?> filter) {
        Api.Response r = Flows.data(api, tenant, c, userId, what, filter);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    static BigDecimal signed(JsonNode amountAndIndicator, String amountField) {
        BigDecimal v = new BigDecimal(amountAndIndicator.get(amountField).asString());
        return amountAndIndicator.get("credit_debit_indicator").asString().equals("debit") ? v.negate() : v;
    }

    static long epoch(String utc) {
        return Instant.parse(utc).getEpochSecond();
    }

    static Map<String, JsonNode> byId(JsonNode array) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        array.forEach(n -> out.put(n.get("id").asString(), n));
        return out;
    }

    /** Checks SimpleFIN transactions against /v1 transactions (same set, same amounts, dates and texts). */
    static void sameTransactions(JsonNode sfin, List<JsonNode> v1) {
        Map<String, JsonNode> got = byId(sfin);
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(v1.stream().map(t -> t.get("utx_id").asString()).toList());
        for (JsonNode t : v1) {
            JsonNode s = got.get(t.get("utx_id").asString());
            JsonNode d = t.get("data");
            assertThat(new BigDecimal(s.get("amount").asString())).isEqualByComparingTo(signed(d, "amount"));
            assertThat(s.get("amount").asString()).matches("-?\\d+\\.\\d{2,}");
            boolean pending = d.get("status").asString().equals("pending");
            assertThat(s.get("pending").asBoolean()).isEqualTo(pending);
            assertThat(s.get("posted").asLong()).isEqualTo(pending ? 0 : epoch(d.get("booking_date_time").asString()));
            if (!d.get("info").isNull()) {
                assertThat(s.get("description").asString()).isEqualTo(d.get("info").asString());
            }
            if (!d.path("details").path("merchant").isNull()) {
                assertThat(s.get("payee").asString()).isEqualTo(d.path("details").path("merchant").asString());
            }
        }
    }

    static final List<String> LEDGER = List.of("InterimBooked", "ClosingBooked", "Expected", "OpeningBooked",
            "InterimAvailable", "ClosingAvailable", "ForwardAvailable");

    // --- tests ---------------------------------------------------------------------------------------------------

    @Test
    void theCliPrintsASetupTokenThatDecodesToAClaimUrlThatWorksOnce() {
        String token = cli("bridge", "simplefin-token", tenant.clientId(), "user-alice").strip();
        assertThat(token).matches("[A-Za-z0-9+/]+={0,2}");
        URI claim = claimUrl(token);
        // the Firefly III data importer's rule for claim URLs
        assertThat(claim.toString()).matches("^https?://.+/simplefin/claim/.+$").startsWith(server.baseUrl() + "/simplefin/claim/");

        Http first = claim(claim);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/plain");
        URI access = URI.create(first.body().strip());
        assertThat(access.getScheme() + "://" + access.getHost() + ":" + access.getPort()).isEqualTo(server.baseUrl());
        assertThat(access.getRawPath()).isEqualTo("/simplefin");
        assertThat(access.getRawUserInfo()).matches("[^:]+:.{20,}");

        Http second = claim(claim);
        assertThat(second.status()).isEqualTo(403);
        assertError(asResponse(second), 403, "unauthorized", "invalid_simplefin_access", "already claimed");

        // the access URL works; the password is stored only as a hash, the claim token not at all
        assertThat(accounts(access.toString(), null).status()).isEqualTo(200);
        String password = access.getRawUserInfo().substring(access.getRawUserInfo().indexOf(':') + 1);
        String claimToken = claim.getPath().substring(claim.getPath().lastIndexOf('/') + 1);
        String dump;
        try {
            dump = DatabaseDump.of(db);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(dump).contains("simplefin_grant").doesNotContain(password).doesNotContain(claimToken);

        // list through the CLI shows it claimed, with no secret
        String listed = cli("bridge", "simplefin-list", tenant.clientId());
        assertThat(listed).contains("\"claimed\"").doesNotContain(password).doesNotContain(claimToken);
    }

    static Api.Response asResponse(Http h) {
        return new Api.Response(h.status(), h.contentType(), h.body(), h.contentType().startsWith("application/json") ? h.json() : null, null);
    }

    @Test
    void accountsServeEveryConsentOfTheUserWithTheV1AmountsDatesAndBalances() {
        String access = accessUrl("user-alice");
        long[] before = bankWork();
        Http r = accounts(access, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("errors").isArray()).isTrue();
        assertThat(body.get("errors")).isEmpty();

        List<JsonNode> v1Accounts = new ArrayList<>(v1(alice, "user-alice", "accounts", null));
        v1Accounts.addAll(v1(bob, "user-alice", "accounts", null));
        Set<String> carols = new HashSet<>();
        v1(carol, "user-carol", "accounts", null).forEach(a -> carols.add(a.get("id").asString()));
        Map<String, JsonNode> got = byId(body.get("accounts"));
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(v1Accounts.stream().map(a -> a.get("id").asString()).toList());
        assertThat(got.keySet()).doesNotContainAnyElementsOf(carols);
        assertThat(v1Accounts.size()).isGreaterThanOrEqualTo(2);

        int transactions = 0;
        for (JsonNode a : v1Accounts) {
            String id = a.get("id").asString();
            Flows.Credentials owner = v1(alice, "user-alice", "accounts", null).stream()
                    .anyMatch(x -> x.get("id").asString().equals(id)) ? alice : bob;
            JsonNode s = got.get(id);
            assertThat(s.get("currency").asString()).isEqualTo(a.get("data").get("currency").asString());
            assertThat(s.get("name").asString()).isEqualTo(a.get("data").get("name").asString());
            assertThat(s.get("org").get("name").asString()).isEqualTo(a.get("servicer_name").asString());
            assertThat(s.get("org").get("id").asString()).isEqualTo(a.get("servicer_id").asString());
            assertThat(s.get("org").get("sfin-url").asString()).isEqualTo(server.baseUrl() + "/simplefin");

            List<JsonNode> balances = v1(owner, "user-alice", "balances", Map.of("account_id", id));
            JsonNode ledger = null;
            for (String type : LEDGER) {
                ledger = balances.stream().filter(b -> b.get("data").get("type").asString().equals(type)).findFirst().orElse(null);
                if (ledger != null) {
                    break;
                }
            }
            assertThat(ledger).as("a ledger balance in /v1 for %s", id).isNotNull();
            assertThat(s.get("balance").asString()).matches("-?\\d+\\.\\d{2,}");
            assertThat(new BigDecimal(s.get("balance").asString())).isEqualByComparingTo(signed(ledger.get("data"), "amount"));
            JsonNode ld = ledger.get("data");
            long expectedDate = !ld.get("native_timestamp").isNull() ? epoch(ld.get("native_timestamp").asString())
                    : !ld.get("native_date").isNull() ? LocalDate.parse(ld.get("native_date").asString()).atStartOfDay(ZoneOffset.UTC).toEpochSecond()
                    : epoch(ledger.get("timestamp").asString());
            assertThat(s.get("balance-date").asLong()).isEqualTo(expectedDate);
            JsonNode available = balances.stream().filter(b -> b.get("data").get("type").asString().equals("InterimAvailable"))
                    .findFirst().orElse(null);
            if (available != null) {
                assertThat(new BigDecimal(s.get("available-balance").asString()))
                        .isEqualByComparingTo(signed(available.get("data"), "amount"));
            }

            // no dates, no pending=1: every booked transaction, no pending one
            List<JsonNode> booked = v1(owner, "user-alice", "transactions", Map.of("account_id", id, "status", "booked"));
            sameTransactions(s.get("transactions"), booked);
            transactions += booked.size();
        }
        assertThat(transactions).isGreaterThan(10);
        long[] after = bankWork();
        assertThat(after).as("sync jobs and unattended bank calls: none caused by bridge reads").isEqualTo(before);
        System.out.printf("SimpleFIN /accounts: %d accounts, %d booked transactions checked against /v1%n", got.size(), transactions);
    }

    /** Sync jobs and unattended bank calls recorded so far. */
    static long[] bankWork() {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select (select count(*) from sync_job), (select count(*) from unattended_call)")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void datesPendingBalancesOnlyAndAccountFiltersMatchV1() {
        String access = accessUrl("user-alice");
        String account = v1(alice, "user-alice", "accounts", null).get(0).get("id").asString();
        List<JsonNode> booked = v1(alice, "user-alice", "transactions", Map.of("account_id", account, "status", "booked"));
        assertThat(booked.size()).isGreaterThan(4);
        // a window between two booking times of the bank's data
        Instant newest = Instant.parse(booked.get(0).get("data").get("booking_date_time").asString());
        Instant older = Instant.parse(booked.get(booked.size() / 2).get("data").get("booking_date_time").asString());
        long start = older.getEpochSecond();
        long end = newest.getEpochSecond();
        List<JsonNode> window = v1(alice, "user-alice", "transactions", Map.of("account_id", account, "status", "booked",
                "booking_date_gte", older.toString(), "booking_date_lt", newest.toString()));
        assertThat(window).isNotEmpty().hasSizeLessThan(booked.size());

        Http dated = accounts(access, "start-date=" + start + "&end-date=" + end + "&account=" + account);
        assertThat(dated.status()).as(dated.body()).isEqualTo(200);
        assertThat(dated.json().get("accounts")).hasSize(1);
        JsonNode only = dated.json().get("accounts").get(0);
        assertThat(only.get("id").asString()).isEqualTo(account);
        sameTransactions(only.get("transactions"), window);

        // pending=1 adds the pending ones (whatever the dates)
        List<JsonNode> pending = v1(alice, "user-alice", "transactions", Map.of("account_id", account, "status", "pending"));
        assertThat(pending).as("the sandbox bank's last two days are pending").isNotEmpty();
        Http withPending = accounts(access, "start-date=" + start + "&end-date=" + end + "&pending=1&account=" + account);
        List<JsonNode> expected = new ArrayList<>(window);
        expected.addAll(pending);
        sameTransactions(withPending.json().get("accounts").get(0).get("transactions"), expected);

        Http allWithPending = accounts(access, "pending=1&account=" + account);
        List<JsonNode> every = new ArrayList<>(booked);
        every.addAll(pending);
        sameTransactions(allWithPending.json().get("accounts").get(0).get("transactions"), every);

        // start-date only
        List<JsonNode> since = v1(alice, "user-alice", "transactions", Map.of("account_id", account, "status", "booked",
                "booking_date_gte", older.toString()));
        sameTransactions(accounts(access, "start-date=" + start + "&account=" + account).json().get("accounts").get(0)
                .get("transactions"), since);

        // balances-only: same balances, no transactions
        Http balancesOnly = accounts(access, "balances-only=1");
        Map<String, JsonNode> full = byId(accounts(access, null).json().get("accounts"));
        for (JsonNode a : balancesOnly.json().get("accounts")) {
            assertThat(a.get("transactions")).isEmpty();
            assertThat(a.get("balance").asString()).isEqualTo(full.get(a.get("id").asString()).get("balance").asString());
        }
        assertThat(balancesOnly.json().get("accounts")).hasSize(full.size());

        // a date that is not Unix seconds: the error object
        Http bad = accounts(access, "start-date=2025-01-01");
        assertError(asResponse(bad), 400, "invalid_request", "invalid_parameter", "start-date");
    }

    @Test
    void wrongOrMissingBasicCredentialsAnswer403() {
        URI access = URI.create(accessUrl("user-alice"));
        String user = access.getRawUserInfo().substring(0, access.getRawUserInfo().indexOf(':'));
        String password = access.getRawUserInfo().substring(user.length() + 1);
        assertThat(get(access, user + ":" + password, null).status()).isEqualTo(200);
        for (String wrong : new String[]{user + ":" + password + "x", user + ":", "nobody:" + password, user + "x:" + password}) {
            Http r = get(access, wrong, null);
            assertError(asResponse(r), 403, "unauthorized", "invalid_simplefin_access", "credentials");
        }
        assertError(asResponse(get(access, null, null)), 403, "unauthorized", "invalid_simplefin_access", "credentials");
        Http garbage = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/simplefin/accounts"))
                .header("Authorization", "Basic !!!notbase64").GET());
        assertThat(garbage.status()).isEqualTo(403);
        Http bearer = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/simplefin/accounts"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).GET());
        assertThat(bearer.status()).isEqualTo(403);
        // an unknown claim token
        assertThat(claim(URI.create(server.baseUrl() + "/simplefin/claim/unknown-token")).status()).isEqualTo(403);
    }

    /** One request written byte for byte (no client normalises the path); the status line and the rest. */
    static String[] raw(String path, String authorization) throws Exception {
        URI base = URI.create(server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int eol = answer.indexOf("\r\n");
            return new String[]{answer.substring(0, eol), answer.substring(eol)};
        }
    }

    @Test
    void noSpellingOfTheAccountsPathServesDataWithoutCredentials() throws Exception {
        URI access = URI.create(accessUrl("user-alice"));
        String good = "Basic " + Base64.getEncoder().encodeToString(
                URLDecoder.decode(access.getRawUserInfo(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        assertThat(raw("/simplefin/accounts", good)[0]).contains(" 200 ");
        List<String> spellings = List.of("/simplefin/accounts", "/simplefin/accounts/", "/simplefin//accounts",
                "/simplefin/./accounts", "/simplefin/x/../accounts", "/simplefin/%61ccounts", "/simplefin/accounts;x=1",
                "/simplefin/accounts%2F", "/SIMPLEFIN/accounts", "/simplefin/Accounts", "/v1/../simplefin/accounts",
                "/simplefin/accounts?pending=1", "/simplefin/accounts.json", "//simplefin/accounts");
        Map<String, String> statuses = new LinkedHashMap<>();
        for (String path : spellings) {
            for (String auth : new String[]{null, "Basic " + Base64.getEncoder().encodeToString("x:y".getBytes(StandardCharsets.US_ASCII)),
                    "Bearer " + TestServer.ADMIN_TOKEN}) {
                String[] r = raw(path, auth);
                statuses.put(path + " " + (auth == null ? "-" : auth.substring(0, 5)), r[0]);
                assertThat(r[0]).as("%s with %s", path, auth).doesNotContain(" 200 ");
                assertThat(r[1]).as("%s", path).doesNotContain("\"accounts\"").doesNotContain("balance");
            }
        }
        System.out.println("SimpleFIN path spellings without valid credentials: " + statuses);
    }

    @Test
    void revocationThroughTheAdminApiAndTheCliGives403AndIsAudited() {
        String access = accessUrl("user-alice");
        assertThat(accounts(access, null).status()).isEqualTo(200);
        Api.Response list = api.admin("GET", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens", null);
        assertThat(list.status()).isEqualTo(200);
        String user = URI.create(access).getRawUserInfo().split(":")[0];
        String password = URI.create(access).getRawUserInfo().split(":", 2)[1];
        assertThat(list.body()).doesNotContain(password);
        String grant = null;
        for (JsonNode g : list.json()) {
            if (g.get("state").asString().equals("claimed") && g.get("last_used_at").isString()) {
                grant = g.get("id").asString();
            }
        }
        assertThat(grant).isNotNull();
        // the grant just used is the one claimed last: revoke every claimed grant of user-alice read so far
        for (JsonNode g : list.json()) {
            if (g.get("state").asString().equals("claimed")) {
                Api.Response revoked = api.admin("DELETE", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens/"
                        + g.get("id").asString(), null);
                assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
            }
        }
        Http after = accounts(access, null);
        assertError(asResponse(after), 403, "unauthorized", "invalid_simplefin_access", "revoked");
        assertThat(api.admin("DELETE", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens/" + grant, null).status())
                .isEqualTo(404);

        // an unclaimed token revoked through the CLI can no longer be claimed
        Api.Response issued = api.admin("POST", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens",
                Api.object("tenant_user_id", "user-alice"));
        String revokedOut = cli("bridge", "simplefin-revoke", tenant.clientId(), issued.text("id"));
        assertThat(revokedOut).contains(issued.text("id"));
        assertThat(claim(claimUrl(issued.text("setup_token"))).status()).isEqualTo(403);

        Api.Response audit = api.admin("GET", "/admin/audit?client_id=" + tenant.clientId() + "&action=simplefin.", null);
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        audit.json().forEach(e -> actions.add(e.get("action").asString()));
        assertThat(actions).contains("simplefin.token.issue", "simplefin.token.claim", "simplefin.token.revoke");
        assertThat(audit.body()).doesNotContain(password).doesNotContain(user + ":");
    }

    @Test
    void anExpiredConsentIsReportedInErrorsAndItsAccountsLeftOut() throws Exception {
        Api.Response t = api.admin("POST", "/admin/tenants", Api.object("name", "simplefin-expiry", "skills", List.of(Flows.AIS)));
        Tenants.Creds other = new Tenants.Creds(t.text("client_id"), t.text("client_secret"), t.text("client_app_key"));
        Flows.Credentials dave = Flows.aisCredentials(api, other, "user-dave", "alice");
        assertThat(Flows.awaitSync(db, dave.credentialsId())[0]).isEqualTo("done");
        Api.Response issued = api.admin("POST", "/admin/tenants/" + other.clientId() + "/simplefin/tokens",
                Api.object("tenant_user_id", "user-dave"));
        String access = claim(claimUrl(issued.text("setup_token"))).body().strip();
        assertThat(accounts(access, null).json().get("accounts")).isNotEmpty();
        try (Connection c = db.connect()) {
            c.createStatement().executeUpdate("update consent set consent_exp = now() - interval '1 minute' where id = '"
                    + dave.credentialsId() + "'");
        }
        assertThat(Flows.data(api, other, dave, "user-dave", "accounts", null).status()).isEqualTo(401);
        JsonNode body = accounts(access, null).json();
        assertThat(body.get("accounts")).isEmpty();
        assertThat(body.get("errors")).hasSize(1);
        assertThat(body.get("errors").get(0).asString()).startsWith("Connection to openfinq Sandbox Bank may need attention");
    }

    @Test
    void theRetentionJobEnforcesTheTableLifetime() throws Exception {
        Api.Response unclaimed = api.admin("POST", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens",
                Api.object("tenant_user_id", "user-retention"));
        String unused = accessUrl("user-retention");
        String revokedLongAgo = accessUrl("user-retention");
        Map<String, String> ids = new HashMap<>();
        for (JsonNode g : api.admin("GET", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens", null).json()) {
            if (g.get("tenant_user_id").asString().equals("user-retention") && g.get("state").asString().equals("claimed")) {
                ids.put(ids.isEmpty() ? "unused" : "revoked", g.get("id").asString());
            }
        }
        try (Connection c = db.connect()) {
            c.createStatement().executeUpdate("update simplefin_grant set claim_expires_at = now() - interval '1 second' where id = '"
                    + unclaimed.text("id") + "'");
            c.createStatement().executeUpdate("update simplefin_grant set claimed_at = now() - interval '401 days', "
                    + "last_used_at = null where id = '" + ids.get("unused") + "'");
            c.createStatement().executeUpdate("update simplefin_grant set revoked_at = now() - interval '31 days' where id = '"
                    + ids.get("revoked") + "'");
        }
        int[] n = server.bean(SimplefinBridge.class).retention();
        assertThat(n[0]).isGreaterThanOrEqualTo(1);
        assertThat(n[1]).isGreaterThanOrEqualTo(2);
        Map<String, String> states = new HashMap<>();
        for (JsonNode g : api.admin("GET", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens", null).json()) {
            states.put(g.get("id").asString(), g.get("state").asString());
        }
        assertThat(states).doesNotContainKey(unclaimed.text("id")).doesNotContainKey(ids.get("revoked"));
        assertThat(states.get(ids.get("unused"))).isEqualTo("revoked");
        assertError(asResponse(accounts(unused, null)), 403, "unauthorized", "invalid_simplefin_access", "revoked");
        assertThat(accounts(revokedLongAgo, null).status()).isEqualTo(403);
    }

    @Test
    void theProtocolIsInTheServedOpenApiUnderItsTag() {
        JsonNode doc = api.send("GET", "/openapi.json", Map.of(), null).json();
        JsonNode accounts = doc.path("paths").path("/simplefin/accounts").path("get");
        assertThat(accounts.path("tags").get(0).asString()).isEqualTo("SimpleFIN bridge");
        assertThat(accounts.path("responses").has("403")).isTrue();
        assertThat(doc.path("paths").path("/simplefin/claim/{token}").path("post").path("tags").get(0).asString())
                .isEqualTo("SimpleFIN bridge");
        assertThat(doc.path("components").path("schemas").path("SimplefinAccount").path("properties").has("available-balance")).isTrue();
        assertThat(doc.path("components").path("schemas").path("SimplefinTransaction").path("properties").has("transacted_at")).isTrue();
        Http info = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/simplefin/info")).GET());
        assertThat(info.json().get("versions").get(0).asString()).isEqualTo("1.0");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void concurrentClaimsOnTwoNodesGiveOneAccessUrlAndTheTokenIsNeverLogged(CapturedOutput output) throws Exception {
        Api.Response issued = api.admin("POST", "/admin/tenants/" + tenant.clientId() + "/simplefin/tokens",
                Api.object("tenant_user_id", "user-alice"));
        URI claim = claimUrl(issued.text("setup_token"));
        String token = claim.getPath().substring(claim.getPath().lastIndexOf('/') + 1);
        try (TestServer second = TestServer.start(db)) {
            URI onSecond = URI.create(second.baseUrl() + claim.getRawPath());
            List<Callable<Http>> claims = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                URI target = i % 2 == 0 ? claim : onSecond;
                claims.add(() -> claim(target));
            }
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<Http> answers = new ArrayList<>();
            try {
                for (Future<Http> f : pool.invokeAll(claims)) {
                    answers.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            List<Http> won = answers.stream().filter(a -> a.status() == 200).toList();
            assertThat(won).as("exactly one claim wins across both nodes").hasSize(1);
            assertThat(answers.stream().filter(a -> a.status() == 403)).hasSize(11);
            // the access URL names the first node (the public URL); its credentials work on the second node too
            URI access = URI.create(won.get(0).body().strip());
            URI viaSecond = URI.create(second.baseUrl() + "/simplefin");
            Http read = get(viaSecond, URLDecoder.decode(access.getRawUserInfo(), StandardCharsets.UTF_8), "balances-only=1");
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().get("accounts")).isNotEmpty();
        }
        assertThat(output.getAll()).contains("/simplefin/claim/{token}").doesNotContain(token);
    }

    @Test
    void readsAreFast() {
        String access = accessUrl("user-alice");
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t0 = System.nanoTime();
            assertThat(accounts(access, "pending=1").status()).isEqualTo(200);
            ms.add((System.nanoTime() - t0) / 1_000_000);
        }
        ms.sort(Long::compare);
        System.out.printf("SimpleFIN /accounts?pending=1 (5 accounts, all transactions): median %d ms, max %d ms over 30 reads%n",
                ms.get(15), ms.get(29));
        assertThat(ms.get(15)).isLessThan(2000);
    }
}
