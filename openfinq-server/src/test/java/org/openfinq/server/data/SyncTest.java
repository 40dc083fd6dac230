package org.openfinq.server.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openfinq.server.bank.BankProfiles;
import org.openfinq.server.consent.RetentionJob;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.sync.RefreshScheduler;
import org.openfinq.server.sync.SyncStore;
import org.openfinq.server.sync.SyncWorker;
import org.openfinq.testing.TestClock;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** Sync behaviour under a clock the test controls (the embedded sandbox bank follows the same clock). */
class SyncTest {

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
        tenant = Tenants.create(api, "sync", Flows.AIS);
        api.admin("PUT", "/admin/tenants/" + tenant.clientId() + "/skills/sandbox_ro_aisp_sbx_%231.0",
                Api.object("consent_duration", 7 * 1440, "cache_max_data_retention", 8 * 1440));
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

    static Flows.Credentials onboard(String user, String psu) {
        Flows.Credentials c = Flows.aisCredentials(api, tenant, user, psu);
        assertThat(worker().runAll()).isGreaterThanOrEqualTo(1);
        return c;
    }

    static SyncWorker worker() {
        return server.bean(SyncWorker.class);
    }

    static List<JsonNode> transactions(Flows.Credentials c, String user) {
        List<JsonNode> out = new ArrayList<>();
        Api.Response r = Flows.data(api, tenant, c, user, "transactions", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        r.json().forEach(out::add);
        return out;
    }

    static List<Object> row(String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<Object> out = new ArrayList<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getObject(i));
                }
            }
            return out;
        }
    }

    @Test
    void aSyncWhoseLeaseWasTakenOverRecordsNoOutcome() {
        Flows.Credentials c = onboard("lease-user", "alice");
        SyncStore store = server.bean(SyncStore.class);
        java.util.UUID consent = java.util.UUID.fromString(c.credentialsId());
        assertThat(store.enqueue(consent, false, null, TestClock.INSTANCE.instant())).isTrue();
        SyncStore.Job slow = store.claim(TestClock.INSTANCE.instant(), Duration.ofSeconds(60)).orElseThrow();
        TestClock.INSTANCE.advance(Duration.ofSeconds(61));
        SyncStore.Job takeover = store.claim(TestClock.INSTANCE.instant(), Duration.ofSeconds(60)).orElseThrow();
        assertThat(takeover.id()).isEqualTo(slow.id());
        assertThat(store.finishClaimed(slow, "failed", "late", 0, 0, TestClock.INSTANCE.instant()))
                .as("the node whose lease ran out records nothing").isFalse();
        assertThat(store.finishClaimed(takeover, "done", null, 0, 0, TestClock.INSTANCE.instant())).isTrue();
        assertThat(store.finishClaimed(takeover, "done", null, 0, 0, TestClock.INSTANCE.instant())).as("only once").isFalse();
    }

    @Test
    void theSameTransactionHasTheSameUtxIdThroughTwoConsentsAndAResyncWritesNothing() throws Exception {
        Flows.Credentials first = onboard("u-bogdan", "bogdan");
        Flows.Credentials second = onboard("u-bogdan", "bogdan");
        Set<String> a = transactions(first, "u-bogdan").stream().map(x -> x.get("utx_id").asString()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> b = transactions(second, "u-bogdan").stream().map(x -> x.get("utx_id").asString()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(a).hasSizeGreaterThan(100).isEqualTo(b);
        assertThat(transactions(first, "u-bogdan").getFirst().get("id").asString())
                .as("record ids are per consent").isNotEqualTo(transactions(second, "u-bogdan").getFirst().get("id").asString());

        int before = ((Number) row("select count(*) from transaction").getFirst()).intValue();
        server.bean(org.openfinq.server.sync.SyncStore.class).enqueue(UUID.fromString(first.credentialsId()), true, "10.1.1.1", Instant.now());
        assertThat(worker().runAll()).isEqualTo(1);
        List<Object> job = row("select status, rows_written, rows_seen from sync_job where consent_id = '" + first.credentialsId()
                + "' order by created_at desc limit 1");
        assertThat(job.get(0)).isEqualTo("done");
        assertThat(((Number) job.get(2)).intValue()).as("the re-sync read transactions").isPositive();
        assertThat(((Number) job.get(1)).intValue()).as("and wrote no row").isZero();
        assertThat(((Number) row("select count(*) from transaction").getFirst()).intValue()).isEqualTo(before);
    }

    @Test
    void aPendingTransactionKeepsItsUtxIdWhenBookedAndTheLinkIsRecorded() throws Exception {
        Flows.Credentials c = onboard("u-pending", "alice");
        Map<String, JsonNode> pending = new HashMap<>();
        transactions(c, "u-pending").stream().filter(x -> x.get("data").get("status").asString().equals("pending"))
                .forEach(x -> pending.put(x.get("utx_id").asString(), x));
        assertThat(pending).isNotEmpty();
        TestClock.INSTANCE.advance(Duration.ofDays(2));
        server.bean(org.openfinq.server.sync.SyncStore.class).enqueue(UUID.fromString(c.credentialsId()), true, "10.1.1.1",
                TestClock.INSTANCE.instant());
        worker().runAll();
        Map<String, JsonNode> now = new HashMap<>();
        transactions(c, "u-pending").forEach(x -> now.put(x.get("utx_id").asString(), x));
        for (String utx : pending.keySet()) {
            JsonNode booked = now.get(utx);
            assertThat(booked).as("utx %s still there", utx).isNotNull();
            assertThat(booked.get("data").get("status").asString()).isEqualTo("booked");
            assertThat(booked.get("data").get("booking_date_time").asString()).endsWith("T00:00:00Z");
            assertThat(row("select pending_transaction_id, bank_transaction_id from transaction where utx_id = '" + utx
                    + "' and account_id = '" + booked.get("account_id").asString() + "'"))
                    .satisfies(r -> {
                        assertThat((String) r.get(0)).startsWith("P");
                        assertThat((String) r.get(1)).startsWith("T");
                    });
        }
    }

    @Test
    void unattendedRefreshesStayWithinFourPer24HoursOver48Hours() throws Exception {
        Flows.Credentials c = onboard("u-budget", "carmen");
        String bankConsent = bankConsentId(c.credentialsId());
        UUID consent = UUID.fromString(c.credentialsId());
        for (int step = 0; step < 96; step++) {
            TestClock.INSTANCE.advance(Duration.ofMinutes(30));
            server.bean(RefreshScheduler.class).run();
            worker().runAll();
            // an unattended refresh asked for every 30 minutes besides the schedule's: only the allowance holds it back
            server.bean(org.openfinq.server.sync.SyncStore.class).enqueue(consent, false, null, TestClock.INSTANCE.instant());
            worker().runAll();
        }
        // the server's own accounting: every unattended job that went to the bank (not held back by the allowance)
        List<Instant> attempted = new ArrayList<>();
        try (Connection conn = db.connect(); ResultSet rs = conn.createStatement().executeQuery(
                "select created_at from sync_job where consent_id = '" + consent + "' and not attended "
                        + "and (error is null or error not like 'unattended allowance used up%') order by created_at")) {
            while (rs.next()) {
                attempted.add(rs.getTimestamp(1).toInstant());
            }
        }
        assertThat(attempted).as("the server refreshed unattended").hasSizeGreaterThanOrEqualTo(7);
        for (Instant start : attempted) {
            long inWindow = attempted.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plus(Duration.ofHours(24)))).count();
            assertThat(inWindow).as("unattended bank calls the server attempted in the 24 h from %s", start).isLessThanOrEqualTo(4);
        }
        List<Instant> calls = new ArrayList<>();
        String sandbox = server.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString();
        new Api(sandbox).send("GET", "/sandbox/v1/consents/" + bankConsent + "/unattended-accesses", Map.of(), null).json()
                .get("accesses").forEach(a -> {
                    if (a.get("resource").asString().equals("accounts")) {
                        calls.add(Instant.parse(a.get("at").asString()));
                    }
                });
        assertThat(calls).as("it did refresh unattended").hasSizeGreaterThanOrEqualTo(7);
        for (Instant start : calls) {
            long inWindow = calls.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plus(Duration.ofHours(24)))).count();
            assertThat(inWindow).as("unattended calls in the 24 h from %s", start).isLessThanOrEqualTo(4);
        }
        assertThat(row("select state from consent_sync where consent_id = '" + c.credentialsId() + "'").getFirst()).isEqualTo("ok");
    }

    @Test
    void aBank429LeavesTheConsentActiveAndRateLimited() throws Exception {
        Flows.Credentials c = onboard("u-429", "alice");
        String bankConsent = bankConsentId(c.credentialsId());
        Api bank = new Api(server.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString());
        for (int i = 0; i < 4; i++) {
            bank.send("GET", "/v1/accounts", Map.of("X-Request-ID", UUID.randomUUID().toString(), "Consent-ID", bankConsent), null);
        }
        TestClock.INSTANCE.advance(Duration.ofHours(7));
        assertThat(server.bean(RefreshScheduler.class).run()).isGreaterThanOrEqualTo(1);
        worker().runAll();
        List<Object> state = row("select state, retry_at from consent_sync where consent_id = '" + c.credentialsId() + "'");
        assertThat(state.get(0)).isEqualTo("rate_limited");
        assertThat(((java.sql.Timestamp) state.get(1)).toInstant()).isAfter(TestClock.INSTANCE.instant().plus(Duration.ofHours(16)));
        assertThat(Flows.consent(api, tenant, c, "get").json().get("result").get("status").asString()).isEqualTo("ACTIVE");
        assertThat(Flows.data(api, tenant, c, "u-429", "accounts", null).status()).as("cached data still served").isEqualTo(200);
        server.bean(RefreshScheduler.class).run();
        assertThat(((Number) row("select count(*) from sync_job where status = 'queued' and consent_id = '" + c.credentialsId() + "'")
                .getFirst()).intValue()).as("no refresh before the bank's retry time").isZero();
    }

    @Test
    void expiryAndPurgeFollowTheConsentsDates() throws Exception {
        Flows.Credentials c = onboard("u-expiry", "bogdan");
        Flows.Credentials deletedNow = onboard("u-expiry", "alice");
        Flows.Credentials deletedLater = onboard("u-expiry", "carmen");
        assertThat(count(c)).isPositive();
        Flows.consent(api, tenant, deletedNow, "delete", "pcd_data_retention", 0);
        assertThat(count(deletedNow)).as("pcd 0: deleted as soon as possible").isZero();
        Flows.consent(api, tenant, deletedLater, "delete", "pcd_data_retention", 60);
        assertError(Flows.data(api, tenant, deletedLater, "u-expiry", "transactions", null), 401, "unauthorized", "inactive_credentials", "deleted");
        TestClock.INSTANCE.advance(Duration.ofMinutes(61));
        server.bean(RetentionJob.class).run();
        assertThat(count(deletedLater)).isZero();
        assertThat(count(c)).isPositive();

        TestClock.INSTANCE.advance(Duration.ofDays(7));
        RetentionJob.Result r = server.bean(RetentionJob.class).run();
        assertThat(r.expired()).isGreaterThanOrEqualTo(1);
        assertThat(row("select status from consent where id = '" + c.credentialsId() + "'").getFirst()).isEqualTo("EXPIRED");
        assertError(Flows.data(api, tenant, c, "u-expiry", "accounts", null), 401, "unauthorized", "expired_credentials", "expired");
        assertThat(count(c)).as("kept until max_data_retention").isPositive();
        TestClock.INSTANCE.advance(Duration.ofDays(1));
        server.bean(RetentionJob.class).run();
        assertThat(count(c)).isZero();
        assertThat(((Number) row("select count(*) from account where consent_id = '" + c.credentialsId() + "'").getFirst()).intValue()).isZero();
        assertThat(((Number) row("select count(*) from balance b join account a on a.id = b.account_id where a.consent_id = '"
                + c.credentialsId() + "'").getFirst()).intValue()).isZero();
    }

    static int count(Flows.Credentials c) throws Exception {
        return ((Number) row("select count(*) from transaction t join account a on a.id = t.account_id where a.consent_id = '"
                + c.credentialsId() + "'").getFirst()).intValue();
    }

    static String bankConsentId(String credentialsId) throws Exception {
        byte[] sealed = (byte[]) row("select bank_consent from consent where id = '" + credentialsId + "'").getFirst();
        return server.bean(DataCipher.class).decryptString(sealed, "consent:" + credentialsId);
    }
}
