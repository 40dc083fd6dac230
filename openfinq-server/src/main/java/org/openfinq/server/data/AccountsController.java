package org.openfinq.server.data;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.openfinq.server.consent.ConsentService.utc;

/** {@code POST /v1/accounts/get}: the consent's bank accounts with their balances, from the cache. */
@RestController
@Tag(name = "Account data")
public class AccountsController {

    static final String SUB_TYPES = "CACC:CurrentAccount,SVGS:Savings,CARD:CreditCard,LOAN:Loan,MOMA:MoneyMarket,TRAN:Transacting";

    private final DataAuth auth;
    private final DataStore store;
    private final Catalog catalog;

    private final SyncHeaders headers;

    public AccountsController(DataAuth auth, DataStore store, Catalog catalog, SyncHeaders headers) {
        this.auth = auth;
        this.store = store;
        this.catalog = catalog;
        this.headers = headers;
    }

    @PostMapping({"/v1/accounts/get", "/v1s/accounts/get"})
    @Operation(summary = "Get accounts", description = "Accounts ordered by IBAN.")
    @ApiDoc(request = DataApi.AccountsRequest.class, response = DataApi.Account.class, array = true, headers = {SyncHeaders.STATE_DOC, SyncHeaders.AS_OF_DOC},
            errors = {"invalid_credentials_id (401)", "invalid_access_token (401)", "expired_credentials (401)", "inactive_credentials (401)"})
    public List<DataApi.Account> accounts(JsonBody body, HttpServletResponse response) {
        ConsentStore.Consent c = auth.check(body, List.of());
        headers.apply(response, c.id());
        Servicer servicer = catalog.servicer(c.servicerId()).orElse(null);
        Map<UUID, List<DataStore.BalanceRow>> balances = store.balances(c.id(), null, null, null).stream()
                .collect(Collectors.groupingBy(DataStore.BalanceRow::accountId));
        List<DataApi.Account> out = new ArrayList<>();
        for (DataStore.AccountRow a : store.accounts(c.id())) {
            List<DataApi.Scheme> schemes = new ArrayList<>();
            if (a.iban() != null) {
                schemes.add(new DataApi.Scheme(a.iban(), "IBAN"));
            }
            if (a.bic() != null) {
                schemes.add(new DataApi.Scheme(a.bic(), "BICFI"));
            }
            List<DataApi.AccountBalance> bs = balances.getOrDefault(a.id(), List.of()).stream()
                    .map(b -> new DataApi.AccountBalance(b.amount().abs().toPlainString(), b.currency(), BalancesController.type(b.type()),
                            Boolean.TRUE.equals(b.creditLimitIncluded()), indicator(b.amount())))
                    .toList();
            out.add(new DataApi.Account(a.id().toString(), c.servicerId().toString(), servicer == null ? null : servicer.name(),
                    utc(a.updatedAt()), new DataApi.AccountData(schemes, bs, subType(a.cashAccountType()), a.product(), a.currency(),
                    a.name() == null ? "" : a.name(), "")));
        }
        return out;
    }

    static String indicator(BigDecimal signed) {
        return signed.signum() < 0 ? "debit" : "credit";
    }

    static String subType(String cashAccountType) {
        if (cashAccountType == null) {
            return null;
        }
        for (String pair : SUB_TYPES.split(",")) {
            if (pair.startsWith(cashAccountType + ":")) {
                return pair.substring(cashAccountType.length() + 1);
            }
        }
        return cashAccountType;
    }
}
