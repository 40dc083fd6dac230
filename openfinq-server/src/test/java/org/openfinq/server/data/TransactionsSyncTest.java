package org.openfinq.server.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.Money;
import org.openfinq.connector.Transaction;
import org.openfinq.sandboxbank.SandboxBank;
import org.openfinq.sandboxbank.SandboxConfig;
import org.openfinq.sandboxbank.data.BankTransaction;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.sync.CacheWriter;
import org.openfinq.server.sync.RefreshScheduler;
import org.openfinq.server.sync.SyncWorker;
import org.openfinq.testing.TestClock;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/transactions/sync} and {@code /v1/events/get} over real onboardings: paging from no cursor gives every
 * transaction of transactions/get once, across a second node and a restart; after the bank books a pending
 * transaction and a refresh runs, the next call gives exactly that one in modified; events replay in order.
 * All nodes share one sandbox bank that follows the test clock.
 */
class TransactionsSyncTest {

    static final LocalDate ANCHOR = LocalDate.of(2025, 1, 1);
    static final Map<String, String> NODE = new HashMap<>();

    static SandboxBank bank;
    static TestDatabase db;
    static TestServer nodeA;
    static Tenants.Creds tenant;

    @BeforeAll
    static void start() {
        TestClock.INSTANCE.reset();
        // Move "today" to a day after which carmen's account has a quiet day: then a one-day refresh only books
        // the pending transactions of the day before yesterday and adds nothing.
        LocalDate real = LocalDate.now(ZoneOffset.UTC);
        int shift = 0;
        while (!quietTomorrow(real.plusDays(shift))) {
            shift++;
        }
        TestClock.INSTANCE.advance(Duration.ofDays(shift));
        bank = SandboxBank.start(SandboxConfig.defaults().withPort(0).withSeed(42).withLargePsuTransactions(0)
                .withClock(TestClock.INSTANCE));
        NODE.put("openfinq.sync.enabled", "false");
        NODE.put("openfinq.sandbox-bank.url", bank.url());
        db = TestDatabase.create();
        nodeA = TestServer.start(db, NODE, TestClock.Config.class);
        tenant = Tenants.create(nodeA.api(), "incremental", Flows.AIS);
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        db.close();
        bank.close();
        TestClock.INSTANCE.reset();
    }

    static SandboxAccount carmensAccount(LocalDate today) {
        return new SandboxData(42, ANCHOR, 0, today).psu("carmen").orElseThrow().accounts().getFirst();
    }

    static List<BankTransaction> on(LocalDate today, LocalDate day) {
        SandboxData data = new SandboxData(42, ANCHOR, 0, today);
        return data.ledger(carmensAccount(today).resourceId()).asOf(today).stream().filter(t -> t.valueDate().equals(day)).toList();
    }

    /** Tomorrow brings no transaction, and the day before yesterday has pending ones that tomorrow are booked. */
    static boolean quietTomorrow(LocalDate today) {
        return on(today.plusDays(1), today.plusDays(1)).isEmpty() && !on(today, today.minusDays(1)).isEmpty();
    }

    static LocalDate today() {
        return LocalDate.ofInstant(TestClock.INSTANCE.instant(), ZoneOffset.UTC);
    }

    static Api.Response sync(Api node, Flows.Credentials c, String user, String cursor, Integer count) {
        Map<String, Object> b = Flows.dataBody(tenant, c, user);
        if (cursor != null) {
            b.put("cursor", cursor);
        }
        if (count != null) {
            b.put("count", count);
        }
        Api.Response r = node.post("/v1/transactions/sync", b);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().propertyNames()).containsExactly("added", "modified", "removed", "next_cursor", "has_more");
        return r;
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    static List<JsonNode> transactions(Api node, Flows.Credentials c, String user) {
        Api.Response r = Flows.data(node, tenant, c, user, "transactions", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return list(r.json());
    }

    static JsonNode events(Api node, String cursor, Integer count, List<String> types) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("client_id", tenant.clientId());
        b.put("client_secret", tenant.clientSecret());
        if (cursor != null) {
            b.put("cursor", cursor);
        }
        if (count != null) {
            b.put("count", count);
        }
        if (types != null) {
            b.put("types", types);
        }
        Api.Response r = node.post("/v1/events/get", b);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** Every event from {@code cursor} on, paging {@code count} at a time; the last element is the final page. */
    static List<JsonNode> allEvents(Api node, String cursor, int count, JsonNode[] last) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode page;
        do {
            page = events(node, cursor, count, null);
            out.addAll(list(page.get("events")));
            assertThat(page.get("events").size()).isLessThanOrEqualTo(count);
            cursor = page.get("next_cursor").asString();
        } while (page.get("has_more").asBoolean());
        last[0] = page;
        return out;
    }

