package org.openfinq.server.signing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.tenant.Secrets;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * The per-node caches of tenants, signer keys and consents, two nodes on one PostgreSQL over real HTTP: node B
 * answers from its cache (a change written without a notice is not seen), and every change made through node A
 * (secret rotation, tenant deletion, key removal, consent deletion) is refused on node B within a measured bound.
 * When B's listening connection is lost its cache is bypassed and emptied, so a notice it missed cannot leave a
 * stale entry.
 */
public class CredentialCacheTest {

    /** The bound asserted here; the figures printed are what a run measured. */
    public static final long BOUND_MS = 1000;

    static TestDatabase db;
    static TestServer nodeA;
    static TestServer nodeB;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        nodeA = TestServer.start(db, Map.of("openfinq.sync.enabled", "false"));
        nodeB = TestServer.start(db, Map.of("openfinq.sync.enabled", "false"));
        awaitListeners(2);
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

    static void awaitListeners(int n) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (listeners() < n) {
            assertThat(System.nanoTime()).as("%d nodes listening", n).isLessThan(deadline);
            sleep(20);
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

    static Api.Response skills(TestServer node, Tenants.Creds t, String secret) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", t.clientId());
        body.put("client_secret", secret);
        return node.api().post("/v1/catalogs/skills/get", body);
    }

    /** Milliseconds from {@code t0} until {@code refused} holds, polling without pause. */
    static long until(long t0, java.util.function.BooleanSupplier refused) {
        while (!refused.getAsBoolean()) {
            assertThat((System.nanoTime() - t0) / 1_000_000).as("refused within %d ms", BOUND_MS).isLessThan(BOUND_MS);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void nodeBAnswersFromItsCacheUntilANoticeEvictsTheEntry() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "cached");
        assertThat(skills(nodeB, t, t.clientSecret()).status()).isEqualTo(200);
        // a change that sends no notice (triggers off for this session) is not seen: B answers from memory
        sql("set session_replication_role = replica",
                "update tenant set client_secret_hash = '" + Secrets.hash("another") + "' where client_id = '" + t.clientId() + "'");
        for (int i = 0; i < 5; i++) {
            assertThat(skills(nodeB, t, t.clientSecret()).status()).as("cached").isEqualTo(200);
        }
        // the notice alone evicts it
        sql("select pg_notify('openfinq_changes', 'tenant:" + t.clientId() + "')");
        long ms = until(System.nanoTime(), () -> skills(nodeB, t, t.clientSecret()).status() == 401);
        assertError(skills(nodeB, t, t.clientSecret()), 401, "unauthorized", "invalid_client_secret", "client_secret");
        assertThat(skills(nodeB, t, "another").status()).isEqualTo(200);
        System.out.println("notice to eviction on node B: " + ms + " ms");
    }

    @Test
    void aRotationOnAIsRefusedOnBWithinTheBound() {
        List<Long> times = new ArrayList<>();
        int refusedAtOnce = 0;
        for (int i = 0; i < 20; i++) {
            Tenants.Creds t = Tenants.create(nodeA.api(), "rotate-" + i);
            assertThat(skills(nodeB, t, t.clientSecret()).status()).isEqualTo(200);
            assertThat(skills(nodeB, t, t.clientSecret()).status()).isEqualTo(200);
            Api.Response rotated = nodeA.api().admin("POST", "/admin/tenants/" + t.clientId() + "/rotate-secret", null);
            long t0 = System.nanoTime();
            assertThat(rotated.status()).isEqualTo(200);
            int[] tries = {0};
            times.add(until(t0, () -> {
                tries[0]++;
                return skills(nodeB, t, t.clientSecret()).status() == 401;
            }));
            refusedAtOnce += tries[0] == 1 ? 1 : 0;
            assertThat(skills(nodeB, t, rotated.text("client_secret")).status()).isEqualTo(200);
        }
        times.sort(null);
        System.out.printf("rotation on A to refusal on B: median %d ms, max %d ms; refused on the first call after the "
                + "rotation's answer %d of 20%n", times.get(10), times.getLast(), refusedAtOnce);
    }

