package org.openfinq.server.jobs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.DatabaseDump;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.sync.SyncWorker;
import org.openfinq.testing.TestClock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every table's lifetime (docs/decisions.md, retention) enforced by the scheduled purge jobs under a clock the test
 * moves: expired rows go, live rows stay, and a dump afterwards holds nothing of an ended loan session.
 */
class RetentionTest {

    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final Map<String, Instant> ONE_OFF_RUNS = new ConcurrentHashMap<>();

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;

    /** A one-off job kind that only exists in this test: it records that it ran. */
    @Configuration(proxyBeanMethods = false)
    static class TestJobs {
        @Bean
        OneOffJob recordingJob() {
            return new OneOffJob() {
                @Override
                public String name() {
                    return "test-recording";
                }

                @Override
                public void run(String key) {
                    ONE_OFF_RUNS.put(key, Instant.now());
                }
            };
        }
    }

    @BeforeAll
    static void start() {
        TestClock.INSTANCE.reset();
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sync.enabled", "false", "openfinq.retention.interval", "PT1S",
                        "openfinq.onboarding.expiry-interval", "PT1S", "openfinq.sandbox-bank.large-psu-transactions", "0",
                        "openfinq.limits.purge-interval", "PT1S", "openfinq.audit.purge-interval", "PT1S"),
                TestClock.Config.class, TestJobs.class);
        api = server.api();
        tenant = Tenants.create(api, "retention", Flows.LOAN, Flows.AIS);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
        TestClock.INSTANCE.reset();
    }

    @Test
    void everyTableLosesItsExpiredRowsAndKeepsItsLiveOnes() throws Exception {
        // real flows: a completed loan session with applicant data and an uploaded document; an AIS consent
        Flows.Session loan = Flows.session(api, tenant, Flows.LOAN, "applicant-1");
        Api.Response form = Flows.step(api, tenant, loan.id(), loan.nonce(), Flows.LOAN, "product_form",
                Map.of("value", "100000", "currency", "EUR", "period", "12"));
        Api.Response applicant = Flows.step(api, tenant, loan.id(), form.text("nonce"), Flows.LOAN, "applicant",
                Map.of("first_name", "Ioana", "last_name", "Marin", "email", "ioana.marin@example.ro", "birth_date", "1988-02-29",
                        "phone", "+40721234567", "national_id", "2880229123456"));
        Api.Response docs = Flows.step(api, tenant, loan.id(), applicant.text("nonce"), Flows.LOAN, "documents",
                Map.of("document_type", "id_card"));
        Api.Response done = Flows.upload(api, docs.json().get("data").get("upload").get("url").asString(),
                Map.of("client_id", tenant.clientId(), "nonce", docs.text("nonce")), "scan.pdf", "application/pdf", PDF);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.text("status")).isEqualTo("SESSION_COMPLETED");
        String documentHex = HexFormat.of().formatHex((byte[]) one("select content from session_document where session_id = ?", loan.id()));
        String applicantHex = HexFormat.of().formatHex((byte[]) one(
                "select data_sealed from session_step where session_id = ? and data_sealed is not null", loan.id()));

        Flows.Session ais = Flows.session(api, tenant, Flows.AIS, "ais-user");
        Api.Response implicit = Flows.step(api, tenant, ais.id(), ais.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "alice"));
        assertThat(implicit.status()).as(implicit.body()).isEqualTo(200);
        Api.Response token = Flows.exchange(api, tenant, implicit.json().get("data").get("temp_token").asString());
        UUID liveConsent = UUID.fromString(token.text("credentials_id"));
        assertThat(server.bean(SyncWorker.class).runAll()).isOne();

        // rows past their lifetime once the clock has moved 31 days (and a few that are long past it already)
        Instant t0 = TestClock.INSTANCE.instant();
        UUID client = UUID.fromString(tenant.clientId());
        UUID oldConsent = UUID.randomUUID();
        exec("insert into consent (id, client_id, tenant_user_id, skill, servicer_id, status, consent_exp, max_data_retention, "
                        + "deleted_at, created_at, updated_at) values (?, ?, 'old', ?, ?, 'DELETED', ?, ?, ?, ?, ?)",
                oldConsent, client, Flows.AIS, UUID.randomUUID(), ts(t0.minus(Duration.ofDays(100))), ts(t0.minus(Duration.ofDays(70))),
                ts(t0.minus(Duration.ofDays(70))), ts(t0.minus(Duration.ofDays(200))), ts(t0.minus(Duration.ofDays(70))));
        exec("insert into consent_sync (consent_id, state, next_refresh_at, updated_at) values (?, 'ok', ?, ?)",
                oldConsent, ts(t0.minus(Duration.ofDays(70))), ts(t0.minus(Duration.ofDays(70))));
        UUID expiredConsent = UUID.randomUUID();
        exec("insert into consent (id, client_id, tenant_user_id, skill, servicer_id, status, consent_exp, max_data_retention, "
                        + "created_at, updated_at) values (?, ?, 'exp', ?, ?, 'EXPIRED', ?, ?, ?, ?)",
                expiredConsent, client, Flows.AIS, UUID.randomUUID(), ts(t0.minus(Duration.ofDays(1))), ts(t0.plus(Duration.ofDays(1))),
                ts(t0.minus(Duration.ofDays(10))), ts(t0.minus(Duration.ofDays(1))));
        UUID expiredAccount = account(expiredConsent, t0);
        UUID expiredSession = session(client, "SESSION_EXPIRED", t0);
        exec("insert into session_nonce (nonce_hash, session_id, expires_at) values ('old-nonce', ?, ?)", expiredSession, ts(t0));
        exec("insert into sca_decoupled (session_id, bank_reference, created_at, updated_at) values (?, ?, ?, ?)",
                expiredSession, new byte[]{1}, ts(t0), ts(t0));
        exec("insert into sync_job (id, consent_id, attended, status, created_at, finished_at) values (?, ?, false, 'done', ?, ?)",
                UUID.randomUUID(), liveConsent, ts(t0), ts(t0.plus(Duration.ofDays(20))));
        exec("insert into unattended_call (consent_id, at) values (?, ?)", liveConsent, ts(t0.plus(Duration.ofDays(29))));
        exec("insert into idempotency_key (client_id, key, request_hash, response, created_at, expires_at) "
                + "values (?, 'old-key', 'h', '{}'::jsonb, ?, ?)", client, ts(t0), ts(t0.plus(Duration.ofDays(7))));
        UUID oldPayment = payment(client, "settled", t0.minus(Duration.ofDays(380)));
        exec("insert into used_jti (client_id, jti_hash, expires_at) values (?, 'old-jti', ?)", client, ts(t0.plus(Duration.ofHours(1))));
        event(client, t0);
        tombstone(liveConsent, 1, t0);
        exec("insert into auth_failure (key, window_start, failures, locked_until) values ('old-failure', ?, 3, ?)",
                ts(t0), ts(t0.plus(Duration.ofMinutes(1))));
        exec("insert into tenant_rate_bucket (client_id, capacity, tokens, refilled_at) values (?, 6000, 10, ?) "
                + "on conflict (client_id) do update set refilled_at = excluded.refilled_at", client, ts(t0));
        exec("insert into audit_event (at, actor, action, client_id) values (?, 'system', 'test.old', ?)",
                ts(t0.minus(Duration.ofDays(400))), client);
        UUID endpoint = UUID.randomUUID();
        exec("insert into webhook_endpoint (id, client_id, url, secret, last_seq, created_at) values (?, ?, 'https://93.184.215.14/h', "
                + "'\\x00'::bytea, 9223372036854775807, ?)", endpoint, client, ts(t0));
        UUID oldDelivery = delivery(endpoint, t0);

        Map<String, Long> before = counts();
        TestClock.INSTANCE.advance(Duration.ofDays(31));
        Instant t1 = TestClock.INSTANCE.instant();

        // rows still within their lifetime at t1
        UUID liveEnded = session(client, "SESSION_COMPLETED", t1.minus(Duration.ofDays(1)));
        UUID liveStep = UUID.randomUUID();
        exec("insert into session_step (id, session_id, name, step_order, data, data_sealed, created_at) "
                + "values (?, ?, 'applicant', 1, '{}'::jsonb, ?, ?)", liveStep, liveEnded, new byte[]{1, 2, 3}, ts(t1));
        exec("insert into session_document (id, session_id, step_id, content_type, size_bytes, sha256, content, created_at) "
                + "values (?, ?, ?, 'application/pdf', 3, 'x', ?, ?)", UUID.randomUUID(), liveEnded, liveStep, new byte[]{4, 5, 6}, ts(t1));
        UUID liveOpen = session(client, "SESSION_IN_PROGRESS", t1);
        exec("insert into session_nonce (nonce_hash, session_id, expires_at) values ('live-nonce', ?, ?)", liveOpen, ts(t1.plus(Duration.ofMinutes(30))));
        exec("insert into sca_decoupled (session_id, bank_reference, created_at, updated_at) values (?, ?, ?, ?)",
                liveOpen, new byte[]{1}, ts(t1), ts(t1));
        exec("insert into sca_redirect (state_hash, session_id, kind, bank_reference, psu_redirect_link, created_at) "
                + "values ('old-state', ?, 'consent', ?, 'https://app.example', ?)", liveOpen, new byte[]{1}, ts(t1.minus(Duration.ofDays(2))));
        exec("insert into sca_redirect (state_hash, session_id, kind, bank_reference, psu_redirect_link, created_at) "
                + "values ('live-state', ?, 'consent', ?, 'https://app.example', ?)", liveOpen, new byte[]{1}, ts(t1.minus(Duration.ofHours(1))));
        exec("insert into temp_token (token_hash, session_id, consent_id, client_id, expires_at) values ('live-token', ?, ?, ?, ?)",
                liveOpen, liveConsent, client, ts(t1.plus(Duration.ofMinutes(10))));
        UUID recentlyDeleted = UUID.randomUUID();
        exec("insert into consent (id, client_id, tenant_user_id, skill, servicer_id, status, consent_exp, max_data_retention, "
                        + "deleted_at, created_at, updated_at) values (?, ?, 'recent', ?, ?, 'DELETED', ?, ?, ?, ?, ?)",
                recentlyDeleted, client, Flows.AIS, UUID.randomUUID(), ts(t1.plus(Duration.ofDays(10))), ts(t1.minus(Duration.ofDays(1))),
                ts(t1.minus(Duration.ofDays(1))), ts(t1.minus(Duration.ofDays(5))), ts(t1.minus(Duration.ofDays(1))));
        UUID liveAccount = account(liveConsent, t1);
        UUID liveJob = UUID.randomUUID();
        exec("insert into sync_job (id, consent_id, attended, status, created_at, finished_at) values (?, ?, false, 'done', ?, ?)",
                liveJob, liveConsent, ts(t1.minus(Duration.ofDays(2))), ts(t1.minus(Duration.ofDays(2))));
        exec("insert into unattended_call (consent_id, at) values (?, ?)", liveConsent, ts(t1.minus(Duration.ofHours(1))));
        exec("insert into idempotency_key (client_id, key, request_hash, response, created_at, expires_at) "
                + "values (?, 'live-key', 'h', '{}'::jsonb, ?, ?)", client, ts(t1), ts(t1.plus(Duration.ofDays(7))));
        UUID livePayment = payment(client, "settled", t1.minus(Duration.ofDays(1)));
        UUID openPayment = payment(client, "initiated", t0);
        exec("insert into used_jti (client_id, jti_hash, expires_at) values (?, 'live-jti', ?)", client, ts(t1.plus(Duration.ofHours(1))));
        UUID liveEvent = event(client, t1.minus(Duration.ofDays(1)));
        exec("insert into auth_failure (key, window_start, failures, locked_until) values ('live-failure', ?, 3, null)", ts(t1));
        exec("insert into auth_failure (key, window_start, failures, locked_until) values ('locked-failure', ?, 20, ?)",
                ts(t1.minus(Duration.ofDays(1))), ts(t1.plus(Duration.ofHours(1))));
        exec("insert into audit_event (at, actor, action, client_id) values (?, 'system', 'test.live', ?)",
                ts(t1.minus(Duration.ofDays(300))), client);
        UUID liveDelivery = delivery(endpoint, t1.minus(Duration.ofDays(1)));
        tombstone(liveConsent, 2, t1.minus(Duration.ofDays(1)));
        for (String[] row : new String[][]{{"old-connect", "2"}, {"live-connect", "0"}}) {
            exec("insert into connect_session (id, token_hash, client_id, tenant_user_id, psu_redirect_link, type, created_at, expires_at) "
                            + "values (?, ?, ?, 'u', 'https://app.example/back', 'aisp', ?, ?)", UUID.randomUUID(), row[0], client,
                    ts(t1.minus(Duration.ofDays(Long.parseLong(row[1])).plusMinutes(15))),
                    ts(t1.minus(Duration.ofDays(Long.parseLong(row[1]))).plus(Duration.ofMinutes(5))));
        }
        Jobs jobs = server.bean(Jobs.class);
        assertThat(jobs.runOnce("test-recording", "k1", Instant.now())).isTrue();

        // the purge jobs run on their own (every second here); wait until the expired rows are gone
        Instant deadline = Instant.now().plusSeconds(60);
        while (!(absent("session", "id", loan.id()) && absent("session", "id", expiredSession) && absent("consent", "id", oldConsent)
                && absent("account", "id", expiredAccount) && absent("payment", "id", oldPayment) && count("used_jti") == 1
                && count("unattended_call") == 1 && count("idempotency_key") == 1 && ONE_OFF_RUNS.containsKey("k1")
                && count("scheduled_tasks where task_name = 'test-recording'") == 0 && count("sync_job") == 1
                && count("sca_redirect") == 1 && count("temp_token") == 1 && count("event") == 1
                && count("transaction_tombstone") == 1 && count("auth_failure where key = 'old-failure'") == 0
                && count("tenant_rate_bucket where client_id = '" + client + "'") == 0
                && count("audit_event where action = 'test.old'") == 0
                && count("connect_session where token_hash = 'old-connect'") == 0
                && absent("webhook_delivery", "id", oldDelivery))) {
            assertThat(Instant.now()).as("expired rows purged; now %s", counts()).isBefore(deadline);
            Thread.sleep(250);
        }

        // expired: gone, with what hangs off them
        assertThat(absent("session", "id", ais.id())).as("the completed AIS session").isTrue();
        assertThat(count("session_step where session_id = '" + loan.id() + "'")).isZero();
        assertThat(count("session_document where session_id = '" + loan.id() + "'")).isZero();
        assertThat(count("session_nonce where nonce_hash = 'old-nonce'")).isZero();
        assertThat(count("sca_decoupled where session_id = '" + expiredSession + "'")).as("goes with its session").isZero();
        assertThat(count("session_nonce where session_id = '" + loan.id() + "'")).isZero();
        assertThat(count("consent_sync where consent_id = '" + oldConsent + "'")).isZero();
        assertThat(count("balance b join account a on a.id = b.account_id where a.consent_id = '" + expiredConsent + "'")).isZero();
        assertThat(count("transaction t join account a on a.id = t.account_id where a.consent_id = '" + expiredConsent + "'")).isZero();
        assertThat(one("select status from consent where id = ?", expiredConsent))
                .as("an expired consent stays (to answer expired_credentials) until its own retention").isEqualTo("EXPIRED");

        // live: untouched
        assertThat(one("select status from session where id = ?", liveEnded)).isEqualTo("SESSION_COMPLETED");
        assertThat(one("select status from session where id = ?", liveOpen)).isEqualTo("SESSION_IN_PROGRESS");
        assertThat(count("session_step where id = '" + liveStep + "'")).isOne();
        assertThat(count("session_document where session_id = '" + liveEnded + "'")).isOne();
        assertThat(count("session_nonce where nonce_hash = 'live-nonce'")).isOne();
        assertThat(count("sca_redirect where state_hash = 'live-state'")).isOne();
        assertThat(count("sca_decoupled where session_id = '" + liveOpen + "'")).isOne();
        assertThat(count("temp_token where token_hash = 'live-token'")).isOne();
        assertThat(one("select status from consent where id = ?", liveConsent)).isEqualTo("ACTIVE");
        assertThat(one("select status from consent where id = ?", recentlyDeleted)).isEqualTo("DELETED");
        assertThat(count("consent_sync where consent_id = '" + liveConsent + "'")).isOne();
        assertThat(count("account where id = '" + liveAccount + "'")).isOne();
        assertThat(count("balance where account_id = '" + liveAccount + "'")).isOne();
        assertThat(count("transaction where account_id = '" + liveAccount + "'")).isOne();
        assertThat(count("account where consent_id = '" + liveConsent + "'")).as("the consent's synced accounts").isGreaterThan(1);
        assertThat(count("sync_job where id = '" + liveJob + "'")).isOne();
        assertThat(count("unattended_call where consent_id = '" + liveConsent + "'")).isOne();
        assertThat(count("idempotency_key where key = 'live-key'")).isOne();
        assertThat(count("payment where id in ('" + livePayment + "', '" + openPayment + "')")).isEqualTo(2);
        assertThat(count("used_jti where jti_hash = 'live-jti'")).isOne();
        assertThat(count("event where id = '" + liveEvent + "'")).isOne();
        assertThat(count("transaction_tombstone where change_seq = 2")).isOne();
        assertThat(count("auth_failure where key in ('live-failure', 'locked-failure')")).as("a current window and a running lockout").isEqualTo(2);
        assertThat(count("audit_event where action = 'test.live'")).as("an audit record younger than its 400 days").isOne();
        assertThat(count("connect_session where token_hash = 'live-connect'")).as("a Connect session not yet a day past expiry").isOne();
        assertThat(count("webhook_delivery where id = '" + liveDelivery + "'")).isOne();
        assertThat(count("webhook_endpoint where id = '" + endpoint + "'")).as("configuration stays").isOne();
        Map<String, Long> after = counts();
        for (String config : List.of("tenant", "tenant_skill", "signer", "signer_key", "flyway_schema_history")) {
            assertThat(after.get(config)).as(config).isEqualTo(before.get(config));
        }
        assertThat(strings("select task_name from scheduled_tasks")).as("one row per recurring job kind")
                .containsExactlyInAnyOrder("session-expiry", "onboarding-retention", "consent-expiry", "consent-retention",
                        "sync-retention", "payment-status-poll", "payment-retention", "replay-guard-retention",
                        "consent-expiry-notice", "tombstone-retention", "event-retention", "abuse-retention",
                        "audit-retention", "connect-retention", "webhook-deliveries", "webhook-retention",
                        "decoupled-sca-poll", "simplefin-retention", "gocardless-retention");

        String dump = DatabaseDump.of(db);
        assertThat(dump).doesNotContain(loan.id()).doesNotContain(documentHex).doesNotContain(applicantHex)
                .doesNotContain("2880229123456").doesNotContain("ioana.marin");
    }

    static List<String> strings(String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static UUID session(UUID client, String status, Instant at) throws Exception {
        UUID id = UUID.randomUUID();
        exec("insert into session (id, client_id, tenant_user_id, skill, status, created_at, updated_at, expires_at) "
                + "values (?, ?, 'u', ?, ?, ?, ?, ?)", id, client, Flows.LOAN, status, ts(at), ts(at), ts(at.plus(Duration.ofMinutes(30))));
        return id;
    }

    static UUID account(UUID consent, Instant at) throws Exception {
        UUID id = UUID.randomUUID();
        exec("insert into account (id, consent_id, resource_id, currency, updated_at) values (?, ?, ?, 'EUR', ?)",
                id, consent, "r-" + id, ts(at));
        exec("insert into balance (id, account_id, type, amount, currency, queried_at) values (?, ?, 'closingBooked', 1, 'EUR', ?)",
                UUID.randomUUID(), id, ts(at));
        exec("insert into transaction (id, account_id, utx_id, status, amount, credit_debit_indicator, currency, inserted_at, "
                + "changed_at, created_seq, change_seq) values (?, ?, ?, 'booked', 1, 'credit', 'EUR', ?, ?, "
                + "nextval('transaction_change_seq'), currval('transaction_change_seq'))", UUID.randomUUID(), id, "utx-" + id, ts(at), ts(at));
        return id;
    }

    static UUID delivery(UUID endpoint, Instant at) throws Exception {
        UUID id = UUID.randomUUID();
        exec("insert into webhook_delivery (id, endpoint_id, event_id, body, state, attempts, next_attempt_at, created_at, finished_at) "
                + "values (?, ?, ?, '{}', 'delivered', 1, ?, ?, ?)", id, endpoint, UUID.randomUUID(), ts(at), ts(at), ts(at));
        return id;
    }

    static UUID event(UUID client, Instant at) throws Exception {
        UUID id = UUID.randomUUID();
        exec("insert into event (id, client_id, type, data, created_at) values (?, ?, 'test.event', '{}'::jsonb, ?)", id, client, ts(at));
        return id;
    }

    static void tombstone(UUID consent, long seq, Instant at) throws Exception {
        exec("insert into transaction_tombstone (consent_id, transaction_id, utx_id, created_seq, change_seq, removed_at) "
                + "values (?, ?, 'utx', ?, ?, ?)", consent, UUID.randomUUID(), seq, seq, ts(at));
    }

    static UUID payment(UUID client, String status, Instant at) throws Exception {
        UUID id = UUID.randomUUID();
        exec("insert into payment (id, client_id, tenant_user_id, skill, servicer_id, product, bank_payment, debtor_iban, "
                        + "creditor_name, creditor_iban, amount, currency, status, bank_status, created_at, updated_at) "
                        + "values (?, ?, 'u', ?, ?, 'sepa-credit-transfers', ?, 'RO1', 'C', 'RO2', 1, 'RON', ?, 'X', ?, ?)",
                id, client, Flows.PIS, UUID.randomUUID(), new byte[]{1}, status, ts(at), ts(at));
        return id;
    }

    static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    static void exec(String sql, Object... params) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    static Object one(String sql, Object param) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, param instanceof String str && str.length() == 36 ? UUID.fromString(str) : param);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    static boolean absent(String table, String column, Object id) throws Exception {
        return count(table + " where " + column + " = '" + id + "'") == 0;
    }

    static long count(String from) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("select count(*) from " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Map<String, Long> counts() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : List.of("tenant", "tenant_skill", "session", "session_nonce", "session_step", "session_document", "sca_redirect", "sca_decoupled",
                "consent", "temp_token", "account", "balance", "transaction", "consent_sync", "sync_job", "unattended_call", "payment",
                "idempotency_key", "signer", "signer_key", "used_jti", "event", "transaction_tombstone", "scheduled_tasks",
                "webhook_endpoint", "webhook_delivery",
                "flyway_schema_history")) {
            out.put(t, count(t));
        }
        return out;
    }
}
