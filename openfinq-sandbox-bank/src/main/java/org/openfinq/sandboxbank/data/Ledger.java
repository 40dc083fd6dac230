package org.openfinq.sandboxbank.data;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An account's history, generated day by day from a fixed anchor date up to "today": the same seed, account
 * and day always give the same transactions, and running balances stay consistent from one day to the
 * next. The two most recent days are still pending.
 */
public final class Ledger {

    private record Snapshot(LocalDate today, List<BankTransaction> transactions) {
    }

    private final long seed;
    private final SandboxAccount account;
    private final LocalDate anchor;
    private final AtomicReference<Snapshot> cache = new AtomicReference<>();

    public Ledger(long seed, SandboxAccount account, LocalDate anchor) {
        this.seed = seed;
        this.account = account;
        this.anchor = anchor;
    }

    /** Every transaction from the anchor to {@code today}, oldest first. */
    public List<BankTransaction> asOf(LocalDate today) {
        Snapshot s = cache.get();
        if (s != null && s.today().equals(today)) {
            return s.transactions();
        }
        List<BankTransaction> generated = generate(today);
        cache.set(new Snapshot(today, generated));
        return generated;
    }

    private List<BankTransaction> generate(LocalDate today) {
        List<BankTransaction> out = new ArrayList<>();
        BigDecimal booked = account.openingBalance();
        LocalDate firstPending = today.minusDays(1);
        for (LocalDate day = anchor; !day.isAfter(today); day = day.plusDays(1)) {
            SplittableRandom r = new SplittableRandom(seed * 31 + account.iban().hashCode() * 1_000_003L + day.toEpochDay());
            List<Merchants.Merchant> todays = pick(day, r);
            for (int i = 0; i < todays.size(); i++) {
                Merchants.Merchant m = todays.get(i);
                long cents = m.min() == m.max() ? m.min() * 100L : r.nextLong(m.min() * 100L, m.max() * 100L + 1);
                BigDecimal amount = BigDecimal.valueOf(m.credit() ? cents : -cents, 2);
                boolean isBooked = day.isBefore(firstPending);
                String ref = ref(day, i);
                BigDecimal after = null;
                if (isBooked) {
                    booked = booked.add(amount);
                    after = booked;
                }
                out.add(new BankTransaction((isBooked ? "T" : "P") + ref, "E" + ref, "E2E-" + ref.substring(0, 12),
                        isBooked, isBooked ? day : null, day, amount, account.currency(), m.name(),
                        counterpartyIban(m), remittance(m, day), m.purposeCode(), m.bankTransactionCode(), m.category(), after));
            }
        }
        return List.copyOf(out);
    }

    private List<Merchants.Merchant> pick(LocalDate day, SplittableRandom r) {
        List<Merchants.Merchant> todays = new ArrayList<>();
        int dom = day.getDayOfMonth();
        switch (account.kind()) {
            case HOUSEHOLD -> {
                if (dom == 1) {
                    todays.add(Merchants.RENT);
                }
                if (dom == 5) {
                    todays.add(Merchants.NETFLIX);
                }
                if (dom == 10) {
                    todays.add(Merchants.SALARY);
                }
                if (dom == 15) {
                    todays.add(Merchants.POWER);
                }
                if (dom == 20) {
                    todays.add(Merchants.PHONE);
                }
                int cards = r.nextInt(0, 3);
                for (int i = 0; i < cards; i++) {
                    todays.add(Merchants.CARD_RON.get(r.nextInt(Merchants.CARD_RON.size())));
                }
                if (r.nextInt(12) == 0) {
                    todays.add(Merchants.ATM);
                }
            }
            case FOREIGN_CURRENCY -> {
                if (r.nextInt(3) == 0) {
                    todays.add(Merchants.EUR.get(r.nextInt(Merchants.EUR.size())));
                }
            }
            case SAVINGS -> {
                if (dom == 11) {
                    todays.add(Merchants.SAVINGS_IN);
                }
                if (dom == day.lengthOfMonth()) {
                    todays.add(Merchants.INTEREST);
                }
            }
            case BUSINESS -> {
                for (int i = 0; i < account.perDay(); i++) {
                    todays.add(Merchants.BUSINESS.get(r.nextInt(Merchants.BUSINESS.size())));
                }
            }
        }
        return todays;
    }

    private String ref(LocalDate day, int index) {
        long h = seed;
        h = h * 1_000_003L + account.iban().hashCode();
        h = h * 1_000_003L + day.toEpochDay();
        h = h * 1_000_003L + index;
        h ^= (h >>> 33);
        h *= 0xff51afd7ed558ccdL;
        h ^= (h >>> 33);
        return HexFormat.of().toHexDigits(h).toUpperCase() + String.format("%04d", index);
    }

    private static String counterpartyIban(Merchants.Merchant m) {
        String digits = String.format("%016d", Math.abs((long) m.name().hashCode()) % 10_000_000_000_000_000L);
        return Iban.romanian("BTRL", digits);
    }

    private static String remittance(Merchants.Merchant m, LocalDate day) {
        return switch (m.category()) {
            case "salary" -> "Salariu " + day.getMonth().name().toLowerCase() + " " + day.getYear();
            case "housing" -> "Chirie " + day.getMonthValue() + "/" + day.getYear();
            case "cash" -> "Retragere numerar";
            default -> m.credit() ? "Transfer " + m.name() : "Plata card " + m.name();
        };
    }
}
