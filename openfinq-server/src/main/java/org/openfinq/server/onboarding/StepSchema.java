package org.openfinq.server.onboarding;

import org.openfinq.server.web.ApiException;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape of a step's {@code data}: its fields, which are required, and what each must look like. The
 * engine checks it before the step runs; each problem is an {@code invalid_field} naming {@code data.<field>}.
 */
public final class StepSchema {

    /** What a field holds. */
    public enum Kind {
        /** Any non-empty string. */
        TEXT,
        /** An absolute URI with a scheme other than javascript, data, file or vbscript (apps may use their own). */
        REDIRECT_URI,
        /** A positive decimal, as a string or a JSON number, with at most two decimals. */
        AMOUNT,
        /** A whole number, as a JSON number or a string of digits. */
        INTEGER,
        /** One of the listed values. */
        CHOICE,
        /** An e-mail address. */
        EMAIL,
        /** An ISO date (YYYY-MM-DD). */
        DATE,
        /** A phone number in E.164 form (+ and 8 to 15 digits). */
        PHONE,
        /** A JSON object, checked further by the step. */
        OBJECT,
        /** A JSON array, checked further by the step. */
        ARRAY
    }

    /** One field's rule. */
    public record Field(String name, Kind kind, boolean required, int maxLength, Set<String> choices, long min, long max) {
    }

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{7,14}");
    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "file", "vbscript");

    private final Map<String, Field> fields = new LinkedHashMap<>();

    public static StepSchema of(Field... fields) {
        StepSchema s = new StepSchema();
        for (Field f : fields) {
            s.fields.put(f.name(), f);
        }
        return s;
    }

    public static Field required(String name, Kind kind) {
        return new Field(name, kind, true, 200, Set.of(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public static Field optional(String name, Kind kind) {
        return new Field(name, kind, false, 200, Set.of(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public static Field choice(String name, boolean required, String... values) {
        return new Field(name, Kind.CHOICE, required, 200, Set.of(values), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public static Field range(String name, Kind kind, boolean required, long min, long max) {
        return new Field(name, kind, required, 200, Set.of(), min, max);
    }

    public static Field text(String name, boolean required, int maxLength) {
        return new Field(name, Kind.TEXT, required, maxLength, Set.of(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public Map<String, Field> fields() {
        return fields;
    }

    /** Checks {@code data} (a JSON object); throws {@code invalid_field} on the first problem. */
    public void validate(JsonNode data) {
        List<String> unknown = new ArrayList<>();
        data.propertyNames().forEach(n -> {
            if (!fields.containsKey(n)) {
                unknown.add("data." + n);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.invalid("invalid_field", "Unknown fields: " + String.join(", ", unknown));
        }
        for (Field f : fields.values()) {
            JsonNode v = data.get(f.name());
            if (v == null || v.isNull()) {
                if (f.required()) {
                    throw ApiException.invalidField("data." + f.name(), "is required");
                }
                continue;
            }
            check(f, v);
        }
    }

    private static void check(Field f, JsonNode v) {
        String name = "data." + f.name();
        switch (f.kind()) {
            case INTEGER -> {
                long n = integer(name, v);
                if (n < f.min() || n > f.max()) {
                    throw ApiException.invalidField(name, "must be between " + f.min() + " and " + f.max());
                }
            }
            case AMOUNT -> {
                BigDecimal d = amount(name, v);
                if (d.compareTo(BigDecimal.valueOf(f.min())) < 0 || d.compareTo(BigDecimal.valueOf(f.max())) > 0) {
                    throw ApiException.invalidField(name, "must be between " + f.min() + " and " + f.max());
                }
            }
            case OBJECT -> {
                if (!v.isObject()) {
                    throw ApiException.invalidField(name, "must be an object");
                }
            }
            case ARRAY -> {
                if (!v.isArray() || v.isEmpty()) {
                    throw ApiException.invalidField(name, "must be a non-empty array");
                }
            }
            default -> {
                String s = string(name, v, f.maxLength());
                switch (f.kind()) {
                    case CHOICE -> {
                        if (!f.choices().contains(s)) {
                            throw ApiException.invalidField(name, "must be one of " + String.join(", ", f.choices().stream().sorted().toList()));
                        }
                    }
                    case EMAIL -> {
                        if (!EMAIL.matcher(s).matches()) {
                            throw ApiException.invalidField(name, "is not an e-mail address");
                        }
                    }
                    case PHONE -> {
                        if (!PHONE.matcher(s).matches()) {
                            throw ApiException.invalidField(name, "must be an E.164 phone number, e.g. +40721234567");
                        }
                    }
                    case DATE -> date(name, s);
                    case REDIRECT_URI -> redirectUri(name, s);
                    default -> {
                    }
                }
            }
        }
    }

    static String string(String name, JsonNode v, int maxLength) {
        if (!v.isString()) {
            throw ApiException.invalidField(name, "must be a string");
        }
        String s = v.stringValue();
        if (s.isBlank()) {
            throw ApiException.invalidField(name, "must not be empty");
        }
        if (s.length() > maxLength) {
            throw ApiException.invalidField(name, "must be at most " + maxLength + " characters");
        }
        return s;
    }

    public static long integer(String name, JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isString() && v.stringValue().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(v.stringValue());
        }
        throw ApiException.invalidField(name, "must be a whole number");
    }

    public static BigDecimal amount(String name, JsonNode v) {
        BigDecimal d;
        try {
            d = v.isString() ? new BigDecimal(v.stringValue()) : v.isNumber() ? new BigDecimal(v.asString()) : null;
        } catch (NumberFormatException e) {
            d = null;
        }
        if (d == null) {
            throw ApiException.invalidField(name, "must be a decimal number, e.g. \"100.50\"");
        }
        if (d.signum() <= 0) {
            throw ApiException.invalidField(name, "must be positive");
        }
        if (d.stripTrailingZeros().scale() > 2) {
            throw ApiException.invalidField(name, "must have at most two decimals");
        }
        return d;
    }

    public static LocalDate date(String name, String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField(name, "must be a date (YYYY-MM-DD)");
        }
    }

    public static URI redirectUri(String name, String s) {
        try {
            URI uri = new URI(s);
            if (uri.getScheme() == null || FORBIDDEN_SCHEMES.contains(uri.getScheme().toLowerCase())) {
                throw ApiException.invalidField(name, "must be an absolute URI of your app (https://... or yourapp://...)");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw ApiException.invalidField(name, "is not a valid URI");
        }
    }
}
