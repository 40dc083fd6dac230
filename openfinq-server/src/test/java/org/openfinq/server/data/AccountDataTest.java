package org.openfinq.server.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.sandboxbank.data.BankTransaction;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;
import static org.openfinq.server.support.ApiAssertions.fieldNames;

/** After an onboarding the three data endpoints serve the sandbox bank's data, field for field, with every filter. */
class AccountDataTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static Flows.Credentials alice;
    static SandboxData bank;
    static List<JsonNode> all;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"));
        api = server.api();
        tenant = Tenants.create(api, "data", Flows.AIS);
        alice = Flows.aisCredentials(api, tenant, "user-alice", "alice");
        assertThat(Flows.awaitSync(db, alice.credentialsId())[0]).isEqualTo("done");
        bank = new SandboxData(42, LocalDate.of(2025, 1, 1), 0, LocalDate.now(ZoneOffset.UTC));
        all = list(Flows.data(api, tenant, alice, "user-alice", "transactions", null));
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    static List<JsonNode> list(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    static String plain(BigDecimal d) {
        return d.toPlainString();
    }

    @Test
    void accountsAreTheBanksFieldForField() {
        List<JsonNode> accounts = list(Flows.data(api, tenant, alice, "user-alice", "accounts", null));
        List<SandboxAccount> expected = bank.psu("alice").orElseThrow().accounts().stream()
                .sorted(Comparator.comparing(SandboxAccount::iban)).toList();
        assertThat(accounts).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode a = accounts.get(i);
            SandboxAccount e = expected.get(i);
            assertThat(fieldNames(a)).containsExactly("id", "servicer_id", "servicer_name", "timestamp", "data");
            assertThat(a.get("servicer_id").asString()).isEqualTo("5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01");
            assertThat(a.get("servicer_name").asString()).isEqualTo("openfinq Sandbox Bank");
            JsonNode d = a.get("data");
            assertThat(d.get("account_schemes").get(0).get("identification").asString()).isEqualTo(e.iban());
            assertThat(d.get("account_schemes").get(0).get("scheme_name").asString()).isEqualTo("IBAN");
            assertThat(d.get("account_schemes").get(1).get("identification").asString()).isEqualTo("OFQBROBU");
            assertThat(d.get("account_schemes").get(1).get("scheme_name").asString()).isEqualTo("BICFI");
            assertThat(d.get("currency").asString()).isEqualTo(e.currency());
            assertThat(d.get("name").asString()).isEqualTo(e.name());
            assertThat(d.get("account_type").asString()).isEqualTo(e.product());
            assertThat(d.get("account_sub_type").asString()).isEqualTo(e.cashAccountType().equals("CACC") ? "CurrentAccount" : "Savings");
            assertThat(d.get("nickname").asString()).isEmpty();
            BigDecimal available = available(e);
            JsonNode ia = d.get("balances").findParents("balance_type").stream()
                    .filter(b -> b.get("balance_type").asString().equals("InterimAvailable")).findFirst().orElseThrow();
            assertThat(ia.get("balance_amount").asString()).isEqualTo(plain(available.abs()));
            assertThat(ia.get("balance_currency").asString()).isEqualTo(e.currency());
            assertThat(ia.get("credit_debit_indicator").asString()).isEqualTo(available.signum() < 0 ? "debit" : "credit");
        }
    }

    static BigDecimal available(SandboxAccount a) {
        BigDecimal sum = a.openingBalance();
        for (BankTransaction t : bank.ledger(a.resourceId()).asOf(LocalDate.now(ZoneOffset.UTC))) {
            sum = sum.add(t.amount());
        }
        return sum;
    }

    @Test
    void balancesAreTheBanksWithTheirTypes() {
        List<JsonNode> balances = list(Flows.data(api, tenant, alice, "user-alice", "balances", null));
        assertThat(balances).hasSize(3 * 3);
        JsonNode first = balances.getFirst();
        assertThat(fieldNames(first)).containsExactly("account_id", "id", "timestamp", "data");
        assertThat(fieldNames(first.get("data"))).containsExactly("amount", "credit_debit_indicator", "credit_limit_included",
                "credit_line", "currency", "native_date", "native_timestamp", "type");
        assertThat(balances).extracting(b -> b.get("data").get("type").asString())
                .containsOnly("ClosingBooked", "InterimAvailable", "Expected");
        balances.stream().filter(b -> b.get("data").get("type").asString().equals("ClosingBooked"))
                .forEach(b -> assertThat(b.get("data").get("native_date").asString())
                        .isEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(2).toString()));
        balances.stream().filter(b -> b.get("data").get("type").asString().equals("InterimAvailable"))
                .forEach(b -> assertThat(b.get("data").get("native_timestamp").asString()).endsWith("Z"));
    }

    @Test
    void transactionsAreTheBanksFieldForField() {
        Map<String, JsonNode> byInfoKey = new HashMap<>();
        int expectedCount = 0;
        for (SandboxAccount a : bank.psu("alice").orElseThrow().accounts()) {
            expectedCount += bank.ledger(a.resourceId()).asOf(LocalDate.now(ZoneOffset.UTC)).size();
        }
        assertThat(all).hasSize(expectedCount);
        JsonNode t = all.getFirst();
        assertThat(fieldNames(t)).containsExactly("account_id", "timestamp", "id", "utx_id", "data");
        assertThat(fieldNames(t.get("data"))).containsExactly("amount", "balance", "booking_date_time", "credit_debit_indicator",
                "currency", "info", "status", "details", "exchange_rate");
        assertThat(t.get("utx_id").asString()).hasSize(44);
        Map<String, String> accountIdByIban = new HashMap<>();
        for (JsonNode a : list(Flows.data(api, tenant, alice, "user-alice", "accounts", null))) {
            accountIdByIban.put(a.get("data").get("account_schemes").get(0).get("identification").asString(), a.get("id").asString());
        }
        for (JsonNode x : all) {
            byInfoKey.put(x.get("account_id").asString() + "|" + text(x.get("data").get("booking_date_time")) + "|"
                    + x.get("data").get("amount").asString() + "|" + x.get("data").get("info").asString() + "|"
                    + x.get("data").get("credit_debit_indicator").asString() + "|" + text(x.get("data").get("balance")), x);
        }
        for (SandboxAccount a : bank.psu("alice").orElseThrow().accounts()) {
            for (BankTransaction b : bank.ledger(a.resourceId()).asOf(LocalDate.now(ZoneOffset.UTC))) {
                String key = accountIdByIban.get(a.iban()) + "|" + (b.bookingDate() == null ? "null" : b.bookingDate() + "T00:00:00Z")
                        + "|" + plain(b.amount().abs()) + "|" + b.remittance() + "|" + (b.amount().signum() < 0 ? "debit" : "credit")
                        + "|" + (b.balanceAfter() == null ? "null" : plain(b.balanceAfter()));
                JsonNode got = byInfoKey.get(key);
                assertThat(got).as("transaction %s", key).isNotNull();
                assertThat(got.get("data").get("status").asString()).isEqualTo(b.booked() ? "booked" : "pending");
                assertThat(got.get("data").get("currency").asString()).isEqualTo(b.currency());
                assertThat(got.get("data").get("details").get("category").asString()).isEqualTo(b.category());
                assertThat(got.get("data").get("details").get("merchant").asString()).isEqualTo(b.counterpartyName());
                assertThat(got.get("data").get("exchange_rate").isNull()).isTrue();
            }
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "null" : n.asString();
    }

    @Test
    void theOrderIsStableAndDocumented() {
        List<JsonNode> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing((JsonNode x) -> x.get("data").get("booking_date_time").isNull() ? "~" : x.get("data").get("booking_date_time").asString())
                .reversed().thenComparing(x -> x.get("utx_id").asString()));
        assertThat(all).isEqualTo(sorted);
        assertThat(list(Flows.data(api, tenant, alice, "user-alice", "transactions", null))).isEqualTo(all);
    }

    @Test
    void everyTransactionFilterAloneAndCombined() {
        String account = all.get(all.size() / 2).get("account_id").asString();
        String someDay = all.get(all.size() / 3).get("data").get("booking_date_time").asString();
        String inserted = all.getFirst().get("timestamp").asString();
        check(Map.of("account_id", account), x -> x.get("account_id").asString().equals(account));
        check(Map.of("currency", "EUR"), x -> cur(x).equals("EUR"));
        check(Map.of("status", "pending"), x -> d(x, "status").equals("pending"));
        check(Map.of("status", "booked"), x -> d(x, "status").equals("booked"));
        check(Map.of("credit_debit_indicator", "credit"), x -> d(x, "credit_debit_indicator").equals("credit"));
        check(Map.of("category", "groceries"), x -> "groceries".equals(x.get("data").get("details").get("category").asString(null)));
        check(Map.of("eq", 47), x -> amt(x).compareTo(new BigDecimal("47")) == 0);
        check(Map.of("gte", 100.5), x -> amt(x).compareTo(new BigDecimal("100.5")) >= 0);
        check(Map.of("gt", 100.5), x -> amt(x).compareTo(new BigDecimal("100.5")) > 0);
        check(Map.of("lte", 20), x -> amt(x).compareTo(new BigDecimal("20")) <= 0);
        check(Map.of("lt", "20.00"), x -> amt(x).compareTo(new BigDecimal("20")) < 0);
        check(Map.of("booking_date_eq", someDay), x -> someDay.equals(d(x, "booking_date_time")));
        check(Map.of("booking_date_gte", someDay), x -> bd(x) != null && bd(x).compareTo(someDay) >= 0);
        check(Map.of("booking_date_gt", someDay), x -> bd(x) != null && bd(x).compareTo(someDay) > 0);
        check(Map.of("booking_date_lte", someDay), x -> bd(x) != null && bd(x).compareTo(someDay) <= 0);
        check(Map.of("booking_date_lt", someDay.substring(0, 10)), x -> bd(x) != null && bd(x).compareTo(someDay) < 0);
        check(Map.of("timestamp_gte", inserted), x -> x.get("timestamp").asString().compareTo(inserted) >= 0);
        check(Map.of("timestamp_lt", "2000-01-01T00:00:00Z"), x -> false);
        check(Map.of("timestamp_lte", "2999-01-01T00:00:00Z", "timestamp_gt", "2000-01-01T00:00:00Z"), x -> true);
        check(Map.of("account_id", account, "credit_debit_indicator", "debit", "gte", 50, "lt", 300, "booking_date_gte", someDay),
                x -> x.get("account_id").asString().equals(account) && d(x, "credit_debit_indicator").equals("debit")
                        && amt(x).compareTo(new BigDecimal("50")) >= 0 && amt(x).compareTo(new BigDecimal("300")) < 0
                        && bd(x) != null && bd(x).compareTo(someDay) >= 0);
        check(Map.of("currency", "RON", "category", "salary", "status", "booked"),
                x -> cur(x).equals("RON") && "salary".equals(x.get("data").get("details").get("category").asString(null)) && d(x, "status").equals("booked"));
    }

    private static void check(Map<String, ?> filter, Predicate<JsonNode> expected) {
        List<JsonNode> want = all.stream().filter(expected).toList();
        assertThat(list(Flows.data(api, tenant, alice, "user-alice", "transactions", filter))).as("filter %s", filter).isEqualTo(want);
    }

    private static String d(JsonNode x, String f) {
        return x.get("data").get(f).asString();
    }

    private static String cur(JsonNode x) {
        return d(x, "currency");
    }

    private static String bd(JsonNode x) {
        return x.get("data").get("booking_date_time").isNull() ? null : d(x, "booking_date_time");
    }

    private static BigDecimal amt(JsonNode x) {
        return new BigDecimal(d(x, "amount"));
    }

    @Test
    void balanceFilters() {
        List<JsonNode> balances = list(Flows.data(api, tenant, alice, "user-alice", "balances", null));
        String account = balances.get(4).get("account_id").asString();
        assertThat(list(Flows.data(api, tenant, alice, "user-alice", "balances", Map.of("account_id", account))))
                .isEqualTo(balances.stream().filter(b -> b.get("account_id").asString().equals(account)).toList());
        assertThat(list(Flows.data(api, tenant, alice, "user-alice", "balances", Map.of("type", "Expected", "currency", "RON"))))
                .isEqualTo(balances.stream().filter(b -> b.get("data").get("type").asString().equals("Expected")
                        && b.get("data").get("currency").asString().equals("RON")).toList()).hasSize(2);
        assertError(Flows.data(api, tenant, alice, "user-alice", "balances", Map.of("kind", "x")), 400, "invalid_request", "invalid_field", "filter.kind");
        assertError(Flows.data(api, tenant, alice, "user-alice", "balances", Map.of("account_id", "a1")), 400, "invalid_request", "invalid_field", "filter.account_id");
    }

    @Test
    void badFiltersAreNamed() {
        assertError(Flows.data(api, tenant, alice, "user-alice", "transactions", Map.of("merchant", "x")), 400, "invalid_request", "invalid_field", "filter.merchant");
        assertError(Flows.data(api, tenant, alice, "user-alice", "transactions", Map.of("gte", "lots")), 400, "invalid_request", "invalid_field", "filter.gte");
        assertError(Flows.data(api, tenant, alice, "user-alice", "transactions", Map.of("status", "done")), 400, "invalid_request", "invalid_field", "filter.status");
        assertError(Flows.data(api, tenant, alice, "user-alice", "transactions", Map.of("credit_debit_indicator", "both")), 400, "invalid_request", "invalid_field", "filter.credit_debit_indicator");
        assertError(Flows.data(api, tenant, alice, "user-alice", "transactions", Map.of("booking_date_gt", "yesterday")), 400, "invalid_request", "invalid_field", "filter.booking_date_gt");
        assertError(Flows.data(api, tenant, alice, "user-alice", "transactions", Map.of("timestamp_eq", 5)), 400, "invalid_request", "invalid_field", "filter.timestamp_eq");
        assertError(Flows.data(api, tenant, alice, "user-alice", "transactions", Map.of("account_id", "x")), 400, "invalid_request", "invalid_field", "filter.account_id");
    }

    @Test
    void theConsentsOwnEndUserOnly() {
        assertError(Flows.data(api, tenant, alice, "someone-else", "accounts", null), 401, "unauthorized", "invalid_credentials_id", "tenant_user_id");
        assertError(Flows.data(api, tenant, new Flows.Credentials(alice.credentialsId(), "stolen"), "user-alice", "transactions", null),
                401, "unauthorized", "invalid_access_token", "access_token");
        assertError(api.post("/v1/accounts/get", Api.object("client_id", tenant.clientId(), "client_secret", tenant.clientSecret(),
                "credentials_id", alice.credentialsId(), "access_token", alice.accessToken())), 400, "invalid_request", "missing_fields", "tenant_user_id");
    }
}
