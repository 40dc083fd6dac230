package org.openfinq.connector.berlingroup;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.Psu;
import org.openfinq.connector.conformance.FormScaDriver;
import org.openfinq.sandboxbank.SandboxBank;
import org.openfinq.sandboxbank.SandboxConfig;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PSD2's four unattended reads per day, enforced by the sandbox bank and surfaced as rate limiting. */
class UnattendedAccessTest {

    static SandboxBank bank;
    static AccountInformation ais;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxConfig.defaults().withLargePsuTransactions(0));
        ais = new BerlinGroupConnector(new BankProfile("sandbox", "Sandbox", "berlingroup", URI.create(bank.url()),
                null, null, 0, 0, null, null, null, null)).accountInformation();
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    private static String consent() {
        Psu.Redirects r = new Psu.Redirects(URI.create("https://tpp.invalid/ok"), URI.create("https://tpp.invalid/nok"));
        ConsentStart start = ais.createConsent(new ConsentRequest(List.of(), true, LocalDate.now().plusDays(90), 4),
                Psu.present("198.51.100.1"), r);
        assertThat(FormScaDriver.sandbox().approve(start.scaRedirect(), "bogdan", "sandbox")).isEqualTo(r.ok());
        return start.consentId();
    }

    @Test
    void fifthUnattendedReadIn24HoursIsAccessExceeded() {
        String consent = consent();
        String account = ais.accounts(consent, Psu.present("198.51.100.1")).getFirst().resourceId();
        for (int i = 0; i < 4; i++) {
            assertThat(ais.balances(consent, account, Psu.UNATTENDED)).isNotEmpty();
        }
        assertThatThrownBy(() -> ais.balances(consent, account, Psu.UNATTENDED))
                .isInstanceOfSatisfying(BankException.RateLimited.class, e -> {
                    assertThat(e.bankCode()).contains("ACCESS_EXCEEDED");
                    assertThat(e.httpStatus()).isEqualTo(429);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).isGreaterThan(Duration.ofHours(23)).isLessThanOrEqualTo(Duration.ofHours(24).plusSeconds(1));
                });
        // with the PSU present the allowance does not apply
        assertThat(ais.balances(consent, account, Psu.present("198.51.100.1"))).isNotEmpty();
    }

    @Test
    void attendedReadsDoNotCount() {
        String consent = consent();
        String account = ais.accounts(consent, Psu.present("198.51.100.1")).getFirst().resourceId();
        for (int i = 0; i < 6; i++) {
            assertThat(ais.balances(consent, account, Psu.present("198.51.100.1"))).isNotEmpty();
        }
        assertThat(ais.balances(consent, account, Psu.UNATTENDED)).isNotEmpty();
    }
}
