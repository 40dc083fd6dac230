package org.openfinq.sandboxbank.account;

import org.openfinq.sandboxbank.SandboxState;
import org.openfinq.sandboxbank.consent.Consent;
import org.openfinq.sandboxbank.data.BankTransaction;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.sandboxbank.http.BankError;
import org.openfinq.sandboxbank.http.Checks;
import org.openfinq.sandboxbank.http.Exchange;
import org.openfinq.sandboxbank.http.Router;
import tools.jackson.core.JsonGenerator;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/accounts}: accounts, balances and transactions under a valid consent. */
public final class AccountResource {

    private final SandboxState state;

    public AccountResource(SandboxState state) {
        this.state = state;
    }

    public void register(Router router) {
        router.route("GET", "/v1/accounts", this::accounts)
                .route("GET", "/v1/accounts/([^/]+)", this::account)
                .route("GET", "/v1/accounts/([^/]+)/balances", this::balances)
                .route("GET", "/v1/accounts/([^/]+)/transactions", this::transactions);
    }

    /** The consent of the call, with the unattended allowance counted for {@code resource}. */
    private Consent access(Exchange ex, String resource, boolean counts) {
        Checks.requestId(ex);
        Consent c = state.usableConsent(ex.requiredHeader("Consent-ID"));
        if (counts && ex.header("PSU-IP-Address") == null) {
            state.countUnattended(c, resource);
        }
        return c;
    }

    private SandboxAccount granted(Consent c, String resourceId) {
        if (!c.granted().contains(resourceId)) {
            throw BankError.unknownResource("No account " + resourceId + " under this consent");
        }
        return state.data().account(resourceId).orElseThrow();
    }

    private void accounts(Exchange ex) {
        Consent c = access(ex, "accounts", true);
        boolean withBalance = "true".equals(ex.query().get("withBalance"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String rid : c.granted()) {
            SandboxAccount a = state.data().account(rid).orElseThrow();
            Map<String, Object> json = details(a);
            if (withBalance) {
                json.put("balances", balances(a));
            }
            out.add(json);
        }
        ex.json(200, Map.of("accounts", out));
    }

    private void account(Exchange ex) {
        Consent c = access(ex, "account:" + ex.pathParam(1), true);
        ex.json(200, Map.of("account", details(granted(c, ex.pathParam(1)))));
    }

    private static Map<String, Object> details(SandboxAccount a) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("resourceId", a.resourceId());
        json.put("iban", a.iban());
        json.put("currency", a.currency());
        json.put("name", a.name());
        json.put("product", a.product());
        json.put("cashAccountType", a.cashAccountType());
        json.put("status", "enabled");
        json.put("bic", SandboxData.BIC);
        json.put("ownerName", a.ownerName());
        json.put("_links", Map.of(
                "balances", Map.of("href", "/v1/accounts/" + a.resourceId() + "/balances"),
                "transactions", Map.of("href", "/v1/accounts/" + a.resourceId() + "/transactions")));
        return json;
    }

    private void balances(Exchange ex) {
        Consent c = access(ex, "balances:" + ex.pathParam(1), true);
        SandboxAccount a = granted(c, ex.pathParam(1));
        ex.json(200, Map.of("account", Map.of("iban", a.iban()), "balances", balances(a)));
    }

    private List<Map<String, Object>> balances(SandboxAccount a) {
        LocalDate today = state.today();
        BigDecimal booked = a.openingBalance();
        BigDecimal pending = BigDecimal.ZERO;
        for (BankTransaction t : state.data().ledger(a.resourceId()).asOf(today)) {
            if (t.booked()) {
                booked = booked.add(t.amount());
            } else {
                pending = pending.add(t.amount());
            }
        }
        BigDecimal available = booked.add(pending);
        // the intraday balance last changed when today's entries landed: stable between reads of the same day
        String now = today.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString();
        return List.of(
                Map.of("balanceType", "closingBooked", "balanceAmount", amount(booked, a.currency()),
                        "referenceDate", today.minusDays(2).toString()),
                Map.of("balanceType", "interimAvailable", "balanceAmount", amount(available, a.currency()),
                        "creditLimitIncluded", false, "lastChangeDateTime", now),
                Map.of("balanceType", "expected", "balanceAmount", amount(available, a.currency()),
                        "referenceDate", today.toString()));
    }

    /** The booked balance plus pending transactions: what a payment can spend. */
    public BigDecimal available(SandboxAccount a) {
        BigDecimal total = a.openingBalance();
        for (BankTransaction t : state.data().ledger(a.resourceId()).asOf(state.today())) {
            total = total.add(t.amount());
        }
        return total;
    }

    private static Map<String, String> amount(BigDecimal value, String currency) {
        return Map.of("currency", currency, "amount", value.toPlainString());
    }

