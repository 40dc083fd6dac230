package org.openfinq.server.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A request's JSON object, checked field by field against what the endpoint accepts. Checks run in a fixed
 * order: body is a JSON object without duplicate keys ({@code invalid_body}), no string PostgreSQL cannot store
 * (NUL, unpaired surrogates: {@code invalid_field} naming the field, for every field of every endpoint), no
 * unknown fields ({@code unknown_fields}), no missing required fields ({@code missing_fields}), then each
 * field's type and value ({@code invalid_field}). A JSON {@code null} counts as absent.
 */
public final class JsonBody {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final ObjectNode node;
    private final String path;

    private JsonBody(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static JsonBody parse(byte[] raw) {
        return parse(raw, null);
    }

    /**
     * {@link #parse(byte[])}, reusing {@code parsed} when an earlier step (the signature check) already read the
     * same bytes with {@link #tree(byte[])}: the body is parsed once per request.
     */
    public static JsonBody parse(byte[] raw, JsonNode parsed) {
        if (raw == null || raw.length == 0) {
            throw ApiException.invalidBody("The request body is empty; a JSON object is expected");
        }
        JsonNode tree;
        try {
            tree = parsed != null ? parsed : tree(raw);
        } catch (JacksonException e) {
            throw ApiException.invalidBody(notJson(e));
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.invalidBody("The request body must be a JSON object");
        }
        requireStorable(tree, "");
        return new JsonBody((ObjectNode) tree, "");
    }

    /** Where and (in plain words) why the body is not JSON; the parser's own message names Java types. */
    private static String notJson(JacksonException e) {
        String why;
        String original = String.valueOf(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException) {
            why = "it nests too deeply or holds a value that is too long";
        } else if (original.startsWith("Duplicate Object property")) {
            why = "a key appears twice in one object";
        } else if (original.startsWith("Trailing token")) {
            why = "there is more after the JSON value";
        } else if (original.contains("UTF-8") || original.contains("UTF8")) {
            why = "it is not valid UTF-8";
        } else if (original.contains("end-of-input") || original.startsWith("No content")) {
            why = "it ends too early";
        } else {
            why = "unexpected character or token";
        }
        var at = e.getLocation();
        return "The request body is not valid JSON: " + why
                + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }

    /** The JSON of a body, parsed strictly: a key given twice fails, so every reader sees the same value. */
    public static JsonNode tree(byte[] raw) {
        return MAPPER.readTree(raw);
    }

    private static void requireStorable(JsonNode node, String path) {
        if (node.isString()) {
            requireStorable(path, node.stringValue());
        } else if (node.isObject()) {
            for (var e : node.properties()) {
                String name = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                requireStorable(name, e.getKey());
                requireStorable(e.getValue(), name);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireStorable(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /**
     * Refuses text PostgreSQL cannot store: NUL characters and unpaired UTF-16 surrogates (not valid
     * Unicode, so not valid UTF-8 either). For values that come in other than as JSON (form fields, file names).
     */
    public static void requireStorable(String field, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw ApiException.invalidField(printable(field), "must not contain NUL characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.invalidField(printable(field), "must be valid Unicode (unpaired surrogate)");
            }
        }
    }

    private static String printable(String field) {
        StringBuilder out = new StringBuilder();
        field.codePoints().limit(100).forEach(cp -> {
            if (cp == 0 || Character.isSurrogate((char) cp) && cp < 0x10000) {
                out.append("\\u").append(String.format("%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /**
     * Accepts exactly these fields.
     *
     * @param required fields that must be present and not null
     * @param optional fields that may be present
     */
    public JsonBody expect(List<String> required, List<String> optional) {
        Set<String> unknown = new LinkedHashSet<>();
        for (String name : node.propertyNames()) {
            if (!required.contains(name) && !optional.contains(name)) {
                unknown.add(path + name);
            }
        }
        if (!unknown.isEmpty()) {
            if (path.isEmpty()) {
                throw ApiException.unknownFields(unknown);
            }
            throw ApiException.invalid("invalid_field", "Unknown fields: " + String.join(", ", unknown));
        }
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            if (!present(name)) {
                missing.add(path + name);
            }
        }
        if (!missing.isEmpty()) {
            if (path.isEmpty()) {
                throw ApiException.missingFields(missing);
            }
            throw ApiException.invalid("invalid_field", "Missing fields: " + String.join(", ", missing));
        }
        return this;
    }

    public boolean present(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** A required non-empty string. */
    public String text(String name) {
        return optText(name).orElseThrow(() -> ApiException.missingFields(List.of(path + name)));
    }

    public Optional<String> optText(String name) {
        if (!present(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isString()) {
            throw ApiException.invalidField(path + name, "must be a string");
        }
        String s = v.stringValue();
        if (s.isBlank()) {
            throw ApiException.invalidField(path + name, "must not be empty");
        }
        return Optional.of(s);
    }

    public Optional<Long> optLong(String name) {
        if (!present(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.invalidField(path + name, "must be an integer");
        }
        return Optional.of(v.longValue());
    }

    public Optional<Boolean> optBoolean(String name) {
        if (!present(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isBoolean()) {
            throw ApiException.invalidField(path + name, "must be true or false");
        }
        return Optional.of(v.booleanValue());
    }

    public Optional<BigDecimal> optDecimal(String name) {
        if (!present(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (v.isNumber()) {
            return Optional.of(v.decimalValue());
        }
        if (v.isString()) {
            try {
                return Optional.of(new BigDecimal(v.stringValue()));
            } catch (NumberFormatException e) {
                throw ApiException.invalidField(path + name, "must be a decimal number");
            }
        }
        throw ApiException.invalidField(path + name, "must be a decimal number");
    }

    /** A nested object, checked with the same rules; its field names are reported as {@code parent.field}. */
    public Optional<JsonBody> optObject(String name) {
        if (!present(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isObject()) {
            throw ApiException.invalidField(path + name, "must be an object");
        }
        return Optional.of(new JsonBody((ObjectNode) v, path + name + "."));
    }

    public JsonBody object(String name) {
        return optObject(name).orElseThrow(() -> ApiException.missingFields(List.of(path + name)));
    }

    /** A UUID-shaped string; {@code onBad} is thrown when it is not one. */
    /** The {@code client_id} of an admin path: a tenant's id, or 404 as for a tenant that does not exist. */
    public static UUID tenantId(String clientId) {
        return uuid(clientId, ApiException.notFound("No tenant with client_id " + clientId));
    }

    public static UUID uuid(String value, ApiException onBad) {
        try {
            UUID id = UUID.fromString(value);
            if (!id.toString().equalsIgnoreCase(value)) {
                throw onBad;
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw onBad;
        }
    }

    public ObjectNode node() {
        return node;
    }

    /** A JSON object as a plain map (for answers built from JSON). */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> toMap(ObjectNode node) {
        return MAPPER.convertValue(node, java.util.LinkedHashMap.class);
    }

    public static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }
}
