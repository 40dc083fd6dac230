package org.openfinq.connector;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An exact amount with its ISO 4217 currency. Signed: negative is money leaving the account (debit).
 */
public record Money(BigDecimal amount, String currency) {
    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }
}