    @Test
    void pagingFromNoCursorAcrossNodesAndARestartThenOnlyTheBookedOnesThenEventsInOrder() {
        Api a = nodeA.api();
        String user = "u-sync";
        Flows.Credentials c = Flows.aisCredentials(a, tenant, user, "carmen");
        assertThat(nodeA.bean(SyncWorker.class).runAll()).isEqualTo(1);
        List<JsonNode> all = transactions(a, c, user);
        assertThat(all).hasSizeGreaterThan(250);

        List<JsonNode> added = new ArrayList<>();
        Api.Response first = sync(a, c, user, null, 100);
        added.addAll(list(first.json().get("added")));
        assertThat(first.json().get("has_more").asBoolean()).isTrue();
        String cursor = first.text("next_cursor");

        TestServer nodeB = TestServer.start(db, NODE, TestClock.Config.class);
        try {
            Api b = nodeB.api();
            Api.Response second = sync(b, c, user, cursor, 100);
            added.addAll(list(second.json().get("added")));
            assertThat(second.json().get("has_more").asBoolean()).isTrue();
            cursor = second.text("next_cursor");

            nodeA.close();
            nodeA = TestServer.start(db, NODE, TestClock.Config.class);
            a = nodeA.api();
            Api.Response page;
            int pages = 2;
            do {
                page = sync(pages % 2 == 0 ? a : b, c, user, cursor, 100);
                assertThat(page.json().get("modified").isEmpty()).isTrue();
                assertThat(page.json().get("removed").isEmpty()).isTrue();
                added.addAll(list(page.json().get("added")));
                cursor = page.text("next_cursor");
                pages++;
                assertThat(page.json().get("added").size()).isLessThanOrEqualTo(100);
            } while (page.json().get("has_more").asBoolean());
            assertThat(added).as("every transaction once, in the transactions/get shape").hasSize(all.size())
                    .containsExactlyInAnyOrderElementsOf(all);
            assertThat(SyncStatusTest.ids(added)).hasSize(all.size());

            Api.Response idle = sync(b, c, user, cursor, null);
            assertThat(idle.json().get("added").isEmpty() && idle.json().get("modified").isEmpty()
                    && idle.json().get("removed").isEmpty()).as(idle.body()).isTrue();
            assertThat(idle.json().get("has_more").asBoolean()).isFalse();

            Map<String, JsonNode> pendingBefore = new HashMap<>();
            all.stream().filter(x -> x.get("data").get("status").asString().equals("pending"))
                    .forEach(x -> pendingBefore.put(x.get("utx_id").asString(), x));
            LocalDate dayBeforeYesterday = today().minusDays(1);
            int toBeBooked = on(today(), dayBeforeYesterday).size();

            TestClock.INSTANCE.advance(Duration.ofDays(1));
            assertThat(nodeA.bean(RefreshScheduler.class).run()).isEqualTo(1);
            assertThat(nodeA.bean(SyncWorker.class).runAll()).isEqualTo(1);

            Api.Response changes = sync(b, c, user, idle.text("next_cursor"), null);
            assertThat(changes.json().get("added").isEmpty()).as(changes.body()).isTrue();
            assertThat(changes.json().get("removed").isEmpty()).as(changes.body()).isTrue();
            assertThat(changes.json().get("has_more").asBoolean()).isFalse();
            List<JsonNode> modified = list(changes.json().get("modified"));
            assertThat(modified).as("the pending transactions of %s, now booked", dayBeforeYesterday).hasSize(toBeBooked);
            Map<String, JsonNode> now = new HashMap<>();
            transactions(a, c, user).forEach(x -> now.put(x.get("utx_id").asString(), x));
            for (JsonNode m : modified) {
                JsonNode was = pendingBefore.get(m.get("utx_id").asString());
                assertThat(was).as("same utx_id as the pending one").isNotNull();
                assertThat(m.get("id").asString()).isEqualTo(was.get("id").asString());
                assertThat(m.get("data").get("status").asString()).isEqualTo("booked");
                assertThat(m.get("data").get("booking_date_time").asString()).isEqualTo(dayBeforeYesterday + "T00:00:00Z");
                assertThat(m).isEqualTo(now.get(m.get("utx_id").asString()));
            }
            Api.Response after = sync(a, c, user, changes.text("next_cursor"), null);
            assertThat(after.json().get("modified").isEmpty()).as("nothing again").isTrue();

            // events: replay in order, the same whether paged one by one or in one page, on either node
            JsonNode[] last = new JsonNode[1];
            List<JsonNode> oneByOne = allEvents(b, null, 1, last);
            List<JsonNode> atOnce = allEvents(a, null, 500, last);
            assertThat(oneByOne).isEqualTo(atOnce);
            List<JsonNode> mine = atOnce.stream().filter(e -> c.credentialsId().equals(e.get("credentials_id").asString(null))).toList();
            assertThat(mine).extracting(e -> e.get("type").asString()).containsExactly("sync.initial_completed", "transactions.updated");
            JsonNode initial = mine.getFirst();
            assertThat(initial.propertyNames()).containsExactly("id", "type", "created_at", "client_id", "tenant_user_id",
                    "credentials_id", "payment_id", "data");
            assertThat(initial.get("client_id").asString()).isEqualTo(tenant.clientId());
            assertThat(initial.get("tenant_user_id").asString()).isEqualTo(user);
            assertThat(initial.get("payment_id").isNull()).isTrue();
            assertThat(initial.get("data").get("transactions").asInt()).isEqualTo(all.size());
            assertThat(initial.get("data").get("accounts").asInt()).isEqualTo(1);
            JsonNode updated = mine.get(1);
            assertThat(updated.get("data").get("added").asInt()).isZero();
            assertThat(updated.get("data").get("modified").asInt()).isEqualTo(toBeBooked);
            assertThat(updated.get("data").get("removed").asInt()).isZero();
            List<String> created = atOnce.stream().map(e -> e.get("created_at").asString()).toList();
            assertThat(created).isSorted();

            String poll = last[0].get("next_cursor").asString();
            assertThat(events(b, poll, null, null).get("events").isEmpty()).as("polling: nothing new").isTrue();
            Flows.consent(a, tenant, c, "delete");
            JsonNode fresh = events(b, poll, null, null);
            assertThat(list(fresh.get("events"))).extracting(e -> e.get("type").asString()).containsExactly("consent.deleted");
            assertThat(fresh.get("events").get(0).get("data").get("status").asString()).isEqualTo("DELETED");
            assertThat(fresh.get("has_more").asBoolean()).isFalse();
            assertThat(list(events(a, null, 500, List.of("transactions.updated", "consent.deleted")).get("events")))
                    .extracting(e -> e.get("type").asString()).containsOnly("transactions.updated", "consent.deleted")
                    .contains("consent.deleted");
        } finally {
            nodeB.close();
        }
    }

