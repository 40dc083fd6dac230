package org.openfinq.sandboxbank;

import org.junit.jupiter.api.Test;
import org.openfinq.sandboxbank.data.BankTransaction;
import org.openfinq.sandboxbank.data.Iban;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.sandboxbank.data.SandboxPsu;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxDataTest {

    static final LocalDate ANCHOR = LocalDate.of(2025, 1, 1);
    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        SandboxData a = new SandboxData(42, ANCHOR, 0, TODAY);
        SandboxData b = new SandboxData(42, ANCHOR, 0, TODAY);
        SandboxData c = new SandboxData(43, ANCHOR, 0, TODAY);
        assertThat(a.psus()).isEqualTo(b.psus());
        SandboxAccount first = a.psus().getFirst().accounts().getFirst();
        assertThat(a.ledger(first.resourceId()).asOf(TODAY)).isEqualTo(b.ledger(first.resourceId()).asOf(TODAY));
        assertThat(c.psus().getFirst().accounts().getFirst().iban()).isNotEqualTo(first.iban());
    }

    @Test
    void customersHaveRonAndEurAccountsWithValidIbans() {
        SandboxData d = new SandboxData(42, ANCHOR, 0, TODAY);
        assertThat(d.psus()).extracting(SandboxPsu::id).containsExactly("alice", "bogdan", "carmen");
        List<SandboxAccount> all = d.psus().stream().flatMap(p -> p.accounts().stream()).toList();
        assertThat(all).extracting(SandboxAccount::currency).contains("RON", "EUR");
        all.forEach(a -> {
            assertThat(Iban.isValid(a.iban())).as(a.iban()).isTrue();
            assertThat(a.iban()).startsWith("RO").hasSize(24);
        });
        assertThat(Iban.isValid("RO00OFQBR000002890304779")).isFalse();
    }

    @Test
    void atLeastNinetyDaysOfHistoryWithMerchantsAndCategories() {
        SandboxData d = new SandboxData(42, ANCHOR, 0, TODAY);
        SandboxAccount current = d.psu("alice").orElseThrow().accounts().getFirst();
        List<BankTransaction> txs = d.ledger(current.resourceId()).asOf(TODAY);
        List<BankTransaction> last90 = txs.stream().filter(t -> !t.valueDate().isBefore(TODAY.minusDays(90))).toList();
        assertThat(last90).hasSizeGreaterThan(60);
        assertThat(last90.stream().map(BankTransaction::category).collect(Collectors.toSet()))
                .contains("groceries", "salary", "housing", "utilities");
        assertThat(last90).anyMatch(t -> t.amount().signum() > 0).anyMatch(t -> t.amount().signum() < 0);
        assertThat(txs.getFirst().valueDate()).isEqualTo(ANCHOR);
    }

    @Test
    void pendingTransactionsBecomeBookedUnderTheSameEntryReference() {
        SandboxData d = new SandboxData(42, ANCHOR, 0, TODAY);
        SandboxAccount current = d.psu("alice").orElseThrow().accounts().getFirst();
        List<BankTransaction> today = d.ledger(current.resourceId()).asOf(TODAY);
        List<BankTransaction> pending = today.stream().filter(t -> !t.booked()).toList();
        assertThat(pending).isNotEmpty().allMatch(t -> t.bookingDate() == null && t.id().startsWith("P") && t.balanceAfter() == null);
        Map<String, BankTransaction> later = d.ledger(current.resourceId()).asOf(TODAY.plusDays(2)).stream()
                .collect(Collectors.toMap(BankTransaction::entryReference, Function.identity()));
        for (BankTransaction p : pending) {
            BankTransaction booked = later.get(p.entryReference());
            assertThat(booked.booked()).isTrue();
            assertThat(booked.id()).startsWith("T").isNotEqualTo(p.id());
            assertThat(booked.amount()).isEqualTo(p.amount());
            assertThat(booked.bookingDate()).isEqualTo(p.valueDate());
        }
    }

    @Test
    void runningBalanceIsConsistent() {
        SandboxData d = new SandboxData(42, ANCHOR, 0, TODAY);
        SandboxAccount current = d.psu("bogdan").orElseThrow().accounts().getFirst();
        var balance = current.openingBalance();
        for (BankTransaction t : d.ledger(current.resourceId()).asOf(TODAY)) {
            if (t.booked()) {
                balance = balance.add(t.amount());
                assertThat(t.balanceAfter()).isEqualByComparingTo(balance);
            }
        }
    }

    @Test
    void largeCustomerHasTheConfiguredHistorySize() {
        SandboxData d = new SandboxData(42, ANCHOR, 100_000, TODAY);
        SandboxAccount big = d.psu("bigcorp").orElseThrow().accounts().getFirst();
        assertThat(d.ledger(big.resourceId()).asOf(TODAY).size()).isBetween(100_000, 101_000);
    }
}