    @Test
    void aTenantDeletedOnAIsRefusedOnB() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "deleted");
        assertThat(skills(nodeB, t, t.clientSecret()).status()).isEqualTo(200);
        assertThat(nodeA.api().admin("DELETE", "/admin/tenants/" + t.clientId(), null).status()).isIn(200, 204);
        long ms = until(System.nanoTime(), () -> skills(nodeB, t, t.clientSecret()).status() == 401);
        assertError(skills(nodeB, t, t.clientSecret()), 401, "unauthorized", "invalid_client_id", "client_id");
        System.out.println("tenant deletion on A to refusal on B: " + ms + " ms");
    }

    @Test
    void aKeyRemovedOnAIsRefusedOnB() throws Exception {
        Tenants.Creds t = Tenants.create(nodeA.api(), "keys", Flows.AIS);
        String identity = "cache@proj.iam.gserviceaccount.com";
        KeyPair old = Jws.rsa(2048);
        Api admin = nodeA.api();
        assertThat(admin.admin("POST", "/admin/tenants/" + t.clientId() + "/signers", Api.object("identity", identity)).status()).isEqualTo(201);
        String keys = "/admin/tenants/" + t.clientId() + "/signers/" + identity + "/keys";
        admin.admin("POST", keys, Api.object("kid", "old", "public_key", SignedRequestTest.pem(old)));
        assertThat(SignerKeysTest.signed(nodeB.api(), old, "old", identity, t).status()).isEqualTo(200);
        assertThat(SignerKeysTest.signed(nodeB.api(), old, "old", identity, t).status()).isEqualTo(200);
        assertThat(admin.admin("DELETE", keys + "/old", null).status()).isEqualTo(200);
        long ms = until(System.nanoTime(), () -> {
            try {
                return SignerKeysTest.signed(nodeB.api(), old, "old", identity, t).status() == 401;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertError(SignerKeysTest.signed(nodeB.api(), old, "old", identity, t), 401, "unauthorized", "unknown_kid", "old");
        System.out.println("key removal on A to refusal on B: " + ms + " ms");
    }

    @Test
    void aConsentDeletedOnAIsRefusedOnB() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "consents", Flows.AIS);
        Flows.Credentials c = Flows.aisCredentials(nodeA.api(), t, "user-1", "alice");
        assertThat(Flows.data(nodeB.api(), t, c, "user-1", "accounts", null).status()).isEqualTo(200);
        assertThat(Flows.data(nodeB.api(), t, c, "user-1", "accounts", null).status()).isEqualTo(200);
        assertThat(Flows.consent(nodeA.api(), t, c, "delete").status()).isEqualTo(200);
        long ms = until(System.nanoTime(), () -> Flows.data(nodeB.api(), t, c, "user-1", "accounts", null).status() == 401);
        assertError(Flows.data(nodeB.api(), t, c, "user-1", "accounts", null), 401, "unauthorized", "inactive_credentials", "deleted");
        System.out.println("consent deletion on A to refusal on B: " + ms + " ms");
    }

    @Test
    void aLostListeningConnectionEmptiesTheCache() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "reconnect");
        assertThat(skills(nodeB, t, t.clientSecret()).status()).isEqualTo(200);
        // a change without a notice: only emptying the cache can reveal it
        sql("set session_replication_role = replica",
                "update tenant set client_secret_hash = '" + Secrets.hash("after-outage") + "' where client_id = '" + t.clientId() + "'");
        assertThat(skills(nodeB, t, t.clientSecret()).status()).as("cached").isEqualTo(200);
        sql("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() "
                + "and application_name = 'openfinq change notices'");
        long ms = until(System.nanoTime(), () -> skills(nodeB, t, t.clientSecret()).status() == 401);
        awaitListeners(2);
        assertError(skills(nodeB, t, t.clientSecret()), 401, "unauthorized", "invalid_client_secret", "client_secret");
        assertThat(skills(nodeB, t, "after-outage").status()).isEqualTo(200);
        assertThat(skills(nodeA, t, "after-outage").status()).isEqualTo(200);
        System.out.println("lost listening connection to the cache bypassed: " + ms + " ms");
    }
}