    @Test
    void aPendingTransactionTheBankStopsReportingArrivesInRemoved() {
        Api a = nodeA.api();
        String user = "u-removed";
        Flows.Credentials c = Flows.aisCredentials(a, tenant, user, "carmen");
        nodeA.bean(SyncWorker.class).runAll();
        String cursor = null;
        JsonNode page;
        do {
            page = sync(a, c, user, cursor, 500).json();
            cursor = page.get("next_cursor").asString();
        } while (page.get("has_more").asBoolean());
        List<JsonNode> pending = transactions(a, c, user).stream()
                .filter(x -> x.get("data").get("status").asString().equals("pending")).toList();
        assertThat(pending).isNotEmpty();
        // what a sync does when the bank no longer lists them (cancelled card holds): the sandbox bank never drops one
        UUID account = UUID.fromString(pending.getFirst().get("account_id").asString());
        assertThat(nodeA.bean(CacheWriter.class).dropStalePending(UUID.fromString(c.credentialsId()), account, Set.of(),
                LocalDate.of(2000, 1, 1), Instant.now())).isEqualTo(pending.size());

        JsonNode changes = sync(a, c, user, cursor, null).json();
        assertThat(changes.get("added").isEmpty()).isTrue();
        assertThat(changes.get("modified").isEmpty()).isTrue();
        Set<String> removed = new HashSet<>();
        changes.get("removed").forEach(r -> {
            assertThat(r.propertyNames()).containsExactly("id", "utx_id");
            removed.add(r.get("id").asString() + "|" + r.get("utx_id").asString());
        });
        Set<String> expected = new HashSet<>();
        pending.forEach(p -> expected.add(p.get("id").asString() + "|" + p.get("utx_id").asString()));
        assertThat(removed).isEqualTo(expected);

        List<JsonNode> fromStart = new ArrayList<>();
        cursor = null;
        do {
            page = sync(a, c, user, cursor, 500).json();
            assertThat(page.get("removed").isEmpty()).as("nothing to remove for a client starting now").isTrue();
            fromStart.addAll(list(page.get("added")));
            cursor = page.get("next_cursor").asString();
        } while (page.get("has_more").asBoolean());
        assertThat(fromStart).containsExactlyInAnyOrderElementsOf(transactions(a, c, user));
    }

