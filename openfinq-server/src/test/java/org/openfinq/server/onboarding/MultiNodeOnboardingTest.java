package org.openfinq.server.onboarding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.bank.BankProfiles;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes on one PostgreSQL and one bank: every call of an onboarding may land on either node. */
class MultiNodeOnboardingTest {

    static TestDatabase db;
    static TestServer nodeA;
    static TestServer nodeB;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        nodeA = TestServer.start(db);
        String bank = nodeA.bean(BankProfiles.class).find("sandbox").orElseThrow().baseUrl().toString();
        nodeB = TestServer.start(db, Map.of("openfinq.sandbox-bank.url", bank));
    }

    @AfterAll
    static void stop() {
        nodeB.close();
        nodeA.close();
        db.close();
    }

    @Test
    void sessionOnAStepOnBRedirectOnATokenOnB() {
        Tenants.Creds t = Tenants.create(nodeA.api(), "two-nodes", Flows.AIS);
        Flows.Session s = Flows.session(nodeA.api(), t, Flows.AIS, "roaming-user");
        Api.Response sca = Flows.step(nodeB.api(), t, s.id(), s.nonce(), Flows.AIS, "sca", Map.of("psu_redirect_link", "https://app.example/back"));
        assertThat(sca.status()).as(sca.body()).isEqualTo(200);
        URI fromBank = Flows.bank(sca, "carmen", true);
        assertThat(fromBank.toString()).as("the bank sends the browser to node B's address").startsWith(nodeB.baseUrl());
        URI toApp = Flows.receive(nodeA.api(), fromBank);
        String tempToken = Flows.query(toApp).get("temp_token");
        assertThat(tempToken).isNotBlank();
        Api.Response token = Flows.exchange(nodeB.api(), t, tempToken);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        Flows.Credentials c = new Flows.Credentials(token.text("credentials_id"), token.text("access_token"));
        assertThat(Flows.consent(nodeA.api(), t, c, "get").json().get("result").get("status").asString()).isEqualTo("ACTIVE");
        assertThat(Flows.exchange(nodeA.api(), t, tempToken).status()).as("used up on every node").isEqualTo(401);
    }
}
