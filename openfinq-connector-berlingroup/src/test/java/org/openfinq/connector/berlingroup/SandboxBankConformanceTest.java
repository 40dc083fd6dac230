package org.openfinq.connector.berlingroup;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Connector;
import org.openfinq.connector.ConnectorFactory;
import org.openfinq.connector.Money;
import org.openfinq.connector.conformance.ConformanceFixture;
import org.openfinq.connector.conformance.ConnectorConformanceKit;
import org.openfinq.connector.conformance.FormScaDriver;
import org.openfinq.connector.conformance.ScaDriver;
import org.openfinq.connector.berlingroup.spec.NextGenPsd2Spec;
import org.openfinq.connector.berlingroup.spec.SpecCheckingProxy;
import org.openfinq.sandboxbank.SandboxBank;
import org.openfinq.sandboxbank.SandboxConfig;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Berlin Group connector against the sandbox bank, over real HTTP, with the SCA pages driven as a browser. Every
 * API call passes a proxy that checks the request and the bank's answer against the NextGenPSD2 1.3.9 OpenAPI file
 * ({@link NextGenPsd2Spec}); a test fails on any violation that {@link #JUSTIFIED} does not explain.
 */
class SandboxBankConformanceTest extends ConnectorConformanceKit {

    /** Deviations from the OpenAPI file that the Implementation Guidelines allow, each with its reason. */
    static final Map<String, String> JUSTIFIED = Map.of(
            "= \"domestic-credit-transfers\": not one of the values of /components/parameters/paymentProduct/schema/enum",
            "national payment products are published by the ASPSP (the parameter's own description: 'The ASPSP will "
                    + "publish which of the payment products/endpoints will be supported'); the enum lists the "
                    + "pan-European ones, and RON transfers of a Romanian bank are none of them");

    static SandboxBank bank;
    static SpecCheckingProxy proxy;
    static Connector connector;
    static int seen;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxConfig.defaults().withLargePsuTransactions(0).withPageSize(20)
                .withSettlementDelay(Duration.ofMillis(800)));
        proxy = new SpecCheckingProxy(NextGenPsd2Spec.load(), URI.create(bank.url()), List.of("/sca/"));
        BankProfile profile = new BankProfile("sandbox", "openfinq Sandbox Bank", "berlingroup", proxy.url(),
                BankProfile.ScaApproach.REDIRECT, null, 730, 4, null, null, null, null);
        connector = ConnectorFactory.forProtocol(profile.protocol()).create(profile);
    }

    /** The exchanges of the test that just ran: no violation the spec's own guidelines do not allow. */
    @AfterEach
    void everyExchangeFollowsTheSpec() {
        List<NextGenPsd2Spec.Violation> all = proxy.violations();
        List<NextGenPsd2Spec.Violation> fresh = all.subList(seen, all.size());
        seen = all.size();
        assertThat(fresh.stream().filter(v -> JUSTIFIED.keySet().stream().noneMatch(k -> v.toString().contains(k))).toList())
                .as("requests and answers that break the NextGenPSD2 1.3.9 OpenAPI file").isEmpty();
    }

    @AfterAll
    static void stop() {
        List<NextGenPsd2Spec.Violation> all = proxy.violations();
        System.out.printf("NextGenPSD2 1.3.9 spec check: %d requests and %d responses validated, %d violations "
                        + "(%d justified), %d calls outside the API (SCA pages) not checked%n",
                proxy.requestsChecked(), proxy.responsesChecked(), all.size(),
                all.stream().filter(v -> JUSTIFIED.keySet().stream().anyMatch(k -> v.toString().contains(k))).count(),
                proxy.unchecked());
        all.stream().map(Object::toString).distinct().forEach(v -> System.out.println("  violation: " + v));
        new java.util.TreeSet<>(proxy.calls()).forEach(c -> System.out.println("  call: " + c));
        proxy.close();
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
