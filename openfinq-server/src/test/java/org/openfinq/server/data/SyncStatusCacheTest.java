package org.openfinq.server.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.signing.CredentialCacheTest;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-node cache of consents' sync status (the {@code Openfinq-Sync-State} header of data reads), two nodes on
 * one PostgreSQL over real HTTP: node B answers the header from its cache (a change written without a notice is not
 * seen), and a change of {@code consent_sync} or of a sync job's status, made by any writer, shows on node B within
 * the bound {@link CredentialCacheTest#BOUND_MS}.
 */
class SyncStatusCacheTest {

    static TestDatabase db;
    static TestServer nodeA;
    static TestServer nodeB;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        nodeA = TestServer.start(db, Map.of("openfinq.sync.enabled", "false"));
        nodeB = TestServer.start(db, Map.of("openfinq.sync.enabled", "false"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (listeners() < 2) {
            assertThat(System.nanoTime()).as("both nodes listening").isLessThan(deadline);
            sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        db.close();
    }

    static int listeners() {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where datname = current_database() "
                     + "and application_name = 'openfinq change notices'")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sql(String... statements) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String state(Tenants.Creds t, Flows.Credentials c) {
        Api.Response r = Flows.data(nodeB.api(), t, c, "user-1", "transactions", null);
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
        Tenants.Creds t = Tenants.create(nodeA.api(), "sync-status", Flows.AIS);
        Flows.Credentials c = Flows.aisCredentials(nodeA.api(), t, "user-1", "alice");
        String id = c.credentialsId();
        sql("insert into consent_sync (consent_id, state, next_refresh_at, updated_at) values ('" + id + "', 'pending', now(), now()) "
                + "on conflict (consent_id) do update set state = 'pending', initial_sync_completed_at = null",
                "delete from sync_job where consent_id = '" + id + "'");
        until(t, c, "pending");

        // written without a notice (triggers off for this session): node B still answers from its cache
        sql("set session_replication_role = replica",
                "update consent_sync set state = 'ok', initial_sync_completed_at = now(), last_good_sync_at = now() "
                        + "where consent_id = '" + id + "'");
        for (int i = 0; i < 5; i++) {
            assertThat(state(t, c)).as("cached").isEqualTo("pending");
        }
        // the notice alone evicts it
        sql("select pg_notify('openfinq_changes', 'sync:" + id + "')");
        long notice = until(t, c, "ready");

        // a running job (a sync_job insert) makes it syncing; its end (a status change) makes it ready again
        sql("insert into sync_job (id, consent_id, attended, status, created_at) values (gen_random_uuid(), '" + id
                + "', false, 'running', now())");
        long running = until(t, c, "syncing");
        sql("update sync_job set status = 'done', finished_at = now() where consent_id = '" + id + "'");
        long done = until(t, c, "ready");
        // a failure recorded on consent_sync
        sql("update consent_sync set state = 'error', last_error_code = 'bank_error', last_error = 'x' where consent_id = '" + id + "'");
        long failed = until(t, c, "failed");
        System.out.printf("sync status on node B after a change: notice %d ms, job started %d ms, ended %d ms, failure %d ms%n",
                notice, running, done, failed);
    }
}
