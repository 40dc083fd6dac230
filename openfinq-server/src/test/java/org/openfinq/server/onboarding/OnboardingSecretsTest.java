package org.openfinq.server.onboarding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.DatabaseDump;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What onboarding issues is stored hashed, what the bank gives is stored encrypted, and keys can rotate. */
class OnboardingSecretsTest {

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
    void aDumpHoldsNoNonceTempTokenAccessTokenOrBankConsentId() throws Exception {
        Api api = server.api();
        Tenants.Creds t = Tenants.create(api, "dump", Flows.AIS);
        Flows.Session s = Flows.session(api, t, Flows.AIS, "dumped-user");
        Api.Response sca = Flows.step(api, t, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://app.example/d"));
        URI fromBank = Flows.bank(sca, "alice", true);
        String state = Flows.query(fromBank).get("state");
        String tempToken = Flows.query(Flows.receive(api, fromBank)).get("temp_token");
        Api.Response token = Flows.exchange(api, t, tempToken);
        String credentialsId = token.text("credentials_id");
        String bankConsentId = bankConsentId(credentialsId);

        String dump = DatabaseDump.of(db);
        assertThat(dump).as("the dump has the consent").contains(credentialsId);
        assertThat(dump).doesNotContain(s.nonce()).doesNotContain(sca.text("nonce")).doesNotContain(state)
                .doesNotContain(tempToken).doesNotContain(token.text("access_token")).doesNotContain(bankConsentId);
    }

    @Test
    void rotatedKeysKeepOldRecordsReadable() {
        String old = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
        byte[] newKey = new byte[32];
        newKey[0] = 7;
        String rotated = "k2:" + Base64.getEncoder().encodeToString(newKey) + "," + old;
        DataCipher before = cipher(old);
        DataCipher after = cipher(rotated);
        byte[] sealed = before.encrypt("bank-consent-123", "consent:x");
        assertThat(after.decryptString(sealed, "consent:x")).isEqualTo("bank-consent-123");
        assertThat(after.currentKeyId()).isEqualTo("k2");
        assertThatThrownBy(() -> after.decryptString(sealed, "consent:y")).hasMessageContaining("Decryption failed");
        assertThatThrownBy(() -> before.decryptString(after.encrypt("x", "c"), "c")).hasMessageContaining("No encryption key 'k2'");
    }

    private static DataCipher cipher(String keys) {
        var props = server.bean(org.openfinq.server.config.OpenfinqProperties.class);
        return new DataCipher(new org.openfinq.server.config.OpenfinqProperties(props.dataDir(), props.db(), props.adminToken(),
                props.maxBodyBytes(), props.demoTenant(), props.catalogFiles(), props.publicUrl(), props.sandboxBank(),
                props.bankProfileFiles(), keys, props.onboarding(), props.sync(), props.retention(), props.signing(),
                props.limits(), props.trustedProxies(), props.audit(), props.jobs()));
    }

    private static String bankConsentId(String credentialsId) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select bank_consent from consent where id = '" + credentialsId + "'")) {
            rs.next();
            return server.bean(DataCipher.class).decryptString(rs.getBytes(1), "consent:" + credentialsId);
        }
    }
}
