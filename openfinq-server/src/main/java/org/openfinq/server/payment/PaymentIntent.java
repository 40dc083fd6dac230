package org.openfinq.server.payment;

import org.openfinq.connector.Iban;
import org.openfinq.connector.SepaText;
import org.openfinq.connector.Money;
import org.openfinq.server.web.ApiException;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.List;
import java.util.Set;

/**
 * The {@code data} of a {@code payment_intent} step, in ISO 20022 pain.001 terms, fully checked. Every problem
 * is an {@code invalid_field} naming the field's path, e.g.
 * {@code data.payment_info[0].credit_transfer_transaction_info[0].instructed_amount.amount}.
 *
 * @param transfer the one credit transfer (single payments only)
 */
public record PaymentIntent(String psuRedirectLink, String psuId, String paymentInfoId, String debtorIban,
                            LocalDate requestedExecutionDate, Transfer transfer) {

    /** One credit transfer. */
    public record Transfer(String endToEndId, Money amount, String creditorName, String creditorIban, String remittance) {
    }

    static final Set<String> TOP = Set.of("psu_redirect_link", "psu_id", "group_header", "payment_info", "payment_product");
    static final Set<String> GROUP = Set.of("message_id", "txs_no");
    static final Set<String> INFO = Set.of("payment_info_id", "debtor_account", "requested_execution_date", "credit_transfer_transaction_info");
    static final Set<String> TRANSFER = Set.of("end_to_end_id", "instructed_amount", "creditor_name", "creditor_account",
            "remittance_information_unstructured");
    static final Set<String> AMOUNT = Set.of("amount", "currency");
    static final Set<String> ACCOUNT = Set.of("iban");

    /** Reads data already known to have the top-level fields (the step schema checked them). */
    public static PaymentIntent read(JsonNode data, LocalDate today) {
        only(data, TOP, "data");
        JsonNode group = data.get("group_header");
        JsonNode infos = data.get("payment_info");
        if (infos.size() != 1) {
            throw ApiException.invalidField("data.payment_info", "must hold exactly one element: this skill makes single payments");
        }
        String p = "data.payment_info[0]";
        JsonNode info = object(infos.get(0), p);
        only(info, INFO, p);
        String infoId = text(info, "payment_info_id", p, 35, false);
        String debtor = iban(info.get("debtor_account"), p + ".debtor_account");
        LocalDate execution = null;
        if (present(info, "requested_execution_date")) {
            execution = date(info.get("requested_execution_date"), p + ".requested_execution_date");
            if (execution.isBefore(today) || execution.isAfter(today.plusYears(1))) {
                throw ApiException.invalidField(p + ".requested_execution_date", "must be between today and a year from now");
            }
        }
        JsonNode transfers = info.get("credit_transfer_transaction_info");
        if (transfers == null || transfers.isNull()) {
            throw ApiException.invalidField(p + ".credit_transfer_transaction_info", "is required");
        }
        if (!transfers.isArray() || transfers.size() != 1) {
            throw ApiException.invalidField(p + ".credit_transfer_transaction_info", "must hold exactly one credit transfer");
        }
        String t = p + ".credit_transfer_transaction_info[0]";
        JsonNode tx = object(transfers.get(0), t);
        only(tx, TRANSFER, t);
        String e2e = text(tx, "end_to_end_id", t, 35, false);
        Money amount = amount(tx.get("instructed_amount"), t + ".instructed_amount");
        String creditorName = text(tx, "creditor_name", t, 70, true);
        String creditor = iban(tx.get("creditor_account"), t + ".creditor_account");
        if (creditor.equals(debtor)) {
            throw ApiException.invalidField(t + ".creditor_account.iban", "must differ from the debtor account");
        }
        String remittance = text(tx, "remittance_information_unstructured", t, 140, false);
        if (group != null && !group.isNull()) {
            only(group, GROUP, "data.group_header");
            text(group, "message_id", "data.group_header", 35, false);
            JsonNode n = group.get("txs_no");
            if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.intValue() != 1)) {
                throw ApiException.invalidField("data.group_header.txs_no", "must be the number of credit transfers (1)");
            }
        }
        return new PaymentIntent(data.get("psu_redirect_link").asString(), data.path("psu_id").asString(null), infoId, debtor,
                execution, new Transfer(e2e, amount, creditorName, creditor, remittance));
    }

    private static boolean present(JsonNode n, String f) {
        return n.get(f) != null && !n.get(f).isNull();
    }

    private static void only(JsonNode node, Set<String> allowed, String path) {
        List<String> unknown = node.propertyNames().stream().filter(k -> !allowed.contains(k)).map(k -> path + "." + k).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.invalid("invalid_field", "Unknown fields: " + String.join(", ", unknown));
        }
    }

    private static JsonNode object(JsonNode n, String path) {
        if (n == null || n.isNull()) {
            throw ApiException.invalidField(path, "is required");
        }
        if (!n.isObject()) {
            throw ApiException.invalidField(path, "must be an object");
        }
        return n;
    }

    private static String text(JsonNode parent, String field, String path, int max, boolean required) {
        JsonNode v = parent.get(field);
        String name = path + "." + field;
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.invalidField(name, "is required");
            }
            return null;
        }
        if (!v.isString() || v.stringValue().isBlank()) {
            throw ApiException.invalidField(name, "must be a non-empty string");
        }
        String s = v.stringValue();
        if (s.length() > max) {
            throw ApiException.invalidField(name, "must be at most " + max + " characters");
        }
        String sepa = SepaText.problem(s);
        if (sepa != null) {
            throw ApiException.invalidField(name, sepa);
        }
        return s;
    }

    private static String iban(JsonNode account, String path) {
        JsonNode a = object(account, path);
        only(a, ACCOUNT, path);
        JsonNode v = a.get("iban");
        if (v == null || v.isNull()) {
            throw ApiException.invalidField(path + ".iban", "is required");
        }
        String iban = v.isString() ? v.stringValue().replace(" ", "").toUpperCase(java.util.Locale.ROOT) : null;
        String problem = Iban.problem(iban);
        if (problem != null) {
            throw ApiException.invalidField(path + ".iban", problem);
        }
        return iban;
    }

    private static Money amount(JsonNode amount, String path) {
        JsonNode a = object(amount, path);
        only(a, AMOUNT, path);
        JsonNode c = a.get("currency");
        if (c == null || !c.isString()) {
            throw ApiException.invalidField(path + ".currency", "is required (ISO 4217, e.g. EUR)");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(c.stringValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField(path + ".currency", "is not an ISO 4217 currency code");
        }
        JsonNode v = a.get("amount");
        if (v == null || v.isNull()) {
            throw ApiException.invalidField(path + ".amount", "is required");
        }
        if (!v.isString()) {
            throw ApiException.invalidField(path + ".amount", "must be a decimal string, e.g. \"12.50\" (never a float)");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(v.stringValue());
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(path + ".amount", "is not a decimal number");
        }
        if (value.signum() <= 0) {
            throw ApiException.invalidField(path + ".amount", "must be positive");
        }
        if (value.scale() > currency.getDefaultFractionDigits()) {
            throw ApiException.invalidField(path + ".amount", currency.getCurrencyCode() + " has "
                    + currency.getDefaultFractionDigits() + " decimals");
        }
        if (value.compareTo(new BigDecimal("999999999.99")) > 0) {
            throw ApiException.invalidField(path + ".amount", "is too large");
        }
        return new Money(value, currency.getCurrencyCode());
    }

    private static LocalDate date(JsonNode v, String path) {
        try {
            return LocalDate.parse(v.asString());
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField(path, "must be a date (YYYY-MM-DD)");
        }
    }
}
