package org.openfinq.client.model;

import java.math.BigDecimal;
import java.util.Map;

/** A transaction; upsert by {@code utxId}. Amounts are exact decimals. */
public record Transaction(String accountId, String timestamp, String id, String utxId, Data data) {

    public record Data(BigDecimal amount, BigDecimal balance, String bookingDateTime, String creditDebitIndicator, String currency,
                       String info, String status, Map<String, Object> details, Object exchangeRate) {
    }
}
