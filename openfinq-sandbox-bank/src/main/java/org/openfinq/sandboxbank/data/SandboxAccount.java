package org.openfinq.sandboxbank.data;

import java.math.BigDecimal;

/**
 * An account at the sandbox bank.
 *
 * @param kind           what its history looks like
 * @param openingBalance balance on the ledger's anchor date
 * @param perDay         for {@link Kind#BUSINESS}: transactions per day
 */
public record SandboxAccount(String resourceId, String iban, String currency, String name, String product,
                             String cashAccountType, String ownerName, Kind kind, BigDecimal openingBalance,
                             int perDay) {

    public enum Kind {
        HOUSEHOLD, FOREIGN_CURRENCY, SAVINGS, BUSINESS
    }
}
