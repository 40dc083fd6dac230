package org.openfinq.server.data;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.consent.ConsentService.utc;

/** {@code POST /v1/balances/get}: balances of the consent's accounts, from the cache. */
@RestController
@Tag(name = "Account data")
public class BalancesController {

    private final DataAuth auth;
    private final DataStore store;

    private final SyncHeaders headers;

    public BalancesController(DataAuth auth, DataStore store, SyncHeaders headers) {
        this.auth = auth;
        this.store = store;
        this.headers = headers;
    }

    @PostMapping({"/v1/balances/get", "/v1s/balances/get"})
    @Operation(summary = "Get balances", description = "Filters: account_id, type (ISO 20022 name, case-insensitive), currency. "
            + "Ordered by account IBAN, then type.")
    @ApiDoc(request = DataApi.BalancesRequest.class, response = DataApi.Balance.class, array = true, headers = {SyncHeaders.STATE_DOC, SyncHeaders.AS_OF_DOC},
            errors = {"invalid_credentials_id (401)", "invalid_access_token (401)", "expired_credentials (401)", "inactive_credentials (401)"})
    public List<DataApi.Balance> balances(JsonBody body, HttpServletResponse response) {
        ConsentStore.Consent c = auth.check(body, List.of("filter"));
        headers.apply(response, c.id());
        UUID account = null;
        String type = null;
        String currency = null;
        Optional<JsonBody> filter = body.optObject("filter");
        if (filter.isPresent()) {
            JsonBody f = filter.get().expect(List.of(), List.of("account_id", "type", "currency"));
            account = f.optText("account_id").map(v -> JsonBody.uuid(v,
                    ApiException.invalidField("filter.account_id", "must be an account id (UUID)"))).orElse(null);
            type = f.optText("type").map(BalancesController::bankType).orElse(null);
            currency = f.optText("currency").orElse(null);
        }
        return store.balances(c.id(), account, type, currency).stream()
                .map(b -> new DataApi.Balance(b.accountId().toString(), b.id().toString(), utc(b.queriedAt()),
                        new DataApi.BalanceData(b.amount().abs().toPlainString(), AccountsController.indicator(b.amount()),
                                Boolean.TRUE.equals(b.creditLimitIncluded()), null, b.currency(),
                                b.nativeDate() == null ? null : b.nativeDate().toString(), utc(b.nativeTimestamp()), type(b.type()))))
                .toList();
    }

    /** NextGenPSD2 {@code interimAvailable} is ISO 20022 {@code InterimAvailable} on the wire. */
    static String type(String bankType) {
        return bankType == null || bankType.isEmpty() ? bankType : Character.toUpperCase(bankType.charAt(0)) + bankType.substring(1);
    }

    private static String bankType(String wireType) {
        return Character.toLowerCase(wireType.charAt(0)) + wireType.substring(1);
    }
}
