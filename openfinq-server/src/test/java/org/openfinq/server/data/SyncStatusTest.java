package org.openfinq.server.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openfinq.sandboxbank.data.BankTransaction;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.bank.BankProfiles;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.sync.RefreshScheduler;
import org.openfinq.server.sync.SyncWorker;
import org.openfinq.testing.TestClock;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * What a tenant sees of the data's sync: the sync status on consents/get, the headers of every data read, the
 * transaction timestamp, and pcd_data_retention, after real onboardings with the bank's pages in a browser and
 * with a clock the test controls (the embedded sandbox bank follows it).
 */
class SyncStatusTest {

    static final String SERVICER = "5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01";

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;

    @BeforeAll
    static void start() {
        TestClock.INSTANCE.reset();
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sync.enabled", "false", "openfinq.sandbox-bank.large-psu-transactions", "0"),
                TestClock.Config.class);
        api = server.api();
        tenant = Tenants.create(api, "status", Flows.AIS);
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

    static SyncWorker worker() {
        return server.bean(SyncWorker.class);
    }

    static LocalDate today() {
        return LocalDate.ofInstant(TestClock.INSTANCE.instant(), ZoneOffset.UTC);
    }

    static SandboxData bank() {
        return new SandboxData(42, LocalDate.of(2025, 1, 1), 0, today());
    }

    static JsonNode sync(Flows.Credentials c) {
        Api.Response r = Flows.consent(api, tenant, c, "get");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("result").get("sync");
    }

