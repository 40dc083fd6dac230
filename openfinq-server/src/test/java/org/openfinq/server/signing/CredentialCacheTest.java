package org.openfinq.server.signing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.TwoNodes;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.tenant.Secrets;

import java.security.KeyPair;
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

    @RegisterExtension
    static final TwoNodes nodes = new TwoNodes();

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
        Tenants.Creds t = Tenants.create(nodes.a.api(), "cached");
        assertThat(skills(nodes.b, t, t.clientSecret()).status()).isEqualTo(200);
        // a change that sends no notice (triggers off for this session) is not seen: B answers from memory
        nodes.sql("set session_replication_role = replica",
                "update tenant set client_secret_hash = '" + Secrets.hash("another") + "' where client_id = '" + t.clientId() + "'");
        for (int i = 0; i < 5; i++) {
            assertThat(skills(nodes.b, t, t.clientSecret()).status()).as("cached").isEqualTo(200);
        }
        // the notice alone evicts it
        nodes.sql("select pg_notify('openfinq_changes', 'tenant:" + t.clientId() + "')");
        long ms = until(System.nanoTime(), () -> skills(nodes.b, t, t.clientSecret()).status() == 401);
        assertError(skills(nodes.b, t, t.clientSecret()), 401, "unauthorized", "invalid_client_secret", "client_secret");
        assertThat(skills(nodes.b, t, "another").status()).isEqualTo(200);
        System.out.println("notice to eviction on node B: " + ms + " ms");
    }

    @Test
    void aRotationOnAIsRefusedOnBWithinTheBound() {
        List<Long> times = new ArrayList<>();
        int refusedAtOnce = 0;
        for (int i = 0; i < 20; i++) {
            Tenants.Creds t = Tenants.create(nodes.a.api(), "rotate-" + i);
            assertThat(skills(nodes.b, t, t.clientSecret()).status()).isEqualTo(200);
            assertThat(skills(nodes.b, t, t.clientSecret()).status()).isEqualTo(200);
            Api.Response rotated = nodes.a.api().admin("POST", "/admin/tenants/" + t.clientId() + "/rotate-secret", null);
            long t0 = System.nanoTime();
            assertThat(rotated.status()).isEqualTo(200);
            int[] tries = {0};
            times.add(until(t0, () -> {
                tries[0]++;
                return skills(nodes.b, t, t.clientSecret()).status() == 401;
            }));
            refusedAtOnce += tries[0] == 1 ? 1 : 0;
            assertThat(skills(nodes.b, t, rotated.text("client_secret")).status()).isEqualTo(200);
        }
        times.sort(null);
        System.out.printf("rotation on A to refusal on B: median %d ms, max %d ms; refused on the first call after the "
                + "rotation's answer %d of 20%n", times.get(10), times.getLast(), refusedAtOnce);
    }

    @Test
    void aTenantDeletedOnAIsRefusedOnB() {
        Tenants.Creds t = Tenants.create(nodes.a.api(), "deleted");
        assertThat(skills(nodes.b, t, t.clientSecret()).status()).isEqualTo(200);
        assertThat(nodes.a.api().admin("DELETE", "/admin/tenants/" + t.clientId(), null).status()).isIn(200, 204);
        long ms = until(System.nanoTime(), () -> skills(nodes.b, t, t.clientSecret()).status() == 401);
        assertError(skills(nodes.b, t, t.clientSecret()), 401, "unauthorized", "invalid_client_id", "client_id");
        System.out.println("tenant deletion on A to refusal on B: " + ms + " ms");
    }

    @Test
    void aKeyRemovedOnAIsRefusedOnB() throws Exception {
        Tenants.Creds t = Tenants.create(nodes.a.api(), "keys", Flows.AIS);
        String identity = "cache@proj.iam.gserviceaccount.com";
        KeyPair old = Jws.rsa(2048);
        Api admin = nodes.a.api();
        assertThat(admin.admin("POST", "/admin/tenants/" + t.clientId() + "/signers", Api.object("identity", identity)).status()).isEqualTo(201);
        String keys = "/admin/tenants/" + t.clientId() + "/signers/" + identity + "/keys";
        admin.admin("POST", keys, Api.object("kid", "old", "public_key", SignedRequestTest.pem(old)));
        assertThat(SignerKeysTest.signed(nodes.b.api(), old, "old", identity, t).status()).isEqualTo(200);
        assertThat(SignerKeysTest.signed(nodes.b.api(), old, "old", identity, t).status()).isEqualTo(200);
        assertThat(admin.admin("DELETE", keys + "/old", null).status()).isEqualTo(200);
        long ms = until(System.nanoTime(), () -> {
            try {
                return SignerKeysTest.signed(nodes.b.api(), old, "old", identity, t).status() == 401;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertError(SignerKeysTest.signed(nodes.b.api(), old, "old", identity, t), 401, "unauthorized", "unknown_kid", "old");
        System.out.println("key removal on A to refusal on B: " + ms + " ms");
    }

    @Test
    void aConsentDeletedOnAIsRefusedOnB() {
        Tenants.Creds t = Tenants.create(nodes.a.api(), "consents", Flows.AIS);
        Flows.Credentials c = Flows.aisCredentials(nodes.a.api(), t, "user-1", "alice");
        assertThat(Flows.data(nodes.b.api(), t, c, "user-1", "accounts", null).status()).isEqualTo(200);
        assertThat(Flows.data(nodes.b.api(), t, c, "user-1", "accounts", null).status()).isEqualTo(200);
        assertThat(Flows.consent(nodes.a.api(), t, c, "delete").status()).isEqualTo(200);
        long ms = until(System.nanoTime(), () -> Flows.data(nodes.b.api(), t, c, "user-1", "accounts", null).status() == 401);
        assertError(Flows.data(nodes.b.api(), t, c, "user-1", "accounts", null), 401, "unauthorized", "inactive_credentials", "deleted");
        System.out.println("consent deletion on A to refusal on B: " + ms + " ms");
    }

    @Test
    void aLostListeningConnectionEmptiesTheCache() {
        Tenants.Creds t = Tenants.create(nodes.a.api(), "reconnect");
        assertThat(skills(nodes.b, t, t.clientSecret()).status()).isEqualTo(200);
        // a change without a notice: only emptying the cache can reveal it
        nodes.sql("set session_replication_role = replica",
                "update tenant set client_secret_hash = '" + Secrets.hash("after-outage") + "' where client_id = '" + t.clientId() + "'");
        assertThat(skills(nodes.b, t, t.clientSecret()).status()).as("cached").isEqualTo(200);
        nodes.sql("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() "
                + "and application_name = 'openfinq change notices'");
        long ms = until(System.nanoTime(), () -> skills(nodes.b, t, t.clientSecret()).status() == 401);
        nodes.awaitListeners(2);
        assertError(skills(nodes.b, t, t.clientSecret()), 401, "unauthorized", "invalid_client_secret", "client_secret");
        assertThat(skills(nodes.b, t, "after-outage").status()).isEqualTo(200);
        assertThat(skills(nodes.a, t, "after-outage").status()).isEqualTo(200);
        System.out.println("lost listening connection to the cache bypassed: " + ms + " ms");
    }
}
