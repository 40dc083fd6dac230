package org.openfinq.sandboxbank.http;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Input checks that answer the NextGenPSD2 {@code FORMAT_ERROR} a bank gives. */
public final class Checks {

    private Checks() {
    }

    /** Every NextGenPSD2 call carries a UUID {@code X-Request-ID}. */
    public static void requestId(Exchange ex) {
        String id = ex.requiredHeader("X-Request-ID");
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw BankError.format("X-Request-ID must be a UUID");
        }
    }

    public static LocalDate date(String value, String field) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw BankError.format(field + " must be an ISO date (YYYY-MM-DD)");
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString() || v.stringValue().isBlank()) {
            throw BankError.format(field + " is missing or not a string");
        }
        return v.stringValue();
    }

    public static String iban(JsonNode accountReference, String field) {
        if (accountReference == null || !accountReference.isObject()) {
            throw BankError.format(field + " is missing");
        }
        String iban = text(accountReference, "iban");
        String problem = org.openfinq.connector.Iban.problem(iban);
        if (problem != null) {
            throw BankError.format(field + ".iban " + problem);
        }
        return iban;
    }

    /** Text a SEPA credit transfer carries: at most {@code max} characters of the SEPA character set. */
    public static String sepaText(String value, String field, int max) {
        if (value.length() > max) {
            throw BankError.format(field + " is longer than " + max + " characters");
        }
        String problem = org.openfinq.connector.SepaText.problem(value);
        if (problem != null) {
            throw BankError.format(field + " " + problem);
        }
        return value;
    }

    /** A NextGenPSD2 {@code amount} object with a positive amount of at most two decimals. */
    public static BigDecimal positiveAmount(JsonNode amount, String field) {
        if (amount == null || !amount.isObject()) {
            throw BankError.format(field + " is missing");
        }
        String currency = text(amount, "currency");
        if (!currency.matches("[A-Z]{3}")) {
            throw BankError.format(field + ".currency must be an ISO 4217 code");
        }
        try {
            BigDecimal v = new BigDecimal(text(amount, "amount"));
            if (v.signum() <= 0 || v.scale() > 2) {
                throw BankError.format(field + ".amount must be positive with at most two decimals");
            }
            return v;
        } catch (NumberFormatException e) {
            throw BankError.format(field + ".amount is not a number");
        }
    }

    /** Escapes text for HTML pages. */
    public static String html(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
