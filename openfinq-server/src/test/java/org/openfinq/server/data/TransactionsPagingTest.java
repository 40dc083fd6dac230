package org.openfinq.server.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/**
 * {@code /v1/transactions/get} streamed and paged over real HTTP: the unpaged answer of a consent with more rows than
 * one database fetch is streamed (chunked, no Content-Length) and complete; paging with {@code limit} and
 * {@code Openfinq-Next-Cursor} gives every row of the unpaged answer exactly once, in the same order, with and
 * without a filter; a cursor that is not ours, altered, of another consent or another filter is a 400; limit bounds.
 */
class TransactionsPagingTest {

    static final int ROWS = 1500;

    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;
    static Flows.Credentials big;
    static Flows.Credentials alice;
    static List<JsonNode> all;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", Integer.toString(ROWS)));
        api = server.api();
        tenant = Tenants.create(api, "paging", Flows.AIS);
        big = Flows.aisCredentials(api, tenant, "user-big", "bigcorp");
        alice = Flows.aisCredentials(api, tenant, "user-alice", "alice");
        assertThat(Flows.awaitSync(db, big.credentialsId())[0]).isEqualTo("done");
        assertThat(Flows.awaitSync(db, alice.credentialsId())[0]).isEqualTo("done");
        Api.Response r = get(big, "user-big", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // more than three database fetches of 500 rows: the stream crosses fetch boundaries
        assertThat(r.raw().headers().firstValue("Content-Length")).isEmpty();
        assertThat(r.raw().headers().firstValue(TransactionsController.NEXT_CURSOR)).isEmpty();
        all = list(r.json());
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    static Api.Response get(Flows.Credentials c, String user, Map<String, Object> extra) {
        Map<String, Object> b = Flows.dataBody(tenant, c, user);
        b.putAll(extra);
        return api.post("/v1/transactions/get", b);
    }

    static List<JsonNode> list(JsonNode array) {
        assertThat(array.isArray()).isTrue();
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    static List<String> ids(List<JsonNode> rows) {
        return rows.stream().map(t -> t.get("id").asString()).toList();
    }

    /** Pages until no next cursor; every page at most {@code limit} rows. */
    static List<JsonNode> paged(Flows.Credentials c, String user, int limit, Map<String, Object> filter) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            Map<String, Object> extra = new java.util.HashMap<>(Map.of("limit", limit));
            if (!filter.isEmpty()) {
                extra.put("filter", filter);
            }
            if (cursor != null) {
                extra.put("cursor", cursor);
            }
            Api.Response r = get(c, user, extra);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            List<JsonNode> rows = list(r.json());
            assertThat(rows.size()).isLessThanOrEqualTo(limit);
            out.addAll(rows);
            cursor = r.raw().headers().firstValue(TransactionsController.NEXT_CURSOR).orElse(null);
            if (cursor == null) {
                return out;
            }
            assertThat(rows).hasSize(limit);
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void theUnpagedAnswerIsCompleteAndInTheDocumentedOrder() {
        assertThat(all).hasSizeGreaterThanOrEqualTo(ROWS);
        assertThat(new HashSet<>(ids(all))).hasSize(all.size());
        // pending first (no booking date), then booked newest first
        assertThat(all.stream().anyMatch(t -> t.get("data").get("booking_date_time").isNull())).isTrue();
        boolean seenBooked = false;
        String previous = null;
        for (JsonNode t : all) {
            JsonNode booking = t.get("data").get("booking_date_time");
            if (booking.isNull()) {
                assertThat(seenBooked).as("pending after booked").isFalse();
                continue;
            }
            seenBooked = true;
            if (previous != null) {
                assertThat(booking.asString().compareTo(previous)).isLessThanOrEqualTo(0);
            }
            previous = booking.asString();
        }
    }

    @Test
    void pagingGivesEveryRowOfTheUnpagedAnswerExactlyOnce() {
        for (int limit : new int[]{7, 500, 501, 1000}) {
            assertThat(ids(paged(big, "user-big", limit, Map.of()))).as("limit " + limit).containsExactlyElementsOf(ids(all));
        }
    }

    @Test
    void pagingWithAFilterGivesExactlyTheFilteredAnswer() {
        Map<String, Object> filter = Map.of("credit_debit_indicator", "debit", "status", "booked");
        Api.Response r = get(big, "user-big", Map.of("filter", filter));
        List<JsonNode> filtered = list(r.json());
        assertThat(filtered).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(filtered).allMatch(t -> t.get("data").get("credit_debit_indicator").asString().equals("debit"));
        assertThat(ids(paged(big, "user-big", 33, filter))).containsExactlyElementsOf(ids(filtered));
    }

    @Test
    void pagesAreTheSameRowsFieldForField() {
        Api.Response first = get(big, "user-big", Map.of("limit", 3));
        assertThat(list(first.json())).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(first.raw().headers().firstValue(SyncHeaders.STATE)).hasValue("ready");
    }

    @Test
    void aCursorThatIsNotOursOrForAnotherCallIsRefused() {
        String cursor = get(big, "user-big", Map.of("limit", 5)).raw().headers().firstValue(TransactionsController.NEXT_CURSOR).orElseThrow();
        assertThat(list(get(big, "user-big", Map.of("limit", 5, "cursor", cursor)).json())).containsExactlyElementsOf(all.subList(5, 10));
        // altered
        char c = cursor.charAt(10);
        String altered = cursor.substring(0, 10) + (c == 'A' ? 'B' : 'A') + cursor.substring(11);
        assertError(get(big, "user-big", Map.of("cursor", altered)), 400, "invalid_request", "invalid_field", "cursor");
        assertError(get(big, "user-big", Map.of("cursor", "not-a-cursor")), 400, "invalid_request", "invalid_field", "cursor");
        assertError(get(big, "user-big", Map.of("cursor", "")), 400, "invalid_request", "invalid_field", "cursor");
        assertError(get(big, "user-big", Map.of("cursor", 5)), 400, "invalid_request", "invalid_field", "cursor");
        // the transactions/sync cursor of the same consent is not a transactions/get cursor
        Map<String, Object> syncBody = Flows.dataBody(tenant, big, "user-big");
        syncBody.put("count", 1);
        String syncCursor = api.post("/v1/transactions/sync", syncBody).json().get("next_cursor").asString();
        assertError(get(big, "user-big", Map.of("cursor", syncCursor)), 400, "invalid_request", "invalid_field", "cursor");
        // another consent's call
        assertError(get(alice, "user-alice", Map.of("cursor", cursor)), 400, "invalid_request", "invalid_field", "cursor");
        // the same consent with another filter
        assertError(get(big, "user-big", Map.of("cursor", cursor, "filter", Map.of("status", "booked"))), 400,
                "invalid_request", "invalid_field", "cursor");
    }

    @Test
    void limitIsOneToTenThousand() {
        for (Object bad : new Object[]{0, -1, 10_001, "5", 2.5, Long.MAX_VALUE}) {
            assertError(get(big, "user-big", Map.of("limit", bad)), 400, "invalid_request", "invalid_field", "limit");
        }
        Api.Response one = get(big, "user-big", Map.of("limit", 1));
        assertThat(ids(list(one.json()))).containsExactly(ids(all).getFirst());
        Api.Response max = get(big, "user-big", Map.of("limit", 10_000));
        assertThat(ids(list(max.json()))).containsExactlyElementsOf(ids(all));
        assertThat(max.raw().headers().firstValue(TransactionsController.NEXT_CURSOR)).isEmpty();
    }
}
