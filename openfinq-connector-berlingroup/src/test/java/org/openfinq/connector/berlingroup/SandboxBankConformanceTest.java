package org.openfinq.connector.berlingroup;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Connector;
import org.openfinq.connector.ConnectorFactory;
import org.openfinq.connector.Money;
import org.openfinq.connector.conformance.ConformanceFixture;
import org.openfinq.connector.conformance.ConnectorConformanceKit;
import org.openfinq.connector.conformance.FormScaDriver;
import org.openfinq.connector.conformance.ScaDriver;
import org.openfinq.sandboxbank.SandboxBank;
import org.openfinq.sandboxbank.SandboxConfig;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;

/** The Berlin Group connector against the sandbox bank, over real HTTP, with the SCA pages driven as a browser. */
class SandboxBankConformanceTest extends ConnectorConformanceKit {

    static SandboxBank bank;
    static Connector connector;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxConfig.defaults().withLargePsuTransactions(0).withPageSize(20)
                .withSettlementDelay(Duration.ofMillis(800)));
        BankProfile profile = new BankProfile("sandbox", "openfinq Sandbox Bank", "berlingroup", URI.create(bank.url()),
                BankProfile.ScaApproach.REDIRECT, null, 730, 4, null, null, null, null);
        connector = ConnectorFactory.forProtocol(profile.protocol()).create(profile);
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @Override
    protected Connector connector() {
        return connector;
    }

    @Override
    protected ScaDriver sca() {
        return FormScaDriver.sandbox();
    }

    @Override
    protected ConformanceFixture fixture() {
        String debtor = bank.data().psu("alice").orElseThrow().accounts().getFirst().iban();
        String creditor = bank.data().psu("bogdan").orElseThrow().accounts().getFirst().iban();
        return new ConformanceFixture("alice", "sandbox", LocalDate.now().minusDays(60), true, debtor,
                "domestic-credit-transfers", Money.of("10.00", "RON"), "Bogdan Ionescu", creditor, Duration.ofSeconds(10));
    }
}
