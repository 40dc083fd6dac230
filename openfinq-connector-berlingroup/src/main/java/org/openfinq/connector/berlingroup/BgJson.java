package org.openfinq.connector.berlingroup;

import org.openfinq.connector.Account;
import org.openfinq.connector.Balance;
import org.openfinq.connector.BankException;
import org.openfinq.connector.Money;
import org.openfinq.connector.Transaction;
import org.openfinq.connector.TransactionPage;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

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
        return required(string(node, field), context + "." + field);
    }

    /** A field's string value; null when the node or field is absent or the value is not a string. */
    private static String string(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isString() ? v.stringValue() : null;
    }

    /** A value the answer must carry: not null, not blank. */
    private String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw invalid(what);
        }
        return value;
    }

    static String optional(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    Money money(JsonNode amount, String context) {
        return money(string(amount, "amount"), string(amount, "currency"), context);
    }

    /** An amount and its currency, both required, the amount a decimal number. */
    private Money money(String amount, String currency, String context) {
        String value = required(amount, context + ".amount");
        String code = required(currency, context + ".currency");
        try {
            return new Money(new BigDecimal(value), code);
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

    /**
     * One page of {@code GET /v1/accounts/{id}/transactions}, read token by token: a page of a thousand rows is
     * parsed without building its JSON tree. Booked rows come first, then pending ones, as in the report. The next
     * page is the report's {@code _links.next}, else the answer's.
     */
    TransactionPage transactionPage(JsonParser p) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw invalid("transactions");
        }
        boolean report = false;
        List<Transaction> booked = List.of();
        List<Transaction> pending = List.of();
        String reportNext = null;
        String answerNext = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("transactions")) {
                if (value != JsonToken.START_OBJECT) {
                    throw invalid("transactions");
                }
                // a key given twice counts once, its last value, as in a JSON tree
                report = true;
                booked = List.of();
                pending = List.of();
                reportNext = null;
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (field) {
                        case "booked" -> booked = transactions(p, v, Transaction.BookingStatus.BOOKED, "transactions.booked");
                        case "pending" -> pending = transactions(p, v, Transaction.BookingStatus.PENDING, "transactions.pending");
                        case "_links" -> reportNext = nextHref(p, v);
                        default -> p.skipChildren();
                    }
                }
            } else if (name.equals("_links")) {
                answerNext = nextHref(p, value);
            } else {
                p.skipChildren();
            }
        }
        if (!report) {
            throw invalid("transactions");
        }
        if (p.nextToken() != null) {
            throw invalid("transactions as one JSON object (more follows it)");
        }
        String next = reportNext != null ? reportNext : answerNext;
        if (next == NOT_TEXT) {
            throw invalid("_links.next.href as text");
        }
        List<Transaction> all = new ArrayList<>(booked.size() + pending.size());
        all.addAll(booked);
        all.addAll(pending);
        return new TransactionPage(all, next);
    }

    private List<Transaction> transactions(JsonParser p, JsonToken token, Transaction.BookingStatus status, String context) {
        if (token == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (token != JsonToken.START_ARRAY) {
            throw invalid(context + " as an array");
        }
        List<Transaction> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw invalid(context + " entries as objects");
            }
            out.add(transaction(p, status));
        }
        return out;
    }

    /** An href that is an object or array: an error only if it is the link the next page would follow. */
    private static final String NOT_TEXT = new String("not text");

    /** {@code _links.next.href}, null when there is none, {@link #NOT_TEXT} when it is not a scalar. */
    private String nextHref(JsonParser p, JsonToken token) {
        String href = null;
        if (token != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!name.equals("next")) {
                p.skipChildren();
                continue;
            }
            href = null; // the last "next" counts
            if (v != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken hv = p.nextToken();
                if (!field.equals("href")) {
                    p.skipChildren();
                } else if (hv.isStructStart()) {
                    p.skipChildren();
                    href = NOT_TEXT;
                } else {
                    href = hv == JsonToken.VALUE_NULL ? null : p.getString();
                }
            }
        }
        return href;
    }

    /** One transaction object (the parser is on its START_OBJECT): the fields and checks of the tree reader it replaced. */
    private Transaction transaction(JsonParser p, Transaction.BookingStatus status) {
        String id = null, entry = null, endToEnd = null, bookingDate = null, valueDate = null;
        String creditorName = null, creditorIban = null, debtorName = null, debtorIban = null;
        String remittance = null, purpose = null, code = null, proprietary = null;
        String remittanceLines = null;
        String[] amount = null;
        String[] after = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "transactionId" -> id = text(p, v, "transaction.transactionId");
                case "entryReference" -> entry = text(p, v, "transaction.entryReference");
                case "endToEndId" -> endToEnd = text(p, v, "transaction.endToEndId");
                case "bookingDate" -> bookingDate = text(p, v, "transaction.bookingDate");
                case "valueDate" -> valueDate = text(p, v, "transaction.valueDate");
                case "transactionAmount" -> amount = amount(p, v);
                case "creditorName" -> creditorName = text(p, v, "transaction.creditorName");
                case "creditorAccount" -> creditorIban = iban(p, v);
                case "debtorName" -> debtorName = text(p, v, "transaction.debtorName");
                case "debtorAccount" -> debtorIban = iban(p, v);
                case "remittanceInformationUnstructured" -> remittance = text(p, v, "transaction.remittanceInformationUnstructured");
                case "remittanceInformationUnstructuredArray" -> remittanceLines = lines(p, v);
                case "purposeCode" -> purpose = text(p, v, "transaction.purposeCode");
                case "bankTransactionCode" -> code = text(p, v, "transaction.bankTransactionCode");
                case "proprietaryBankTransactionCode" -> proprietary = text(p, v, "transaction.proprietaryBankTransactionCode");
                case "balanceAfterTransaction" -> after = balanceAfter(p, v);
                default -> p.skipChildren();
            }
        }
        if (remittance == null) {
            remittance = remittanceLines;
        }
        return new Transaction(id, entry, endToEnd, status, date(bookingDate, "transaction.bookingDate"),
                date(valueDate, "transaction.valueDate"), money(amount, "transaction.transactionAmount"),
                creditorName, creditorIban, debtorName, debtorIban, remittance, purpose, code, proprietary,
                after == null ? null : money(after, "transaction.balanceAfterTransaction"));
    }

    /** A scalar as text (a number or boolean as written), null for JSON null; an object or array is the bank's mistake. */
    private String text(JsonParser p, JsonToken token, String context) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isStructStart()) {
            throw invalid(context + " as text");
        }
        return p.getString();
    }

    /** {@code {amount, currency}} as two strings (either null when absent or not a string); null when not an object. */
    private String[] amount(JsonParser p, JsonToken token) {
        if (token != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String[] out = new String[2];
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("amount") || name.equals("currency")) {
                out[name.equals("amount") ? 0 : 1] = v == JsonToken.VALUE_STRING ? p.getString() : null;
            }
            p.skipChildren();
        }
        return out;
    }

    /** {@code balanceAfterTransaction.balanceAmount}, or null when there is none. */
    private String[] balanceAfter(JsonParser p, JsonToken token) {
        if (token != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String[] out = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("balanceAmount")) {
                // present but not an amount object is an invalid amount, as when its fields are missing
                out = v == JsonToken.VALUE_NULL ? null : v == JsonToken.START_OBJECT ? amount(p, v) : skipAsEmpty(p);
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static String[] skipAsEmpty(JsonParser p) {
        p.skipChildren();
        return new String[2];
    }

    /** {@code {iban}} of a counterparty account, or null. */
    private String iban(JsonParser p, JsonToken token) {
        if (token != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String iban = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("iban")) {
                iban = text(p, v, "transaction account iban");
            } else {
                p.skipChildren();
            }
        }
        return iban;
    }

    /**
     * {@code remittanceInformationUnstructuredArray} as one text: the lines joined by a space, a null line counted as
     * empty, no space before the first non-empty text (how the reader always joined them: the text is part of a
     * utx_id when the bank gives no reference); null when the array is empty or not an array.
     */
    private String lines(JsonParser p, JsonToken token) {
        if (token != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        StringBuilder text = new StringBuilder();
        boolean any = false;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken().isStructStart()) {
                throw invalid("transaction.remittanceInformationUnstructuredArray entries as text");
            }
            any = true;
            text.append(text.isEmpty() ? "" : " ").append(p.currentToken() == JsonToken.VALUE_NULL ? "" : p.getString());
        }
        return any ? text.toString() : null;
    }

    /** An amount read by {@link #amount(JsonParser, JsonToken)}: both fields required, the amount a decimal number. */
    private Money money(String[] amount, String context) {
        return money(amount == null ? null : amount[0], amount == null ? null : amount[1], context);
    }

    private LocalDate date(String value, String context) {
        if (value == null) {
            return null;
        }
        LocalDate plain = plainIsoDate(value);
        if (plain != null) {
            return plain;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(context + " as an ISO date");
        }
    }

    /**
     * A date written {@code yyyy-MM-dd} with ASCII digits (what banks send), read without the general ISO parser that
     * was a quarter of a transactions page's reading; null for anything else, which {@link LocalDate#parse} then reads
     * or refuses as before (other forms, such as {@code +12026-01-01}, and impossible dates such as February 30).
     */
    private static LocalDate plainIsoDate(String v) {
        if (v.length() != 10 || v.charAt(4) != '-' || v.charAt(7) != '-') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 7);
        int day = digits(v, 8, 10);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        return LocalDate.of(year, month, day);
    }

    /** The number written in ASCII digits in {@code v[from, to)}, or -1 if any character there is not one. */
    private static int digits(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
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
