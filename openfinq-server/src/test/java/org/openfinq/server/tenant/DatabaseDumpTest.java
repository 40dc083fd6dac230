package org.openfinq.server.tenant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.DatabaseDump;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import static org.assertj.core.api.Assertions.assertThat;

/** What we issue is stored only as hashes: a full dump of the database holds no secret in plain text. */
class DatabaseDumpTest {

    static TestDatabase db;
    static TestServer server;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void dumpHoldsNoClientSecretOrAppKey() throws Exception {
        Tenants.Creds t = Tenants.create(server.api(), "dumped", "sandbox_ro_aisp_sbx_#1.0");
        String rotatedSecret = server.api().admin("POST", "/admin/tenants/" + t.clientId() + "/rotate-secret", null)
                .text("client_secret");
        String dump = DatabaseDump.of(db);
        assertThat(dump).as("the dump has the tenant's rows").contains(t.clientId()).contains("dumped");
        assertThat(dump).doesNotContain(t.clientSecret()).doesNotContain(t.clientAppKey()).doesNotContain(rotatedSecret);
        assertThat(dump).as("it holds the hash instead").contains(org.openfinq.server.tenant.Secrets.hash(rotatedSecret));
    }
}
