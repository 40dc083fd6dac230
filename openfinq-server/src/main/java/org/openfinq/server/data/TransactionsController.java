package org.openfinq.server.data;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.crypto.Cursors;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.openfinq.server.consent.ConsentService.utc;

/**
 * {@code POST /v1/transactions/get}: the consent's transactions with every documented filter, from the cache.
 * Without {@code limit} every matching row is streamed: read a few hundred at a time from a database cursor and
 * written to the response as JSON as they arrive, so memory stays flat however many rows there are. With
 * {@code limit} one page is answered and {@code Openfinq-Next-Cursor} leads to the next.
 */
@RestController
@Tag(name = "Account data")
public class TransactionsController {

    public static final String NEXT_CURSOR = "Openfinq-Next-Cursor";
    static final String NEXT_CURSOR_DOC = NEXT_CURSOR + ": present when more rows follow this page; pass it back as cursor "
            + "(with the same filter) for the next";
    /** The largest page a {@code limit} asks for. */
    static final int MAX_LIMIT = 10_000;

    private static final Logger log = LoggerFactory.getLogger(TransactionsController.class);

    private final DataAuth auth;
    private final DataStore store;
    private final SyncHeaders headers;
    private final Cursors cursors;
    private final ObjectMapper json;
    private final Answers answers;

    public TransactionsController(DataAuth auth, DataStore store, SyncHeaders headers, Cursors cursors, ObjectMapper json,
                                  Answers answers) {
        this.answers = answers;
        this.auth = auth;
        this.store = store;
        this.headers = headers;
        this.cursors = cursors;
        this.json = json;
    }

