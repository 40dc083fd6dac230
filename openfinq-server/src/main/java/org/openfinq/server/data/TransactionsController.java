package org.openfinq.server.data;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.openfinq.server.consent.ConsentService.utc;

/** {@code POST /v1/transactions/get}: the consent's transactions with every documented filter, from the cache. */
@RestController
@Tag(name = "Account data")
public class TransactionsController {

    private final DataAuth auth;
    private final DataStore store;
    private final SyncHeaders headers;

    public TransactionsController(DataAuth auth, DataStore store, SyncHeaders headers) {
        this.auth = auth;
        this.store = store;
        this.headers = headers;
    }

    @PostMapping({"/v1/transactions/get", "/v1s/transactions/get"})
    @Operation(summary = "Get transactions", description = "Newest first: pending transactions, then booked ones by booking date "
            + "descending; ties by utx_id.")
    @ApiDoc(request = DataApi.TransactionsRequest.class, response = DataApi.Transaction.class, array = true, headers = {SyncHeaders.STATE_DOC, SyncHeaders.AS_OF_DOC},
            errors = {"invalid_credentials_id (401)", "invalid_access_token (401)", "expired_credentials (401)", "inactive_credentials (401)"})
    public List<DataApi.Transaction> transactions(JsonBody body, HttpServletResponse response) {
        ConsentStore.Consent c = auth.check(body, List.of("filter"));
        TransactionFilter filter = TransactionFilter.parse(body.optObject("filter"));
        headers.apply(response, c.id());
        List<DataStore.TransactionRow> rows = store.transactions(c.id(), filter);
        List<DataApi.Transaction> out = new ArrayList<>(rows.size());
        for (DataStore.TransactionRow t : rows) {
            out.add(wire(t));
        }
        return out;
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