    private void transactions(Exchange ex) {
        Map<String, String> q = ex.query();
        int page = parsePage(q.get("pageIndex"));
        Consent c = access(ex, "transactions:" + ex.pathParam(1), page == 0);
        SandboxAccount a = granted(c, ex.pathParam(1));
        String status = q.getOrDefault("bookingStatus", "");
        if (!List.of("booked", "pending", "both").contains(status)) {
            throw new BankError(400, "PARAMETER_NOT_SUPPORTED", "bookingStatus must be booked, pending or both");
        }
        LocalDate from = Checks.date(q.get("dateFrom"), "dateFrom");
        LocalDate to = q.containsKey("dateTo") ? Checks.date(q.get("dateTo"), "dateTo") : state.today();
        if (from.isAfter(to)) {
            throw new BankError(400, "PERIOD_INVALID", "dateFrom is after dateTo");
        }
        Report selected = reports.compute(a.resourceId(), (k, old) -> old != null && old.matches(from, to, state.today())
                ? old : select(a, from, to));
        List<BankTransaction> booked = selected.booked();
        List<BankTransaction> pending = selected.pending();
        int size = pageSize(q.get("pageSize"), state.config().pageSize());
        // written token by token: a page of 1,000 rows built as maps first cost more than the rest of the request
        int start = Math.min(page * size, booked.size());
        int end = Math.min(start + size, booked.size());
        boolean withBooked = !status.equals("pending");
        boolean withPending = !status.equals("booked") && page == 0;
        String next = withBooked && end < booked.size()
                ? "/v1/accounts/" + a.resourceId() + "/transactions?dateFrom=" + from + "&dateTo=" + to + "&bookingStatus=" + enc(status)
                        + (q.containsKey("pageSize") ? "&pageSize=" + size : "") + "&pageIndex=" + (page + 1)
                : null;
        ex.json(200, g -> {
            g.writeStartObject();
            g.writeObjectPropertyStart("account");
            g.writeStringProperty("iban", a.iban());
            g.writeEndObject();
            g.writeObjectPropertyStart("transactions");
            if (withBooked) {
                g.writeArrayPropertyStart("booked");
                for (BankTransaction t : booked.subList(start, end)) {
                    write(g, t);
                }
                g.writeEndArray();
            }
            if (withPending) {
                g.writeArrayPropertyStart("pending");
                for (BankTransaction t : pending) {
                    write(g, t);
                }
                g.writeEndArray();
            }
            g.writeObjectPropertyStart("_links");
            href(g, "account", "/v1/accounts/" + a.resourceId());
            if (next != null) {
                href(g, "next", next);
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void href(JsonGenerator g, String name, String href) {
        g.writeObjectPropertyStart(name);
        g.writeStringProperty("href", href);
        g.writeEndObject();
    }

    /** The transactions of one query, kept while its pages are read (one per account). */
    private record Report(LocalDate from, LocalDate to, LocalDate today, List<BankTransaction> booked, List<BankTransaction> pending) {
        boolean matches(LocalDate f, LocalDate t, LocalDate d) {
            return from.equals(f) && to.equals(t) && today.equals(d);
        }
    }

    private final java.util.Map<String, Report> reports = new java.util.concurrent.ConcurrentHashMap<>();

    private Report select(SandboxAccount a, LocalDate from, LocalDate to) {
        List<BankTransaction> booked = new ArrayList<>();
        List<BankTransaction> pending = new ArrayList<>();
        List<BankTransaction> all = state.data().ledger(a.resourceId()).asOf(state.today());
        for (int i = all.size() - 1; i >= 0; i--) {
            BankTransaction t = all.get(i);
            LocalDate d = t.booked() ? t.bookingDate() : t.valueDate();
            if (d.isBefore(from) || d.isAfter(to)) {
                continue;
            }
            (t.booked() ? booked : pending).add(t);
        }
        return new Report(from, to, state.today(), List.copyOf(booked), List.copyOf(pending));
    }

    /** The most booked transactions a page may hold when the TPP asks for a size ({@code pageSize}). */
    static final int MAX_PAGE_SIZE = 5000;

    /** The asked page size ({@code pageSize}, 1–{@value #MAX_PAGE_SIZE}), or the bank's default. */
    private static int pageSize(String raw, int defaultSize) {
        if (raw == null) {
            return defaultSize;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n < 1 || n > MAX_PAGE_SIZE) {
                throw BankError.format("pageSize must be between 1 and " + MAX_PAGE_SIZE);
            }
            return n;
        } catch (NumberFormatException e) {
            throw BankError.format("pageSize must be a number");
        }
    }

    private static int parsePage(String raw) {
        if (raw == null) {
            return 0;
        }
        try {
            int p = Integer.parseInt(raw);
            if (p < 0) {
                throw BankError.format("pageIndex must not be negative");
            }
            return p;
        } catch (NumberFormatException e) {
            throw BankError.format("pageIndex must be a number");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void write(JsonGenerator g, BankTransaction t) {
        g.writeStartObject();
        g.writeStringProperty("transactionId", t.id());
        g.writeStringProperty("entryReference", t.entryReference());
        g.writeStringProperty("endToEndId", t.endToEndId());
        if (t.bookingDate() != null) {
            g.writeStringProperty("bookingDate", t.bookingDate().toString());
        }
        g.writeStringProperty("valueDate", t.valueDate().toString());
        amount(g, "transactionAmount", t.amount(), t.currency());
        boolean credit = t.amount().signum() > 0;
        g.writeStringProperty(credit ? "debtorName" : "creditorName", t.counterpartyName());
        g.writeObjectPropertyStart(credit ? "debtorAccount" : "creditorAccount");
        g.writeStringProperty("iban", t.counterpartyIban());
        g.writeEndObject();
        g.writeStringProperty("remittanceInformationUnstructured", t.remittance());
        g.writeStringProperty("purposeCode", t.purposeCode());
        g.writeStringProperty("bankTransactionCode", t.bankTransactionCode());
        g.writeStringProperty("proprietaryBankTransactionCode", t.category());
        if (t.balanceAfter() != null) {
            g.writeObjectPropertyStart("balanceAfterTransaction");
            g.writeStringProperty("balanceType", "interimBooked");
            amount(g, "balanceAmount", t.balanceAfter(), t.currency());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void amount(JsonGenerator g, String name, BigDecimal value, String currency) {
        g.writeObjectPropertyStart(name);
        g.writeStringProperty("currency", currency);
        g.writeStringProperty("amount", value.toPlainString());
        g.writeEndObject();
    }
}