    @Test
    void newTransactionsGetTimeOrderedIds() {
        Api a = nodeA.api();
        String user = "u-v7";
        long before = System.currentTimeMillis();
        Flows.Credentials c = Flows.aisCredentials(a, tenant, user, "carmen");
        nodeA.bean(SyncWorker.class).runAll();
        long after = System.currentTimeMillis();
        List<JsonNode> rows = transactions(a, c, user);
        assertThat(rows).isNotEmpty();
        for (JsonNode t : rows) {
            UUID id = UUID.fromString(t.get("id").asString());
            // RFC 9562 version 7: the first 48 bits are the Unix time in milliseconds, then the version, then random bits
            assertThat(id.version()).as("version of %s", id).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).as("time of %s", id).isBetween(before - 1000, after + 1000);
        }
        assertThat(rows.stream().map(t -> t.get("id").asString()).distinct().count()).isEqualTo(rows.size());
        assertThat(Flows.consent(a, tenant, c, "delete").status()).isEqualTo(200);
    }

    @Test
    void aPageOfAwkwardTextIsStoredExactlyAsTheBankSentIt() {
        Api a = nodeA.api();
        String user = "u-awkward";
        Flows.Credentials c = Flows.aisCredentials(a, tenant, user, "carmen");
        nodeA.bean(SyncWorker.class).runAll();
        UUID consent = UUID.fromString(c.credentialsId());
        UUID account = UUID.fromString(transactions(a, c, user).getFirst().get("account_id").asString());
        // what the page's array literals must carry through: quotes, backslashes, braces and commas, the word NULL,
        // the empty string, spaces, non-Latin-1 text and control characters
        String[] texts = {"say \"hi\"", "back\\slash \\\" end\\", "{braces}, commas, NULL", "NULL", "", "  spaced  ",
                "Plată către Ștefan — 🙂", "tab\tnew\nline"};
        List<CacheWriter.Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            boolean debit = i % 2 == 0;
            Transaction t = new Transaction("bank " + texts[i], null, null, Transaction.BookingStatus.BOOKED,
                    LocalDate.of(2025, 3, i + 1), LocalDate.of(2025, 3, i + 2),
                    new Money(new BigDecimal(debit ? "-12.30" : "1E+3"), "RON"), debit ? texts[i] : "creditor",
                    null, debit ? "debtor" : texts[i], null, texts[i], null, null, null,
                    i == 1 ? null : new Money(new BigDecimal("-0.01"), "RON"));
            rows.add(new CacheWriter.Row("awkward-" + i, t, texts[texts.length - 1 - i]));
        }
        // a utx_id twice in one page: the last occurrence is kept
        Transaction first = rows.getFirst().t();
        rows.add(new CacheWriter.Row("awkward-0", new Transaction(first.transactionId(), null, null, first.status(),
                first.bookingDate(), first.valueDate(), first.amount(), first.creditorName(), null, first.debtorName(), null,
                "the last one", null, null, null, first.balanceAfter()), "kept"));
        CacheWriter writer = nodeA.bean(CacheWriter.class);
        assertThat(writer.upsertTransactions(consent, account, CacheWriter.page(rows), Instant.now())).isEqualTo(8);

        Map<String, JsonNode> stored = new HashMap<>();
        transactions(a, c, user).stream().filter(t -> t.get("utx_id").asString().startsWith("awkward-"))
                .forEach(t -> stored.put(t.get("utx_id").asString(), t.get("data")));
        assertThat(stored).hasSize(8);
        JsonNode kept = stored.get("awkward-0");
        assertThat(kept.get("info").asString()).isEqualTo("the last one");
        assertThat(kept.get("details").get("category").asString()).isEqualTo("kept");
        assertThat(kept.get("details").get("merchant").asString()).isEqualTo("say \"hi\"");
        assertThat(kept.get("amount").asString()).isEqualTo("12.30");
        assertThat(kept.get("credit_debit_indicator").asString()).isEqualTo("debit");
        assertThat(kept.get("booking_date_time").asString()).isEqualTo("2025-03-01T00:00:00Z");
        assertThat(kept.get("balance").asString()).isEqualTo("-0.01");
        JsonNode second = stored.get("awkward-1");
        assertThat(second.get("info").asString()).isEqualTo("back\\slash \\\" end\\");
        assertThat(second.get("details").get("merchant").asString()).isEqualTo("back\\slash \\\" end\\");
        assertThat(second.get("details").get("category").asString()).isEqualTo("Plată către Ștefan — 🙂");
        assertThat(second.get("amount").asString()).isEqualTo("1000");
        assertThat(second.get("credit_debit_indicator").asString()).isEqualTo("credit");
        assertThat(second.get("booking_date_time").asString()).isEqualTo("2025-03-02T00:00:00Z");
        assertThat(second.get("balance").isNull()).isTrue();
        assertThat(stored.get("awkward-2").get("info").asString()).isEqualTo("{braces}, commas, NULL");
        assertThat(stored.get("awkward-3").get("info").asString()).isEqualTo("NULL");
        assertThat(stored.get("awkward-3").get("details").get("merchant").asString()).isEqualTo("NULL");
        assertThat(stored.get("awkward-4").get("info").asString()).isEmpty();
        assertThat(stored.get("awkward-4").get("details").get("merchant").asString()).isEmpty();
        assertThat(stored.get("awkward-5").get("info").asString()).isEqualTo("  spaced  ");
        assertThat(stored.get("awkward-6").get("info").asString()).isEqualTo("Plată către Ștefan — 🙂");
        assertThat(stored.get("awkward-6").get("details").get("category").asString()).isEqualTo("back\\slash \\\" end\\");
        assertThat(stored.get("awkward-7").get("info").asString()).isEqualTo("tab\tnew\nline");
        assertThat(stored.get("awkward-7").get("details").get("category").asString()).isEqualTo("say \"hi\"");
        assertThat(nodeA.bean(org.springframework.jdbc.core.simple.JdbcClient.class).sql("select bank_transaction_id from transaction where account_id = ? and utx_id = 'awkward-2'")
                .param(account).query(String.class).single()).isEqualTo("bank {braces}, commas, NULL");

        // the same page again changes nothing
        assertThat(writer.upsertTransactions(consent, account, CacheWriter.page(rows), Instant.now())).isZero();
        // out of the way of the refresh counts of the other tests
        assertThat(Flows.consent(a, tenant, c, "delete").status()).isEqualTo(200);
    }
}
