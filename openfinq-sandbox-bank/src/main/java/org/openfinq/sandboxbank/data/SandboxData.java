package org.openfinq.sandboxbank.data;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The sandbox bank's customers and accounts, the same for the same seed. The sandbox password of every PSU
 * is {@value #PASSWORD}.
 */
public final class SandboxData {

    public static final String PASSWORD = "sandbox";
    public static final String BIC = "OFQBROBU";
    public static final String BANK_CODE = "OFQB";

    private final long seed;
    private final LocalDate anchor;
    private final Map<String, SandboxPsu> psus = new LinkedHashMap<>();
    private final Map<String, Ledger> ledgers = new LinkedHashMap<>();

    /**
     * @param largePsuTransactions size of the history of PSU {@code bigcorp} (0 for none) up to {@code today}
     */
    public SandboxData(long seed, LocalDate anchor, int largePsuTransactions, LocalDate today) {
        this.seed = seed;
        this.anchor = anchor;
        add("alice", "Alice Popescu",
                account("alice", 1, "RON", "Cont curent", "Current Account", "CACC", SandboxAccount.Kind.HOUSEHOLD, "4200.00", 0),
                account("alice", 2, "EUR", "Cont EUR", "Current Account", "CACC", SandboxAccount.Kind.FOREIGN_CURRENCY, "1500.00", 0),
                account("alice", 3, "RON", "Economii", "Savings Account", "SVGS", SandboxAccount.Kind.SAVINGS, "10000.00", 0));
        add("bogdan", "Bogdan Ionescu",
                account("bogdan", 1, "RON", "Cont curent", "Current Account", "CACC", SandboxAccount.Kind.HOUSEHOLD, "2500.00", 0),
                account("bogdan", 2, "EUR", "Cont EUR", "Current Account", "CACC", SandboxAccount.Kind.FOREIGN_CURRENCY, "9000.00", 0));
        add("carmen", "Carmen Dumitru",
                account("carmen", 1, "RON", "Cont curent", "Current Account", "CACC", SandboxAccount.Kind.HOUSEHOLD, "-45000.00", 0));
        if (largePsuTransactions > 0) {
            long days = Math.max(1, ChronoUnit.DAYS.between(anchor, today) + 1);
            int perDay = (int) Math.max(1, Math.ceil(largePsuTransactions / (double) days));
            add("bigcorp", "Big Corp SRL",
                    account("bigcorp", 1, "RON", "Cont operational", "Business Account", "CACC", SandboxAccount.Kind.BUSINESS, "250000.00", perDay));
        }
        for (SandboxPsu psu : psus.values()) {
            for (SandboxAccount a : psu.accounts()) {
                ledgers.put(a.resourceId(), new Ledger(seed, a, anchor));
            }
        }
    }

    private void add(String id, String name, SandboxAccount... accounts) {
        List<SandboxAccount> list = new ArrayList<>();
        for (SandboxAccount a : accounts) {
            list.add(new SandboxAccount(a.resourceId(), a.iban(), a.currency(), a.name(), a.product(), a.cashAccountType(),
                    name, a.kind(), a.openingBalance(), a.perDay()));
        }
        psus.put(id, new SandboxPsu(id, name, List.copyOf(list)));
    }

    private SandboxAccount account(String psu, int n, String currency, String name, String product, String type,
                                   SandboxAccount.Kind kind, String opening, int perDay) {
        long h = Math.abs((seed * 7919 + psu.hashCode()) * 31 + n) % 1_000_000_000_000L;
        String iban = Iban.romanian(BANK_CODE, currency.substring(0, 1) + String.format("%015d", h));
        String resourceId = UUID.nameUUIDFromBytes((seed + ":" + iban).getBytes(StandardCharsets.UTF_8)).toString();
        return new SandboxAccount(resourceId, iban, currency, name, product, type, null, kind, new BigDecimal(opening), perDay);
    }

    public List<SandboxPsu> psus() {
        return List.copyOf(psus.values());
    }

    public Optional<SandboxPsu> psu(String id) {
        return Optional.ofNullable(psus.get(id));
    }

    public Optional<SandboxAccount> account(String resourceId) {
        return psus.values().stream().flatMap(p -> p.accounts().stream())
                .filter(a -> a.resourceId().equals(resourceId)).findFirst();
    }

    public Optional<SandboxAccount> accountByIban(String iban) {
        return psus.values().stream().flatMap(p -> p.accounts().stream())
                .filter(a -> a.iban().equals(iban)).findFirst();
    }

    public Ledger ledger(String resourceId) {
        return ledgers.get(resourceId);
    }

    public LocalDate anchor() {
        return anchor;
    }
}