    static List<JsonNode> list(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    static String header(Api.Response r, String name) {
        return r.raw().headers().firstValue(name).orElse(null);
    }

    static String bankConsentId(String credentialsId) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select bank_consent from consent where id = '" + credentialsId + "'")) {
            rs.next();
            return server.bean(DataCipher.class).decryptString(rs.getBytes(1), "consent:" + credentialsId);
        }
    }

    static Api sandbox() {
        return new Api(server.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString());
    }

    /** The documented utx_id of a sandbox transaction, computed here from the formula: Base64(SHA-256(v1|servicer|IBAN|e:entry reference)). */
    static String expectedUtx(String iban, BankTransaction t) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(("v1|" + SERVICER + "|" + iban + "|e:" + t.entryReference())
                .getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(d);
    }

    @Test
    void pendingThenReadyWithTheBanksFullDataAndHeadersOnEveryRead() throws Exception {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "u-ready", "alice");
        JsonNode before = sync(c);
        assertThat(before.get("state").asString()).isEqualTo("pending");
        assertThat(before.get("initial_sync_completed_at").isNull()).isTrue();
        assertThat(before.get("last_success_at").isNull()).isTrue();
        assertThat(before.get("rate_limited_until").isNull()).isTrue();
        assertThat(before.get("last_error").isNull()).isTrue();
        Api.Response early = Flows.data(api, tenant, c, "u-ready", "transactions", null);
        assertThat(header(early, "Openfinq-Sync-State")).isEqualTo("pending");
        assertThat(header(early, "Openfinq-Data-As-Of")).as("no successful sync yet").isNull();

        assertThat(worker().runAll()).isEqualTo(1);
        JsonNode after = sync(c);
        assertThat(after.get("state").asString()).isEqualTo("ready");
        String asOf = after.get("last_success_at").asString();
        assertThat(asOf).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(after.get("initial_sync_completed_at").asString()).isEqualTo(asOf);
        assertThat(Instant.parse(after.get("next_refresh_at").asString())).isAfter(Instant.parse(asOf));
        assertThat(after.get("rate_limited_until").isNull()).isTrue();
        assertThat(after.get("last_error").isNull()).isTrue();

        SandboxData bank = bank();
        List<SandboxAccount> accounts = bank.psu("alice").orElseThrow().accounts();
        Map<String, String> expectedUtx = new HashMap<>();
        for (SandboxAccount a : accounts) {
            for (BankTransaction t : bank.ledger(a.resourceId()).asOf(today())) {
                expectedUtx.put(expectedUtx(a.iban(), t), (t.booked() ? "booked" : "pending") + "|" + t.amount().abs().toPlainString());
            }
        }
        for (String what : List.of("accounts", "balances", "transactions")) {
            Api.Response r = Flows.data(api, tenant, c, "u-ready", what, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(header(r, "Openfinq-Sync-State")).as(what).isEqualTo("ready");
            assertThat(header(r, "Openfinq-Data-As-Of")).as(what).isEqualTo(asOf);
        }
        assertThat(list(Flows.data(api, tenant, c, "u-ready", "accounts", null))).hasSize(accounts.size());
        List<JsonNode> balances = list(Flows.data(api, tenant, c, "u-ready", "balances", null));
        assertThat(balances).hasSize(3 * accounts.size());
        balances.forEach(b -> assertThat(b.get("data").get("credit_limit_included").isBoolean()).as(b.toString()).isTrue());
        list(Flows.data(api, tenant, c, "u-ready", "accounts", null)).forEach(a -> a.get("data").get("balances")
                .forEach(b -> assertThat(b.get("credit_limit_included").isBoolean()).as(b.toString()).isTrue()));
        List<JsonNode> transactions = list(Flows.data(api, tenant, c, "u-ready", "transactions", null));
        Map<String, String> got = new HashMap<>();
        transactions.forEach(t -> got.put(t.get("utx_id").asString(), t.get("data").get("status").asString() + "|" + t.get("data").get("amount").asString()));
        assertThat(got).as("every bank transaction, with the documented utx_id").isEqualTo(expectedUtx);

        // a refresh claimed by a worker (on any node) shows as syncing until it ends
        org.openfinq.server.sync.SyncStore jobs = server.bean(org.openfinq.server.sync.SyncStore.class);
        assertThat(jobs.enqueue(UUID.fromString(c.credentialsId()), false, null, TestClock.INSTANCE.instant())).isTrue();
        var job = jobs.claim(TestClock.INSTANCE.instant(), Duration.ofMinutes(5)).orElseThrow();
        assertThat(sync(c).get("state").asString()).isEqualTo("syncing");
        assertThat(header(Flows.data(api, tenant, c, "u-ready", "balances", null), "Openfinq-Sync-State")).isEqualTo("syncing");
        jobs.finish(job.id(), "done", null, 0, 0, TestClock.INSTANCE.instant());
        assertThat(sync(c).get("state").asString()).isEqualTo("ready");

        JsonNode result = Flows.consent(api, tenant, c, "get").json().get("result");
        assertThat(result.has("pcd_data_retention")).isTrue();
        assertThat(result.get("pcd_data_retention").isNull()).as("not deleted: no pcd_data_retention").isTrue();
    }

    @Test
    void aBank429ShowsRateLimitedUntilTheBanksRetryTime() throws Exception {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "u-429", "bogdan");
        worker().runAll();
        String bankConsent = bankConsentId(c.credentialsId());
        for (int i = 0; i < 4; i++) {
            sandbox().send("GET", "/v1/accounts", Map.of("X-Request-ID", UUID.randomUUID().toString(), "Consent-ID", bankConsent), null);
        }
        TestClock.INSTANCE.advance(Duration.ofHours(7));
        assertThat(server.bean(RefreshScheduler.class).run()).isGreaterThanOrEqualTo(1);
        worker().runAll();
        JsonNode s = sync(c);
        assertThat(s.get("state").asString()).isEqualTo("rate_limited");
        assertThat(Instant.parse(s.get("rate_limited_until").asString())).isAfter(TestClock.INSTANCE.instant().plus(Duration.ofHours(16)));
        assertThat(s.get("last_error").get("code").asString()).isEqualTo("external_api_too_many_requests");
        assertThat(s.get("last_error").get("source").asString()).isEqualTo("bank");
        assertThat(s.get("last_error").get("retryable").asBoolean()).isTrue();
        assertThat(s.get("initial_sync_completed_at").isNull()).isFalse();
        Api.Response r = Flows.data(api, tenant, c, "u-429", "transactions", null);
        assertThat(r.status()).as("cached data still served").isEqualTo(200);
        assertThat(header(r, "Openfinq-Sync-State")).isEqualTo("rate_limited");
        assertThat(header(r, "Openfinq-Data-As-Of")).isEqualTo(s.get("last_success_at").asString());
        List<JsonNode> told = eventsOf(c);
        assertThat(told).extracting(e -> e.get("type").asString()).containsExactly("sync.initial_completed", "sync.rate_limited");
        assertThat(told.get(1).get("data").get("rate_limited_until").asString()).isEqualTo(s.get("rate_limited_until").asString());
        assertThat(told.get(1).get("data").get("last_error")).isEqualTo(s.get("last_error"));
    }

    @Test
    void aFailedRefreshShowsFailedWithLastErrorAndServesTheCachedDataAsOfBefore() throws Exception {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "u-failed", "alice");
        worker().runAll();
        String asOf = sync(c).get("last_success_at").asString();
        int cached = list(Flows.data(api, tenant, c, "u-failed", "transactions", null)).size();
        Api.Response revoked = sandbox().send("DELETE", "/v1/consents/" + bankConsentId(c.credentialsId()),
                Map.of("X-Request-ID", UUID.randomUUID().toString()), null);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        TestClock.INSTANCE.advance(Duration.ofHours(7));
        assertThat(server.bean(RefreshScheduler.class).run()).isGreaterThanOrEqualTo(1);
        worker().runAll();
        JsonNode s = sync(c);
        assertThat(s.get("state").asString()).isEqualTo("failed");
        assertThat(s.get("last_error").get("code").asString()).isEqualTo("external_api_unauthorized");
        assertThat(s.get("last_error").get("source").asString()).isEqualTo("psu");
        assertThat(s.get("last_error").get("retryable").asBoolean()).isFalse();
        assertThat(s.get("last_error").get("message").asString()).isNotBlank();
        assertThat(s.get("last_success_at").asString()).isEqualTo(asOf);
        for (String what : List.of("accounts", "balances", "transactions")) {
            Api.Response r = Flows.data(api, tenant, c, "u-failed", what, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(header(r, "Openfinq-Sync-State")).isEqualTo("failed");
            assertThat(header(r, "Openfinq-Data-As-Of")).as("the old as-of").isEqualTo(asOf);
        }
        assertThat(list(Flows.data(api, tenant, c, "u-failed", "transactions", null))).hasSize(cached);
        TestClock.INSTANCE.advance(Duration.ofHours(25));
        server.bean(RefreshScheduler.class).run();
        worker().runAll();
        assertThat(sync(c).get("state").asString()).isEqualTo("failed");
        List<JsonNode> told = eventsOf(c);
        assertThat(told).extracting(e -> e.get("type").asString()).as("told once, not at each retry")
                .containsExactly("sync.initial_completed", "sync.failed");
        assertThat(told.get(1).get("data").get("state").asString()).isEqualTo("failed");
        assertThat(told.get(1).get("data").get("last_error").get("code").asString()).isEqualTo("external_api_unauthorized");
    }

    @Test
    void pcdDataRetentionIsNullUnlessGivenOnDelete() {
        Flows.Credentials plain = Flows.aisCredentials(api, tenant, "u-pcd", "carmen");
        Flows.Credentials given = Flows.aisCredentials(api, tenant, "u-pcd", "carmen");
        JsonNode deleted = Flows.consent(api, tenant, plain, "delete").json().get("result");
        assertThat(deleted.get("status").asString()).isEqualTo("DELETED");
        assertThat(deleted.get("pcd_data_retention").isNull()).isTrue();
        assertThat(Flows.consent(api, tenant, plain, "get").json().get("result").get("pcd_data_retention").isNull()).isTrue();
        assertThat(Flows.consent(api, tenant, given, "delete", "pcd_data_retention", 45).json().get("result")
                .get("pcd_data_retention").asInt()).isEqualTo(45);
        assertThat(Flows.consent(api, tenant, given, "get").json().get("result").get("pcd_data_retention").asInt()).isEqualTo(45);
    }

    @Test
    void theTimestampIsTheLastChangeInWholeSecondsAndItsFiltersFindEveryChange() {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "u-ts", "carmen");
        worker().runAll();
        List<JsonNode> before = list(Flows.data(api, tenant, c, "u-ts", "transactions", null));
        String shown = before.getFirst().get("timestamp").asString();
        assertThat(shown).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        List<JsonNode> sameSecond = before.stream().filter(x -> x.get("timestamp").asString().equals(shown)).toList();
        assertThat(list(Flows.data(api, tenant, c, "u-ts", "transactions", Map.of("timestamp_eq", shown))))
                .as("timestamp_eq with the value as shown").isEqualTo(sameSecond).isNotEmpty();
        String lastSeen = before.stream().map(x -> x.get("timestamp").asString()).max(String::compareTo).orElseThrow();
        assertThat(list(Flows.data(api, tenant, c, "u-ts", "transactions", Map.of("timestamp_gt", lastSeen)))).isEmpty();

        Map<String, JsonNode> old = new HashMap<>();
        before.forEach(x -> old.put(x.get("utx_id").asString(), x));
        TestClock.INSTANCE.advance(Duration.ofDays(2));
        assertThat(server.bean(RefreshScheduler.class).run()).isGreaterThanOrEqualTo(1);
        worker().runAll();
        List<JsonNode> after = list(Flows.data(api, tenant, c, "u-ts", "transactions", null));
        List<JsonNode> changed = after.stream().filter(x -> {
            JsonNode o = old.get(x.get("utx_id").asString());
            return o == null || !o.get("data").equals(x.get("data"));
        }).toList();
        assertThat(changed.stream().filter(x -> old.containsKey(x.get("utx_id").asString())))
                .as("the pending ones were booked").isNotEmpty();
        for (JsonNode x : changed) {
            assertThat(x.get("timestamp").asString()).as("a changed row has a new timestamp").isGreaterThan(lastSeen);
        }
        assertThat(list(Flows.data(api, tenant, c, "u-ts", "transactions", Map.of("timestamp_gte", lastSeen))))
                .as("timestamp_gte of the last seen value finds every change").containsAll(changed);
        assertThat(list(Flows.data(api, tenant, c, "u-ts", "transactions", Map.of("timestamp_gt", lastSeen))))
                .as("and only changes").containsExactlyInAnyOrderElementsOf(changed);
    }

    static Set<String> ids(List<JsonNode> list) {
        Set<String> out = new HashSet<>();
        list.forEach(x -> out.add(x.get("id").asString()));
        return out;
    }

    static Map<String, Object> body(Flows.Credentials c, String user) {
        return Flows.dataBody(tenant, c, user);
    }

    @Test
    void badBodiesOfTheNewCallsAreNamed() {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "u-bad", "carmen");
        Flows.Credentials other = Flows.aisCredentials(api, tenant, "u-bad", "carmen");
        worker().runAll();
        Map<String, Object> b = body(c, "u-bad");
        b.put("count", 0);
        assertError(api.post("/v1/transactions/sync", b), 400, "invalid_request", "invalid_field", "count");
        b.put("count", 501);
        assertError(api.post("/v1/transactions/sync", b), 400, "invalid_request", "invalid_field", "count");
        b.remove("count");
        b.put("cursor", "not-a-cursor");
        assertError(api.post("/v1/transactions/sync", b), 400, "invalid_request", "invalid_field", "cursor");
        Map<String, Object> o = body(other, "u-bad");
        String otherCursor = api.post("/v1/transactions/sync", o).text("next_cursor");
        b.put("cursor", otherCursor);
        assertError(api.post("/v1/transactions/sync", b), 400, "invalid_request", "invalid_field", "cursor");
        char[] tampered = otherCursor.toCharArray();
        tampered[tampered.length / 2] = tampered[tampered.length / 2] == 'A' ? 'B' : 'A';
        o.put("cursor", new String(tampered));
        assertError(api.post("/v1/transactions/sync", o), 400, "invalid_request", "invalid_field", "cursor");
        assertError(api.post("/v1/transactions/sync", body(c, "someone-else")), 401, "unauthorized", "invalid_credentials_id", "tenant_user_id");
        assertError(api.post("/v1/events/get", Api.object("client_id", tenant.clientId(), "client_secret", tenant.clientSecret(),
                "types", List.of("sync.nope"))), 400, "invalid_request", "invalid_field", "types");
        assertError(api.post("/v1/events/get", Api.object("client_id", tenant.clientId(), "client_secret", tenant.clientSecret(),
                "cursor", otherCursor)), 400, "invalid_request", "invalid_field", "cursor");
        assertError(api.post("/v1/events/get", Api.object("client_id", tenant.clientId(), "client_secret", "wrong")),
                401, "unauthorized", "invalid_client_secret", "client_secret");
    }

    static List<JsonNode> eventsOf(Flows.Credentials c) {
        Api.Response r = api.post("/v1/events/get", Api.object("client_id", tenant.clientId(), "client_secret", tenant.clientSecret(),
                "count", 500));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("events").forEach(e -> {
            if (c.credentialsId().equals(e.get("credentials_id").asString(null))) {
                out.add(e);
            }
        });
        return out;
    }

    @Test
    void expiringNoticesFourteenAndThreeDaysBeforeThenExpired() {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, "u-exp", "carmen");
        String consentExp = Flows.consent(api, tenant, c, "get").json().get("result").get("consent_exp").asString();
        Instant exp = Instant.parse(consentExp);
        org.openfinq.server.consent.ExpiryNoticeJob job = server.bean(org.openfinq.server.consent.ExpiryNoticeJob.class);
        job.run();
        assertThat(eventsOf(c)).extracting(e -> e.get("type").asString()).doesNotContain("consent.expiring");
        TestClock.INSTANCE.advance(Duration.between(Instant.now(), exp.minus(Duration.ofDays(14)).plusSeconds(60)));
        job.run();
        job.run();
        TestClock.INSTANCE.advance(Duration.ofDays(11));
        job.run();
        job.run();
        TestClock.INSTANCE.advance(Duration.ofDays(3));
        server.bean(org.openfinq.server.consent.RetentionJob.class).run();
        List<JsonNode> told = eventsOf(c).stream().filter(e -> !e.get("type").asString().startsWith("sync.")).toList();
        assertThat(told).extracting(e -> e.get("type").asString())
                .containsExactly("consent.expiring", "consent.expiring", "consent.expired");
        assertThat(told.get(0).get("data").get("days_left").asInt()).isEqualTo(14);
        assertThat(told.get(1).get("data").get("days_left").asInt()).isEqualTo(3);
        assertThat(told.get(0).get("data").get("consent_exp").asString()).isEqualTo(consentExp);
        assertThat(told.get(2).get("data").get("status").asString()).isEqualTo("EXPIRED");
        assertThat(Flows.consent(api, tenant, c, "get").json().get("result").get("status").asString()).isEqualTo("EXPIRED");
    }

    @Test
    void theNewShapesAreInTheServedOpenApi() {
        JsonNode doc = api.send("GET", "/openapi.json", Map.of(), null).json();
        JsonNode schemas = doc.path("components").path("schemas");
        for (String path : List.of("/v1/transactions/sync", "/v1s/transactions/sync", "/v1/events/get", "/v1s/events/get")) {
            JsonNode op = doc.path("paths").path(path).path("post");
            assertThat(op.isObject()).as(path).isTrue();
            assertThat(op.path("responses").path("400").path("description").asString()).contains("invalid_field");
        }
        assertThat(doc.path("paths").path("/v1/transactions/sync").path("post").path("responses").path("200").path("content")
                .path("application/json").path("schema").path("$ref").asString()).endsWith("/TransactionsSyncPage");
        assertThat(schemas.path("TransactionsSyncPage").path("properties").propertyNames())
                .containsExactlyInAnyOrder("added", "modified", "removed", "next_cursor", "has_more");
        assertThat(schemas.path("RemovedTransaction").path("properties").propertyNames()).containsExactlyInAnyOrder("id", "utx_id");
        assertThat(schemas.path("EventsPage").path("properties").propertyNames())
                .containsExactlyInAnyOrder("events", "next_cursor", "has_more");
        assertThat(schemas.path("Event").path("properties").propertyNames()).containsExactlyInAnyOrder("id", "type", "created_at",
                "client_id", "tenant_user_id", "credentials_id", "payment_id", "data");
        assertThat(schemas.path("ConsentResult").path("properties").has("sync")).isTrue();
        assertThat(schemas.path("ConsentSync").path("properties").propertyNames()).containsExactlyInAnyOrder("state",
                "initial_sync_completed_at", "last_success_at", "next_refresh_at", "rate_limited_until", "last_error");
        assertThat(schemas.path("ConsentSyncError").path("properties").propertyNames())
                .containsExactlyInAnyOrder("code", "message", "source", "retryable");
        for (String data : List.of("accounts", "balances", "transactions")) {
            JsonNode headers = doc.path("paths").path("/v1/" + data + "/get").path("post").path("responses").path("200").path("headers");
            assertThat(headers.has("Openfinq-Sync-State") && headers.has("Openfinq-Data-As-Of")).as(data).isTrue();
        }
        for (String[] nullable : new String[][]{{"TransactionData", "booking_date_time"}, {"TransactionData", "balance"},
                {"BalanceData", "native_date"}, {"ConsentResult", "pcd_data_retention"}, {"ConsentSync", "last_success_at"}}) {
            JsonNode p = schemas.path(nullable[0]).path("properties").path(nullable[1]);
            assertThat(p.path("nullable").asBoolean(false) || p.path("type").toString().contains("null"))
                    .as("%s.%s nullable: %s", nullable[0], nullable[1], p).isTrue();
        }
        for (String typed : List.of("BalanceData", "AccountBalance")) {
            JsonNode p = schemas.path(typed).path("properties").path("credit_limit_included");
            assertThat(p.path("type").toString()).as(typed).contains("boolean").doesNotContain("null");
            assertThat(p.path("nullable").asBoolean(false)).isFalse();
        }
    }
}