    @PostMapping({"/v1/transactions/get", "/v1s/transactions/get"})
    @Operation(summary = "Get transactions", description = "Newest first: pending transactions, then booked ones by booking date "
            + "descending; ties by utx_id. Without limit, every matching transaction, streamed. With limit, at most that many, "
            + "and the Openfinq-Next-Cursor header when more follow: paging with it gives every transaction of the unpaged "
            + "answer exactly once.")
    @ApiDoc(request = DataApi.TransactionsRequest.class, response = DataApi.Transaction.class, array = true,
            headers = {SyncHeaders.STATE_DOC, SyncHeaders.AS_OF_DOC, NEXT_CURSOR_DOC},
            errors = {"invalid_field (limit, cursor)", "invalid_credentials_id (401)", "invalid_access_token (401)",
                    "expired_credentials (401)", "inactive_credentials (401)"})
    public void transactions(JsonBody body, HttpServletResponse response) throws IOException {
        ConsentStore.Consent c = auth.check(body, List.of("filter", "limit", "cursor"));
        TransactionFilter filter = TransactionFilter.parse(body.optObject("filter"));
        Integer limit = limit(body);
        // a cursor pages one consent with one filter: bound to both
        String fingerprint = filter.fingerprint();
        String context = "transactions-get:" + c.id() + ":" + fingerprint;
        DataStore.Position after = null;
        String cursor = "";
        if (body.present("cursor")) {
            cursor = body.text("cursor");
            after = DataStore.Position.from(cursors.openBytes(context, cursor, "cursor"));
            if (after == null) {
                throw ApiException.invalidField("cursor", "is not a cursor given for this call; start again without one");
            }
        }
        headers.apply(response, c.id());
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        String query = fingerprint + "\n" + (limit == null ? "" : limit) + "\n" + cursor;
        Answers.Answer kept = answers.get(c.id(), query);
        if (kept != null) {
            send(response, kept);
            return;
        }
        long epoch = answers.epoch();
        if (limit == null) {
            stream(response, c.id(), filter, after, query, epoch);
            return;
        }
        List<DataStore.TransactionRow> rows = new ArrayList<>();
        store.transactions(c.id(), filter, after, limit + 1, rows::add);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = cursors.sealBytes(context, DataStore.Position.of(rows.getLast()).bytes());
        }
        ByteArrayOutputStream page = new ByteArrayOutputStream(512 * rows.size() + 2);
        try (JsonGenerator out = json.createGenerator(page)) {
            out.writeStartArray();
            for (DataStore.TransactionRow t : rows) {
                write(out, t);
            }
            out.writeEndArray();
        }
        Answers.Answer answer = new Answers.Answer(page.toByteArray(), next);
        answers.keep(c.id(), query, epoch, answer);
        send(response, answer);
    }

    private static void send(HttpServletResponse response, Answers.Answer a) throws IOException {
        if (a.nextCursor() != null) {
            response.setHeader(NEXT_CURSOR, a.nextCursor());
        }
        response.setContentLength(a.body().length);
        response.getOutputStream().write(a.body());
    }

    /**
     * Writes rows as they are read. A short answer is gathered first (and kept, see {@link Answers}); one over
     * {@link Answers#MAX_ANSWER_BYTES} goes out as it is written. A failure before the first bytes left (the query
     * itself, a database outage) still becomes the error object: the unsent part of the answer is dropped. After
     * that, the status is gone: the connection is closed without the end of the body, so a client never takes a cut
     * answer for a whole one.
     */
    private void stream(HttpServletResponse response, UUID consentId, TransactionFilter filter, DataStore.Position after,
                        String query, long epoch) throws IOException {
        Spill body = new Spill(response, Answers.MAX_ANSWER_BYTES);
        JsonGenerator[] out = new JsonGenerator[1];
        try {
            store.transactions(consentId, filter, after, null, t -> {
                if (out[0] == null) {
                    out[0] = json.createGenerator(body);
                    out[0].writeStartArray();
                }
                write(out[0], t);
            });
            if (out[0] == null) {
                out[0] = json.createGenerator(body);
                out[0].writeStartArray();
            }
            out[0].writeEndArray();
            out[0].close();
        } catch (RuntimeException e) {
            if (!response.isCommitted()) {
                response.resetBuffer();
                throw e;
            }
            log.warn("transactions/get failed after part of the answer was sent; closing the connection: {}", e.toString());
            throw new AnswerCut(e);
        }
        if (!body.spilled()) {
            Answers.Answer answer = new Answers.Answer(body.gathered(), null);
            answers.keep(consentId, query, epoch, answer);
            send(response, answer);
        }
    }

    /** Gathers what is written up to {@code cap} bytes; past that, sends it all on to the response as it comes. */
    private static final class Spill extends OutputStream {
        private final HttpServletResponse response;
        private final int cap;
        private ByteArrayOutputStream gathered = new ByteArrayOutputStream(8192);
        private OutputStream target;

        Spill(HttpServletResponse response, int cap) {
            this.response = response;
            this.cap = cap;
        }

        boolean spilled() {
            return target != null;
        }

        byte[] gathered() {
            return gathered.toByteArray();
        }

        private OutputStream room(int n) throws IOException {
            if (target == null && gathered.size() + n > cap) {
                target = response.getOutputStream();
                gathered.writeTo(target);
                gathered = null;
            }
            return target == null ? gathered : target;
        }

        @Override
        public void write(int b) throws IOException {
            room(1).write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            room(len).write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (target != null) {
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (target != null) {
                target.close();
            }
        }
    }

    /** A failure after the answer started: not turned into an error object but left to close the connection. */
    static final class AnswerCut extends RuntimeException {
        AnswerCut(Exception cause) {
            super(cause);
        }
    }

    @ExceptionHandler(AnswerCut.class)
    void cut(AnswerCut e) {
        throw e;
    }

    static Integer limit(JsonBody body) {
        if (!body.present("limit")) {
            return null;
        }
        long n = body.optLong("limit").orElseThrow();
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return (int) n;
    }

    /**
     * Writes a cached transaction exactly as {@link #wire} serialises (same fields, order and nulls), straight to
     * the generator: no records, map or bean serialiser per row on the read path.
     */
    static void write(JsonGenerator g, DataStore.TransactionRow t) {
        g.writeStartObject();
        g.writeStringProperty("account_id", t.accountId().toString());
        g.writeStringProperty("timestamp", utc(t.changedAt()));
        g.writeStringProperty("id", t.id().toString());
        g.writeStringProperty("utx_id", t.utxId());
        g.writeObjectPropertyStart("data");
        g.writeStringProperty("amount", t.amount().toPlainString());
        g.writeStringProperty("balance", t.balance() == null ? null : t.balance().toPlainString());
        g.writeStringProperty("booking_date_time", utc(t.bookingDateTime()));
        g.writeStringProperty("credit_debit_indicator", t.creditDebitIndicator());
        g.writeStringProperty("currency", t.currency());
        g.writeStringProperty("info", t.info());
        g.writeStringProperty("status", t.status());
        g.writeObjectPropertyStart("details");
        g.writeStringProperty("category", t.category());
        g.writeStringProperty("merchant", t.counterparty());
        g.writeNullProperty("location");
        g.writeArrayPropertyStart("tags");
        g.writeEndArray();
        g.writeArrayPropertyStart("attach");
        g.writeEndArray();
        g.writeEndObject();
        g.writeNullProperty("exchange_rate");
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A cached transaction as the API shows it. */
    static DataApi.Transaction wire(DataStore.TransactionRow t) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("category", t.category());
        details.put("merchant", t.counterparty());
        details.put("location", null);
        details.put("tags", List.of());
        details.put("attach", List.of());
        return new DataApi.Transaction(t.accountId().toString(), utc(t.changedAt()), t.id().toString(), t.utxId(),
                new DataApi.TransactionData(t.amount().toPlainString(), t.balance() == null ? null : t.balance().toPlainString(),
                        utc(t.bookingDateTime()), t.creditDebitIndicator(), t.currency(), t.info(), t.status(), details, null));
    }
}
