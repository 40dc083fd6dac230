package org.openfinq.server.data;

import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The documented transaction filters, checked and turned into SQL conditions with their parameters. */
final class TransactionFilter {

    static final Map<String, String> OPERATORS = Map.of("eq", "=", "gte", ">=", "gt", ">", "lte", "<=", "lt", "<");
    static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of("account_id", "currency", "status", "credit_debit_indicator", "category"));
        for (String op : List.of("eq", "gte", "gt", "lte", "lt")) {
            keys.add(op);
            keys.add("booking_date_" + op);
            keys.add("timestamp_" + op);
        }
        KEYS = List.copyOf(keys);
    }

    final List<String> where = new ArrayList<>();
    final List<Object> params = new ArrayList<>();

    static TransactionFilter parse(Optional<JsonBody> filter) {
        TransactionFilter f = new TransactionFilter();
        if (filter.isEmpty()) {
            return f;
        }
        JsonBody b = filter.get().expect(List.of(), KEYS);
        b.optText("account_id").ifPresent(v -> f.add("t.account_id = ?",
                JsonBody.uuid(v, ApiException.invalidField("filter.account_id", "must be an account id (UUID)"))));
        b.optText("currency").ifPresent(v -> f.add("t.currency = ?", v.toUpperCase(java.util.Locale.ROOT)));
        b.optText("status").ifPresent(v -> f.add("t.status = ?", choice("filter.status", v, "booked", "pending")));
        b.optText("credit_debit_indicator").ifPresent(v -> f.add("t.credit_debit_indicator = ?",
                choice("filter.credit_debit_indicator", v, "debit", "credit")));
        b.optText("category").ifPresent(v -> f.add("t.category = ?", v));
        for (Map.Entry<String, String> op : OPERATORS.entrySet()) {
            JsonNode amount = b.node().get(op.getKey());
            if (amount != null && !amount.isNull()) {
                f.add("t.amount " + op.getValue() + " ?", decimal("filter." + op.getKey(), amount));
            }
            b.optText("booking_date_" + op.getKey()).ifPresent(v -> f.add("t.booking_date_time " + op.getValue() + " ?",
                    instant("filter.booking_date_" + op.getKey(), v)));
            // stored and shown in whole seconds, so compared in whole seconds
            b.optText("timestamp_" + op.getKey()).ifPresent(v -> f.add("t.changed_at " + op.getValue() + " date_trunc('second', ?::timestamptz)",
                    instant("filter.timestamp_" + op.getKey(), v)));
        }
        return f;
    }

    /** What the filter selects, the same on every node and after restarts, for binding a paging cursor to it. */
    String fingerprint() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < where.size(); i++) {
            Object p = params.get(i);
            parts.add(where.get(i) + "=" + (p instanceof Timestamp t ? t.toInstant().toString() : String.valueOf(p)));
        }
        parts.sort(null);
        return String.join(";", parts);
    }

    private void add(String condition, Object param) {
        where.add(condition);
        params.add(param);
    }

    static String choice(String field, String v, String... allowed) {
        if (!List.of(allowed).contains(v)) {
            throw ApiException.invalidField(field, "must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    static BigDecimal decimal(String field, JsonNode v) {
        try {
            if (v.isNumber()) {
                return new BigDecimal(v.asString());
            }
            if (v.isString()) {
                return new BigDecimal(v.stringValue());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalidField(field, "must be a decimal number");
    }

    /** A UTC date-time ({@code 2025-05-03T00:00:00Z}) or a date (midnight UTC). */
    static Timestamp instant(String field, String v) {
        try {
            return Timestamp.from(Instant.parse(v));
        } catch (DateTimeParseException notInstant) {
            try {
                return Timestamp.from(LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw ApiException.invalidField(field, "must be a UTC date-time such as 2025-05-03T00:00:00Z");
            }
        }
    }

}
