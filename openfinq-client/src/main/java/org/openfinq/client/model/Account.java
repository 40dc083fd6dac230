package org.openfinq.client.model;

import java.util.List;

/** A bank account from the cache. */
public record Account(String id, String servicerId, String servicerName, String timestamp, Data data) {

    public record Data(List<Scheme> accountSchemes, List<AccountBalance> balances, String accountSubType, String accountType,
                       String currency, String name, String nickname) {
    }

    public record Scheme(String identification, String schemeName) {
    }

    public record AccountBalance(String balanceAmount, String balanceCurrency, String balanceType, Boolean creditLimitIncluded,
                                 String creditDebitIndicator) {
    }

    /** The IBAN, if the account has one. */
    public String iban() {
        return data.accountSchemes().stream().filter(s -> "IBAN".equals(s.schemeName())).map(Scheme::identification).findFirst().orElse(null);
    }
}
