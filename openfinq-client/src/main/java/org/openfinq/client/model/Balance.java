package org.openfinq.client.model;

import java.math.BigDecimal;

/** An account balance; the amount is positive, {@code creditDebitIndicator} says its sign. */
public record Balance(String accountId, String id, String timestamp, Data data) {

    public record Data(BigDecimal amount, String creditDebitIndicator, Boolean creditLimitIncluded, Object creditLine, String currency,
                       String nativeDate, String nativeTimestamp, String type) {
    }
}
