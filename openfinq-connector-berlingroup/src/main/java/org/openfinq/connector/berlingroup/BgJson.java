package org.openfinq.connector.berlingroup;

import org.openfinq.connector.Account;
import org.openfinq.connector.Balance;
import org.openfinq.connector.BankException;
import org.openfinq.connector.Money;
import org.openfinq.connector.Transaction;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads NextGenPSD2 JSON into SPI values; a missing required field is the bank's fault. */
final class BgJson {

    private final String bank;

    BgJson(String bank) {
        this.bank = bank;
    }

    BankException.InvalidResponse invalid(String what) {
        return new BankException.InvalidResponse(bank + ": the answer lacks " + what, 200, null);
    }

    String required(JsonNode node, String field, String context) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isString() || v.stringValue().isBlank()) {
            throw invalid(context + "." + field);
        }
        return v.stringValue();
    }

    static String optional(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    Money money(JsonNode amount, String context) {
        String value = required(amount, "amount", context);
        String currency = required(amount, "currency", context);
        try {
            return new Money(new BigDecimal(value), currency);
        } catch (NumberFormatException e) {
            throw invalid(context + ".amount as a number");
        }
    }

    Account account(JsonNode a) {
        return new Account(required(a, "resourceId", "account"), optional(a, "iban"), optional(a, "bic"),
                required(a, "currency", "account"), optional(a, "name"), optional(a, "product"),
                optional(a, "cashAccountType"), optional(a, "ownerName"));
    }

    Balance balance(JsonNode b) {
        Money amount = money(b.get("balanceAmount"), "balance.balanceAmount");
        JsonNode credit = b.get("creditLimitIncluded");
        return new Balance(required(b, "balanceType", "balance"), amount,
                credit == null || credit.isNull() ? null : credit.asBoolean(),
                date(optional(b, "referenceDate"), "balance.referenceDate"),
                instant(optional(b, "lastChangeDateTime"), "balance.lastChangeDateTime"));
    }

    Transaction transaction(JsonNode t, Transaction.BookingStatus status) {
        Money amount = money(t.get("transactionAmount"), "transaction.transactionAmount");
        JsonNode after = t.path("balanceAfterTransaction").get("balanceAmount");
        return new Transaction(optional(t, "transactionId"), optional(t, "entryReference"), optional(t, "endToEndId"),
                status, date(optional(t, "bookingDate"), "transaction.bookingDate"),
                date(optional(t, "valueDate"), "transaction.valueDate"), amount,
                optional(t, "creditorName"), optional(t.get("creditorAccount"), "iban"),
                optional(t, "debtorName"), optional(t.get("debtorAccount"), "iban"),
                remittance(t), optional(t, "purposeCode"), optional(t, "bankTransactionCode"),
                optional(t, "proprietaryBankTransactionCode"),
                after == null || after.isNull() ? null : money(after, "transaction.balanceAfterTransaction"));
    }

    private static String remittance(JsonNode t) {
        String single = optional(t, "remittanceInformationUnstructured");
        if (single != null) {
            return single;
        }
        JsonNode array = t.get("remittanceInformationUnstructuredArray");
        if (array != null && array.isArray() && !array.isEmpty()) {
            StringBuilder s = new StringBuilder();
            array.forEach(n -> s.append(s.isEmpty() ? "" : " ").append(n.asString()));
            return s.toString();
        }
        return null;
    }

    private LocalDate date(String value, String context) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(context + " as an ISO date");
        }
    }

    private Instant instant(String value, String context) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(context + " as an ISO date-time");
        }
    }
}
