package org.openfinq.server.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openfinq.server.signing.CredentialCacheTest;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.TwoNodes;
import org.openfinq.server.support.Tenants;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-node caches of data reads, two nodes on one PostgreSQL over real HTTP. The consents' sync status (the
 * {@code Openfinq-Sync-State} header): node B answers the header from its cache (a change written without a notice
 * is not seen), and a change of {@code consent_sync} or of a sync job's status, made by any writer, shows on node B
 * within the bound {@link CredentialCacheTest#BOUND_MS}. The kept answers of {@code transactions/get}: the same, for
 * every change of a consent's transactions or accounts.
 */
class ReadCacheTest {

    @RegisterExtension
    static final TwoNodes nodes = new TwoNodes();

    static String state(Tenants.Creds t, Flows.Credentials c) {
        Api.Response r = Flows.data(nodes.b.api(), t, c, "user-1", "transactions", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.raw().headers().firstValue(SyncHeaders.STATE).orElse(null);
    }

    /** Milliseconds until node B's header shows {@code expected}; fails after the bound. */
    static long until(Tenants.Creds t, Flows.Credentials c, String expected) {
        long t0 = System.nanoTime();
        while (!expected.equals(state(t, c))) {
            assertThat((System.nanoTime() - t0) / 1_000_000).as("'%s' within %d ms", expected, CredentialCacheTest.BOUND_MS)
                    .isLessThan(CredentialCacheTest.BOUND_MS);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void nodeBShowsEveryStatusChangeWithinTheBound() {
        Tenants.Creds t = Tenants.create(nodes.a.api(), "sync-status", Flows.AIS);
        Flows.Credentials c = Flows.aisCredentials(nodes.a.api(), t, "user-1", "alice");
        String id = c.credentialsId();
        nodes.sql("insert into consent_sync (consent_id, state, next_refresh_at, updated_at) values ('" + id + "', 'pending', now(), now()) "
                + "on conflict (consent_id) do update set state = 'pending', initial_sync_completed_at = null",
                "delete from sync_job where consent_id = '" + id + "'");
        until(t, c, "pending");

        // written without a notice (triggers off for this session): node B still answers from its cache
        nodes.sql("set session_replication_role = replica",
                "update consent_sync set state = 'ok', initial_sync_completed_at = now(), last_good_sync_at = now() "
                        + "where consent_id = '" + id + "'");
        for (int i = 0; i < 5; i++) {
            assertThat(state(t, c)).as("cached").isEqualTo("pending");
        }
        // the notice alone evicts it
        nodes.sql("select pg_notify('openfinq_changes', 'sync:" + id + "')");
        long notice = until(t, c, "ready");

        // a running job (a sync_job insert) makes it syncing; its end (a status change) makes it ready again
        nodes.sql("insert into sync_job (id, consent_id, attended, status, created_at) values (gen_random_uuid(), '" + id
                + "', false, 'running', now())");
        long running = until(t, c, "syncing");
        nodes.sql("update sync_job set status = 'done', finished_at = now() where consent_id = '" + id + "'");
        long done = until(t, c, "ready");
        // a failure recorded on consent_sync
        nodes.sql("update consent_sync set state = 'error', last_error_code = 'bank_error', last_error = 'x' where consent_id = '" + id + "'");
        long failed = until(t, c, "failed");
        System.out.printf("sync status on node B after a change: notice %d ms, job started %d ms, ended %d ms, failure %d ms%n",
                notice, running, done, failed);
    }

    static final String ACCOUNT = "aaaaaaaa-0000-4000-8000-000000000001";

    static java.util.List<String> amounts(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        java.util.List<String> out = new java.util.ArrayList<>();
        r.json().forEach(t -> out.add(t.path("utx_id").asString() + "=" + t.path("data").path("amount").asString()));
        return out;
    }

    static Api.Response transactions(TestServer node, Tenants.Creds t, Flows.Credentials c, Integer limit) {
        Map<String, Object> body = Flows.dataBody(t, c, "user-1");
        if (limit != null) {
            body.put("limit", limit);
        }
        return node.api().post("/v1/transactions/get", body);
    }

    /** Milliseconds until node B's unpaged and one-row answers are {@code expected} (and its first row); fails after the bound. */
    static long answers(Tenants.Creds t, Flows.Credentials c, java.util.List<String> expected) {
        long t0 = System.nanoTime();
        while (true) {
            java.util.List<String> all = amounts(transactions(nodes.b, t, c, null));
            java.util.List<String> first = amounts(transactions(nodes.b, t, c, 1));
            if (all.equals(expected) && first.equals(expected.isEmpty() ? expected : expected.subList(0, 1))) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).as("%s within %d ms (now %s, first %s)", expected,
                    CredentialCacheTest.BOUND_MS, all, first).isLessThan(CredentialCacheTest.BOUND_MS);
        }
    }

    static String tx(String consentAccount, String utx, String day, String amount) {
        return "insert into transaction (id, account_id, utx_id, status, booking_date_time, amount, credit_debit_indicator, "
                + "currency, inserted_at, changed_at, created_seq, change_seq) values (gen_random_uuid(), '" + consentAccount + "', '" + utx
                + "', 'booked', '" + day + "T10:00:00Z', " + amount + ", 'debit', 'RON', now(), now(), nextval('transaction_change_seq'), currval('transaction_change_seq'))";
    }

    @Test
    void nodeBAnswersFromItsKeptAnswersUntilTheDataChanges() {
        Tenants.Creds t = Tenants.create(nodes.a.api(), "answers", Flows.AIS);
        Flows.Credentials c = Flows.aisCredentials(nodes.a.api(), t, "user-1", "alice");
        String id = c.credentialsId();
        nodes.sql("delete from account where consent_id = '" + id + "'",
                "insert into account (id, consent_id, resource_id, currency, updated_at) values ('" + ACCOUNT + "', '" + id
                        + "', 'r-1', 'RON', now())",
                tx(ACCOUNT, "u-1", "2026-01-01", "1.00"), tx(ACCOUNT, "u-2", "2026-01-02", "2.00"));
        answers(t, c, java.util.List.of("u-2=2.00", "u-1=1.00"));

        // written without a notice (triggers off for this session): node B keeps answering what it kept
        nodes.sql("set session_replication_role = replica", tx(ACCOUNT, "u-3", "2026-01-03", "3.00"));
        for (int i = 0; i < 5; i++) {
            assertThat(amounts(transactions(nodes.b, t, c, null))).as("kept").containsExactly("u-2=2.00", "u-1=1.00");
            assertThat(amounts(transactions(nodes.b, t, c, 1))).as("kept page").containsExactly("u-2=2.00");
        }
        // node A read nothing since then: it reads the database
        assertThat(amounts(transactions(nodes.a, t, c, null))).containsExactly("u-3=3.00", "u-2=2.00", "u-1=1.00");
        // the notice alone drops node B's answers
        nodes.sql("select pg_notify('openfinq_changes', 'data:" + id + "')");
        long notice = answers(t, c, java.util.List.of("u-3=3.00", "u-2=2.00", "u-1=1.00"));

        // every writer: an insert, an update, a delete, and an account's deletion (its transactions go by cascade)
        nodes.sql(tx(ACCOUNT, "u-4", "2026-01-04", "4.00"));
        long insert = answers(t, c, java.util.List.of("u-4=4.00", "u-3=3.00", "u-2=2.00", "u-1=1.00"));
        nodes.sql("update transaction set amount = 5.00 where utx_id = 'u-1' and account_id = '" + ACCOUNT + "'");
        long update = answers(t, c, java.util.List.of("u-4=4.00", "u-3=3.00", "u-2=2.00", "u-1=5.00"));
        nodes.sql("delete from transaction where utx_id = 'u-4' and account_id = '" + ACCOUNT + "'");
        long delete = answers(t, c, java.util.List.of("u-3=3.00", "u-2=2.00", "u-1=5.00"));
        nodes.sql("delete from account where id = '" + ACCOUNT + "'");
        long account = answers(t, c, java.util.List.of());
        System.out.printf("transactions/get on node B after a change: notice %d ms, insert %d ms, update %d ms, delete %d ms, "
                + "account deleted %d ms%n", notice, insert, update, delete, account);
    }
}
