package org.openfinq.connector.berlingroup.spec;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Berlin Group NextGenPSD2 1.3.9 OpenAPI file (test resource, unchanged) used as a validator of HTTP
 * exchanges. The file decides everything: which operation a method and path are, which parameters are required and
 * what their values must look like, which status codes, headers and bodies an answer may have. JSON bodies, parameter
 * values and header values are checked by networknt's json-schema-validator with its OpenAPI 3.0 dialect and format
 * assertions on; this class only finds the operation and hands the spec's own schemas over.
 * <p>
 * What it does not judge (OpenAPI 3.0.1 says these definitions are ignored or the file leaves them out):
 * {@code Accept}, {@code Content-Type} and {@code Authorization} as header parameters, and headers the file does not
 * name (implementers may add standard HTTP headers, says the file's introduction).
 */
public final class NextGenPsd2Spec {

    /** Where the file is on the test class path. */
    public static final String RESOURCE = "/berlin-group/psd2-api-1.3.9-2021-05-04.yaml";

    private static final String BASE = "https://spec.openfinq.invalid/psd2-api-1.3.9.yaml";
    private static final Pattern TEMPLATE_VAR = Pattern.compile("\\{([^}]+)}");

    /** One finding: the exchange, the part of the spec that says so, and what is wrong. */
    public record Violation(String call, String clause, String problem) {
        @Override
        public String toString() {
            return call + " | " + clause + " | " + problem;
        }
    }

    /** A node of the file together with its JSON pointer. */
    private record At(String pointer, JsonNode node) {
        At get(String field) {
            return new At(pointer + "/" + field.replace("~", "~0").replace("/", "~1"), node.path(field));
        }

        At get(int index) {
            return new At(pointer + "/" + index, node.path(index));
        }
    }

    private record Operation(String method, String template, Pattern regex, List<String> vars, At node, At pathItem,
                             int literals) {
        String id() {
            return node.node().path("operationId").asString(method + " " + template);
        }
    }

    private final JsonNode doc;
    private final SchemaRegistry registry;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private NextGenPsd2Spec(String yaml) {
        this.doc = YAMLMapper.builder().build().readTree(yaml);
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi30(), b -> b
                .schemas(Map.of(BASE, yaml))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        At paths = new At("#/paths", doc.path("paths"));
        for (String template : paths.node().propertyNames()) {
            At item = paths.get(template);
            for (String method : List.of("get", "put", "post", "delete", "patch")) {
                if (!item.node().has(method)) {
                    continue;
                }
                List<String> vars = new ArrayList<>();
                Matcher m = TEMPLATE_VAR.matcher(template);
                StringBuilder regex = new StringBuilder();
                int last = 0;
                while (m.find()) {
                    regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
                    vars.add(m.group(1));
                    last = m.end();
                }
                regex.append(Pattern.quote(template.substring(last)));
                int literals = (int) java.util.Arrays.stream(template.split("/")).filter(s -> !s.isEmpty() && !s.startsWith("{")).count();
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), template, Pattern.compile(regex.toString()),
                        vars, item.get(method), item, literals));
            }
        }
    }

    /** Loads the file from the test class path. */
    public static NextGenPsd2Spec load() {
        try (InputStream in = Objects.requireNonNull(NextGenPsd2Spec.class.getResourceAsStream(RESOURCE), RESOURCE)) {
            return new NextGenPsd2Spec(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many operations the file defines. */
    public int operationCount() {
        return operations.size();
    }

    /** The request as the bank receives it: method, raw path, raw query (or null), headers, body (or empty). */
    public List<Violation> validateRequest(String method, String rawPath, String rawQuery,
                                           Map<String, List<String>> headers, byte[] body) {
        String call = method + " " + rawPath;
        List<Violation> out = new ArrayList<>();
        Match match = operation(method, rawPath, call, out);
        if (match == null) {
            return out;
        }
        Operation op = match.op();
        String clause = match.clause();
        Map<String, String> query = query(rawQuery);
        for (At p : parameters(op)) {
            JsonNode def = p.node();
            String name = def.path("name").asString();
            String in = def.path("in").asString();
            boolean required = def.path("required").asBoolean(false);
            String value = switch (in) {
                case "path" -> match.pathValues().get(name);
                case "query" -> query.get(name);
                case "header" -> isIgnoredHeader(name) ? null : header(headers, name);
                default -> null;
            };
            String where = clause + " parameter " + name + " (in " + in + ")";
            if (value == null) {
                if (required && !(in.equals("header") && isIgnoredHeader(name))) {
                    out.add(new Violation(call, where, "required, but missing"));
                }
                continue;
            }
            check(p.get("schema"), scalar(resolve(p.get("schema")).node(), value), call, where, out);
        }
        At requestBody = op.node().node().has("requestBody") ? resolve(op.node().get("requestBody")) : null;
        boolean hasBody = body != null && body.length > 0;
        if (requestBody == null) {
            if (hasBody) {
                out.add(new Violation(call, clause + " requestBody", "the operation takes no body, but one was sent"));
            }
            return out;
        }
        if (!hasBody) {
            if (requestBody.node().path("required").asBoolean(false)) {
                out.add(new Violation(call, clause + " requestBody", "required, but no body was sent"));
            }
            return out;
        }
        body(requestBody, header(headers, "Content-Type"), body, call, clause + " requestBody", out);
        return out;
    }

    /** The answer to a request: its method and raw path, the status, headers and body (or empty). */
    public List<Violation> validateResponse(String method, String rawPath, int status, Map<String, List<String>> headers,
                                            byte[] body) {
        String call = method + " " + rawPath + " -> " + status;
        List<Violation> out = new ArrayList<>();
        Match match = operation(method, rawPath, call, out);
        if (match == null) {
            return out;
        }
        Operation op = match.op();
        String clause = match.clause();
        At responses = op.node().get("responses");
        String code = Integer.toString(status);
        if (!responses.node().has(code)) {
            code = responses.node().has(code.charAt(0) + "XX") ? code.charAt(0) + "XX" : "default";
        }
        if (!responses.node().has(code)) {
            out.add(new Violation(call, clause + " responses", "status " + status + " is not one of the operation's answers "
                    + responses.node().propertyNames()));
            return out;
        }
        At response = resolve(responses.get(code));
        String where = clause + " response " + code;
        At declared = response.get("headers");
        for (String name : declared.node().propertyNames()) {
            At h = resolve(declared.get(name));
            String value = header(headers, name);
            if (value == null) {
                if (h.node().path("required").asBoolean(false)) {
                    out.add(new Violation(call, where + " header " + name, "required, but missing"));
                }
                continue;
            }
            check(h.get("schema"), scalar(resolve(h.get("schema")).node(), value), call, where + " header " + name, out);
        }
        boolean hasBody = body != null && body.length > 0;
        if (!response.node().has("content")) {
            if (hasBody) {
                out.add(new Violation(call, where, "the answer has no body in the spec, but one was sent"));
            }
            return out;
        }
        if (!hasBody) {
            out.add(new Violation(call, where + " content", "a body is defined, but none was sent"));
            return out;
        }
        body(response, header(headers, "Content-Type"), body, call, where, out);
        return out;
    }

    private void body(At owner, String contentType, byte[] body, String call, String where, List<Violation> out) {
        At content = owner.get("content");
        String type = contentType == null ? null : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (type == null || !content.node().has(type)) {
            out.add(new Violation(call, where + " content", "Content-Type " + contentType + " is not one of "
                    + content.node().propertyNames()));
            return;
        }
        if (!type.endsWith("json")) {
            return;
        }
        JsonNode json;
        try {
            json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        } catch (JacksonException e) {
            out.add(new Violation(call, where + " content " + type, "the body is not JSON: " + e.getOriginalMessage()));
            return;
        }
        check(content.get(type).get("schema"), json, call, where + " content " + type, out);
    }

    private void check(At schemaAt, JsonNode value, String call, String where, List<Violation> out) {
        At target = refTarget(schemaAt);
        Schema schema = schemas.computeIfAbsent(target.pointer(), p -> registry.getSchema(SchemaLocation.of(BASE + p)));
        schema.validate(value).forEach(e -> out.add(new Violation(call, where + " schema " + target.pointer(), describe(e))));
    }

    /** Where in the value, which keyword of which schema, and the value itself (an enum's list is not repeated). */
    private static String describe(com.networknt.schema.Error e) {
        String value = e.getInstanceNode() == null ? "" : e.getInstanceNode().toString();
        if (value.length() > 120) {
            value = value.substring(0, 117) + "...";
        }
        String message = e.getKeyword().equals("enum") ? "not one of the values of " + e.getSchemaLocation().getFragment()
                : e.getMessage();
        return (e.getInstanceLocation().toString().isEmpty() ? "$" : e.getInstanceLocation().toString()) + " = " + value
                + ": " + message;
    }

    /** A schema reached through {@code $ref}s is given to the validator at its own place, so that its name shows. */
    private At refTarget(At at) {
        At cur = at;
        while (cur.node().has("$ref")) {
            cur = pointer(cur.node().get("$ref").asString());
        }
        return cur;
    }

    private At resolve(At at) {
        return refTarget(at);
    }

    private At pointer(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalStateException("only local references are expected in the file: " + ref);
        }
        At cur = new At("#", doc);
        for (String part : ref.substring(2).split("/")) {
            cur = cur.get(part.replace("~1", "/").replace("~0", "~"));
        }
        return cur;
    }

    private List<At> parameters(Operation op) {
        Map<String, At> byKey = new java.util.LinkedHashMap<>();
        for (At list : List.of(op.pathItem().get("parameters"), op.node().get("parameters"))) {
            for (int i = 0; i < list.node().size(); i++) {
                At p = resolve(list.get(i));
                byKey.put(p.node().path("in").asString() + ":" + p.node().path("name").asString().toLowerCase(Locale.ROOT), p);
            }
        }
        return List.copyOf(byKey.values());
    }

    private record Match(Operation op, Map<String, String> pathValues) {
        String clause() {
            return op.id() + " (" + op.method() + " " + op.template() + ")";
        }
    }

    /** The operation of a call, or null with a violation when the spec has none. */
    private Match operation(String method, String rawPath, String call, List<Violation> out) {
        Match match = match(method, rawPath);
        if (match == null) {
            out.add(new Violation(call, "paths", "no operation of the spec is " + method + " " + rawPath));
        }
        return match;
    }

    private Match match(String method, String rawPath) {
        Match best = null;
        for (Operation op : operations) {
            if (!op.method().equals(method)) {
                continue;
            }
            Matcher m = op.regex().matcher(rawPath);
            if (!m.matches() || (best != null && best.op().literals() >= op.literals())) {
                continue;
            }
            Map<String, String> values = new java.util.HashMap<>();
            for (int i = 0; i < op.vars().size(); i++) {
                values.put(op.vars().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
            }
            best = new Match(op, values);
        }
        return best;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new java.util.HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().getFirst();
            }
        }
        return null;
    }

    /** OpenAPI 3.0.1, Parameter Object: header parameters named Accept, Content-Type or Authorization are ignored. */
    private static boolean isIgnoredHeader(String name) {
        return name.equalsIgnoreCase("Accept") || name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Authorization");
    }

    /** A parameter or header value as the JSON value its schema's type asks for (a string when it cannot be one). */
    private JsonNode scalar(JsonNode schema, String value) {
        JsonNode s = schema;
        while (s.has("$ref")) {
            s = pointer(s.get("$ref").asString()).node();
        }
        String type = s.path("type").asString("string");
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            return switch (type) {
                case "boolean" -> value.equals("true") || value.equals("false") ? f.booleanNode(Boolean.parseBoolean(value)) : f.stringNode(value);
                case "integer" -> f.numberNode(Long.parseLong(value));
                case "number" -> f.numberNode(new java.math.BigDecimal(value));
                default -> f.stringNode(value);
            };
        } catch (NumberFormatException e) {
            return f.stringNode(value);
        }
    }
}
