package org.openfinq.server.data;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.crypto.Cursors;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.openfinq.server.web.Paging;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/transactions/sync}: the consent's transaction changes after a cursor, from the change log
 * (change numbers on each transaction and tombstones of removed ones). The cursor seals the last change number,
 * the last change number when the client started from no cursor, and when it was given, bound to the consent.
 */
@RestController
@Tag(name = "Account data")
public class TransactionsSyncController {

    private final DataAuth auth;
    private final DataStore store;
    private final SyncHeaders headers;
    private final Cursors cursors;
    private final Duration cursorLifetime;
    private final Clock clock;

    public TransactionsSyncController(DataAuth auth, DataStore store, SyncHeaders headers, Cursors cursors,
                                      @Value("${openfinq.events.retention:P30D}") Duration cursorLifetime, Clock clock) {
        this.auth = auth;
        this.store = store;
        this.headers = headers;
        this.cursors = cursors;
        this.cursorLifetime = cursorLifetime;
        this.clock = clock;
    }

    @PostMapping({"/v1/transactions/sync", "/v1s/transactions/sync"})
    @Operation(summary = "Sync transactions incrementally", description = "Transactions added, modified and removed since the "
            + "cursor, in the order the changes were stored. A pending transaction that is booked arrives in modified with the "
            + "same id and utx_id; a pending one the bank stops reporting arrives in removed. A cursor older than 30 days is "
            + "refused (start again without one).")
    @ApiDoc(request = DataApi.TransactionsSyncRequest.class, response = DataApi.TransactionsSyncPage.class,
            headers = {SyncHeaders.STATE_DOC, SyncHeaders.AS_OF_DOC},
            errors = {"invalid_field (cursor, count)", "invalid_credentials_id (401)", "invalid_access_token (401)",
                    "expired_credentials (401)", "inactive_credentials (401)"})
    public DataApi.TransactionsSyncPage sync(JsonBody body, HttpServletResponse response) {
        ConsentStore.Consent c = auth.check(body, List.of("cursor", "count"));
        int count = Paging.count(body);
        String context = "transactions-sync:" + c.id();
        long now = clock.instant().getEpochSecond();
        long after = 0;
        long start;
        if (body.present("cursor")) {
            long[] cursor = cursors.open(context, body.text("cursor"), "cursor", 3);
            if (cursor[2] < now - cursorLifetime.toSeconds()) {
                throw ApiException.invalidField("cursor", "expired (older than " + cursorLifetime.toDays()
                        + " days); start again without one");
            }
            after = cursor[0];
            start = cursor[1];
        } else {
            // removals numbered up to here happened before this client started: it never had those rows
            start = store.lastChange(c.id());
        }
        headers.apply(response, c.id());
        List<DataStore.Change> changes = store.changes(c.id(), after, Math.max(after, start), count + 1);
        boolean more = changes.size() > count;
        List<DataStore.Change> page = more ? changes.subList(0, count) : changes;
        List<DataApi.Transaction> added = new ArrayList<>();
        List<DataApi.Transaction> modified = new ArrayList<>();
        List<DataApi.Removed> removed = new ArrayList<>();
        for (DataStore.Change ch : page) {
            if (ch.removed()) {
                removed.add(new DataApi.Removed(ch.row().id().toString(), ch.row().utxId()));
            } else if (ch.createdSeq() > after) {
                added.add(TransactionsController.wire(ch.row()));
            } else {
                modified.add(TransactionsController.wire(ch.row()));
            }
        }
        long last = page.isEmpty() ? after : page.getLast().seq();
        return new DataApi.TransactionsSyncPage(added, modified, removed, cursors.seal(context, last, start, now), more);
    }
}
