package org.openfinq.server.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded, bounded fuzzer over every operation of the served {@code /openapi.json}: bodies built from each
 * operation's schema with real credentials (so requests get past authentication into the endpoints), then
 * mutated — wrong types, missing and extra fields, huge and deeply nested values, NUL, unpaired surrogates
 * and invalid UTF-8, duplicate keys, non-objects, wrong content types, odd methods, mutated path parameters,
 * long URLs and headers, garbage and malicious JWS, malformed multipart. Every answer must be below 500, every
 * error the JSON error object, and no answer may show a stack trace or a Java class name.
 */
class OpenApiFuzzTest {

    static final long SEED = 20261130L;
    static final int PER_OPERATION = 70;
    static final String SIGNER = "fuzz@tenant-project.iam.gserviceaccount.com";

    static TestDatabase db;
    static TestServer server;
    static Tenants.Creds tenant;
    static Tenants.Creds target;
    static TestSigner signer;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        server = TestServer.start(db);
        tenant = Tenants.create(server.api(), "fuzzed", Flows.AIS, Flows.PIS, Flows.LOAN);
        target = Tenants.create(server.api(), "admin-target", Flows.AIS);
        signer = TestSigner.register(server.api(), tenant, SIGNER);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    record Operation(String method, String path, JsonNode schema, boolean multipart) {
    }

    record Request(String method, String target, List<String> headers, byte[] body, String kind) {
    }

    @Test
    void noServerErrorNoHtmlNoLeakForAnyInput() throws Exception {
        JsonNode doc = server.api().send("GET", "/openapi.json", Map.of(), null).json();
        List<Operation> ops = operations(doc);
        assertThat(ops).hasSizeGreaterThan(30);
        Random random = new Random(SEED);
        RawHttp http = new RawHttp(server);

        List<Request> requests = new ArrayList<>();
        for (Operation op : ops) {
            for (int i = 0; i < PER_OPERATION; i++) {
                requests.add(mutate(op, doc, random, i));
            }
        }
        requests.addAll(global(random));

        long start = System.nanoTime();
        int fiveHundreds = 0;
        int nonJson = 0;
        int leaks = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Request req : requests) {
            RawHttp.Response r = http.exchange(raw(req));
            statuses.merge(r.status(), 1, Integer::sum);
            kinds.merge(req.kind(), 1, Integer::sum);
            String where = req.kind() + " " + req.method() + " " + abbreviate(req.target()) + " -> " + r.status() + " " + abbreviate(r.text());
            if (r.status() >= 500 || r.status() < 100) {
                fiveHundreds++;
                failures.add("5xx/no answer: " + where);
            } else if (req.method().equals("HEAD")) {
                if (r.status() >= 400 && !r.isJson()) {
                    nonJson++;
                    failures.add("HEAD error that is not JSON: " + where);
                }
            } else if (r.status() >= 400 && r.error() == null && !(req.target().startsWith("/api/v2/") && r.gocardlessError() != null)) {
                // the GoCardless bridge answers in that protocol's own shape; refusals before routing keep ours
                nonJson++;
                failures.add("not the error object: " + where);
            } else if (r.status() == 200 && r.body().length > 0 && !r.isJson()
                    && !(req.target().equals("/") && r.text().startsWith("<!doctype html>"))) { // the index page is HTML
                nonJson++;
                failures.add("200 that is not JSON: " + where);
            }
            if (RawHttp.LEAK.matcher(r.text()).find()) {
                leaks++;
                failures.add("leak: " + where);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("openapi fuzzer: seed=%d operations=%d requests=%d 5xx=%d non-json-errors=%d leaks=%d "
                        + "time=%dms statuses=%s kinds=%s%n", SEED, ops.size(), requests.size(), fiveHundreds, nonJson, leaks,
                millis, statuses, kinds);
        assertThat(failures).as("failures (first 30)").hasSizeLessThanOrEqualTo(0)
                .withFailMessage(() -> String.join("\n", failures.subList(0, Math.min(30, failures.size()))));
        assertThat(statuses.keySet()).as("the fuzzer got past authentication and validation at times").contains(200);
        assertThat(requests.size()).as("requests for %d operations", ops.size()).isBetween(2000, 12000);
    }

    static List<Operation> operations(JsonNode doc) {
        List<Operation> ops = new ArrayList<>();
        for (var path : doc.path("paths").properties()) {
            for (var op : path.getValue().properties()) {
                JsonNode content = op.getValue().path("requestBody").path("content");
                boolean multipart = content.has("multipart/form-data");
                JsonNode schema = resolve(doc, multipart ? content.path("multipart/form-data").path("schema")
                        : content.path("application/json").path("schema"));
                ops.add(new Operation(op.getKey().toUpperCase(), path.getKey(), schema, multipart));
            }
        }
        return ops;
    }

    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        if (schema != null && schema.has("$ref")) {
            String name = schema.path("$ref").asString().replace("#/components/schemas/", "");
            return doc.path("components").path("schemas").path(name);
        }
        return schema;
    }

    /** A plausible body for the schema, with the fuzzed tenant's real credentials where they are asked for. */
    static JsonNode sample(JsonNode doc, JsonNode schema, String name, int depth) {
        schema = resolve(doc, schema);
        if (schema == null || schema.isMissingNode() || depth > 4) {
            return Api.JSON.getNodeFactory().stringNode("x");
        }
        String type = schema.path("type").asString("object");
        if (schema.has("properties") || type.equals("object")) {
            ObjectNode o = Api.JSON.createObjectNode();
            for (var p : schema.path("properties").properties()) {
                o.set(p.getKey(), sample(doc, p.getValue(), p.getKey(), depth + 1));
            }
            return o;
        }
        if (schema.has("enum")) {
            return schema.path("enum").get(0);
        }
        return switch (type) {
            case "integer" -> Api.JSON.getNodeFactory().numberNode(1);
            case "number" -> Api.JSON.getNodeFactory().numberNode(12.5);
            case "boolean" -> Api.JSON.getNodeFactory().booleanNode(true);
            case "array" -> Api.JSON.createArrayNode().add(sample(doc, schema.path("items"), name, depth + 1));
            default -> Api.JSON.getNodeFactory().stringNode(switch (name) {
                case "client_id" -> tenant.clientId();
                case "client_secret" -> tenant.clientSecret();
                case "client_app_key" -> tenant.clientAppKey();
                case "skill", "skill_name" -> Flows.AIS;
                case "tenant_user_id" -> "user-1";
                case "name" -> "fuzzed name";
                case "identity" -> "someone@tenant-project.iam.gserviceaccount.com";
                default -> "x";
            });
        };
    }

    static final String[] ODD_VALUES_JSON = {"null", "true", "-1", "1e400", "99999999999999999999999", "[]", "{}",
            "\"\"", "\"   \"", "[1,[2,[3]]]", "{\"a\":{\"b\":null}}", "0.0000001", "\"2026-13-45\"", "\"ｆｕｌｌ\""};

    static Request mutate(Operation op, JsonNode doc, Random random, int i) throws Exception {
        String path = fillPath(op.path(), random, i % 10 == 9);
        List<String> headers = new ArrayList<>();
        if (op.path().startsWith("/admin")) {
            headers.add("Authorization: Bearer " + (random.nextInt(10) == 0 ? "wrong" : TestServer.ADMIN_TOKEN));
        }
        String method = op.method();
        if (op.multipart()) {
            return multipart(op, method, path, headers, random, i);
        }
        if (method.equals("GET") || method.equals("DELETE")) {
            String kind = "no-body";
            if (i % 7 == 3) {
                path += "?q=%00&x=%FF%FE&" + "y".repeat(random.nextInt(3000)) + "=1";
                kind = "query";
            }
            if (i % 11 == 5) {
                method = pick(random, "TRACE", "OPTIONS", "PROPFIND", "FOO", "get", "PATCH", "PUT");
                kind = "odd-method";
            }
            byte[] body = i % 13 == 4 ? "{\"a\":\u0000}".getBytes(StandardCharsets.UTF_8) : null;
            if (body != null) {
                headers.add("Content-Type: application/json");
                kind = "body-on-" + method;
            }
            return new Request(method, path, headers, body, kind);
        }
        JsonNode base = sample(doc, op.schema(), "", 0);
        ObjectNode obj = base.isObject() ? (ObjectNode) base.deepCopy() : Api.JSON.createObjectNode();
        List<String> fields = new ArrayList<>();
        obj.propertyNames().forEach(fields::add);
        String field = fields.isEmpty() ? "client_id" : fields.get(random.nextInt(fields.size()));
        String kind;
        byte[] body;
        String contentType = "application/json";
        switch (i % 20) {
            case 0 -> {
                kind = "valid";
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 1 -> {
                kind = "missing-field";
                obj.remove(field);
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 2 -> {
                kind = "extra-field";
                obj.put("zz_extra_" + random.nextInt(100), "v");
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 3, 4 -> {
                kind = "wrong-type";
                obj.set(field, Api.JSON.readTree(ODD_VALUES_JSON[random.nextInt(ODD_VALUES_JSON.length)]));
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 5, 6 -> {
                kind = "nul";
                String victim = nestedStringField(obj, random);
                body = replaceValue(obj, victim, "\"a\\u0000b\"");
            }
            case 7 -> {
                kind = "surrogate";
                body = replaceValue(obj, nestedStringField(obj, random), "\"x\\ud800y\"");
            }
            case 8 -> {
                kind = "invalid-utf8";
                byte[] json = Api.JSON.writeValueAsBytes(obj);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int at = Math.max(1, indexOfQuote(json, random));
                out.write(json, 0, at);
                out.writeBytes(new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
                out.write(json, at, json.length - at);
                body = out.toByteArray();
            }
            case 9 -> {
                kind = "huge-value";
                obj.put(field, "h".repeat(100_000 + random.nextInt(1_100_000)));
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 10 -> {
                kind = "deep-value";
                int depth = 200 + random.nextInt(5000);
                body = replaceValue(obj, field, "[".repeat(depth) + "]".repeat(depth));
            }
            case 11 -> {
                kind = "duplicate-key";
                String json = Api.JSON.writeValueAsString(obj);
                body = ("{\"client_id\":\"" + tenant.clientId() + "\"," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
            }
            case 12 -> {
                kind = "not-an-object";
                body = pick(random, "[]", "1", "\"s\"", "null", "", "{", "{\"a\":", "{}", "{\"a\" 1}", "\uFEFF{}", "{}{}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 13 -> {
                kind = "content-type";
                contentType = pick(random, "text/plain", "application/xml", "application/json; charset=ISO-8859-1",
                        "multipart/form-data; boundary=zz", "multipart/form-data", "application/x-www-form-urlencoded",
                        "application/json; charset=\u0001", "", "*/*", "application/json;;;");
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 14 -> {
                kind = "odd-method";
                method = pick(random, "TRACE", "OPTIONS", "PROPFIND", "FOO", "post", "GET", "DELETE", "PUT", "PATCH", "HEAD");
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 15 -> {
                kind = "long-header";
                headers.add("X-Pad: " + "p".repeat(4000 + random.nextInt(12000)));
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 16 -> {
                kind = "long-url";
                path += "?" + "u".repeat(4000 + random.nextInt(12000));
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 17 -> {
                kind = "weird-header";
                headers.add(pick(random, "Idempotency-Key: " + "k".repeat(3000), "Idempotency-Key: \u00e9\u00ff",
                        "Idempotency-Key: a\u0001b", "Content-Length: 1", "Transfer-Encoding: gzip", "Expect: 100-continue-x",
                        "X-Forwarded-For: \u0000", "Authorization: Basic \u00ff\u00fe", "Host: a b"));
                body = Api.JSON.writeValueAsBytes(obj);
            }
            case 18 -> {
                kind = "jws-garbage";
                headers.add("Authorization: Bearer " + garbageJws(random));
                body = Api.JSON.writeValueAsBytes(obj);
            }
            default -> {
                kind = "numbers";
                obj.put(field, pick(random, "-0", "NaN", "1e-400"));
                body = replaceValue(obj, field, pick(random, "-0", "1e999999", "-9223372036854775809", "0x10", "01"));
            }
        }
        if (op.path().startsWith("/v1s") && headers.stream().noneMatch(h -> h.startsWith("Authorization"))) {
            headers.add("Authorization: Bearer " + (random.nextInt(4) == 0 ? garbageJws(random) : signer.sign(body)));
        }
        if (!contentType.isEmpty()) {
            headers.add("Content-Type: " + contentType);
        }
        return new Request(method, path, headers, body, kind);
    }

    static Request multipart(Operation op, String method, String path, List<String> headers, Random random, int i) throws Exception {
        String boundary = "b0undary" + random.nextInt(1000);
        String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n" + tenant.clientId()
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"nonce\"\r\n\r\nnonce-x\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: application/pdf\r\n\r\n%%PDF-1.4 x\r\n--"
                + boundary + "--\r\n";
        String kind = "multipart";
        String contentType = "multipart/form-data; boundary=" + boundary;
        String text;
        switch (i % 10) {
            case 0 -> text = part.formatted("doc.pdf");
            case 1 -> {
                kind = "multipart-nul-filename";
                text = part.formatted("do\u0000c.pdf");
            }
            case 2 -> {
                kind = "multipart-no-boundary";
                contentType = "multipart/form-data";
                text = part.formatted("doc.pdf");
            }
            case 3 -> {
                kind = "multipart-cut";
                String full = part.formatted("doc.pdf");
                text = full.substring(0, random.nextInt(full.length()));
            }
            case 4 -> {
                kind = "multipart-wrong-boundary";
                contentType = "multipart/form-data; boundary=other";
                text = part.formatted("doc.pdf");
            }
            case 5 -> {
                kind = "multipart-any-method";
                method = pick(random, "PUT", "PATCH", "DELETE", "GET");
                text = part.formatted("doc.pdf");
            }
            case 6 -> {
                kind = "multipart-bad-part-header";
                text = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\u00ff\u0001\"; x\r\n"
                        + "X: " + "y".repeat(20000) + "\r\n\r\nabc\r\n--" + boundary + "--\r\n";
            }
            case 7 -> {
                kind = "multipart-nul-field";
                text = part.formatted("doc.pdf").replace("nonce-x", "no\u0000nce");
            }
            case 8 -> {
                kind = "multipart-as-json";
                contentType = "application/json";
                text = "{}";
            }
            default -> {
                kind = "multipart-garbage";
                text = "\u0000\u00ff--" + boundary + "\r\n\r\n\r\n";
            }
        }
        byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
        if (op.path().startsWith("/v1s")) {
            headers.add("Authorization: Bearer " + (random.nextBoolean() ? signer.sign("%PDF-1.4 x".getBytes(StandardCharsets.UTF_8)) : garbageJws(random)));
        }
        headers.add("Content-Type: " + contentType);
        return new Request(method, path, headers, body, kind);
    }

    /** Requests not tied to one operation: broken request lines, versions, huge header sets. */
    static List<Request> global(Random random) {
        List<Request> out = new ArrayList<>();
        String[] targets = {"/", "/health", "/openapi.json", "/docs", "/nope", "/v1", "/v1s", "/admin", "/admin/", "/metrics",
                "/error", "/%", "/%zz", "/a%c0%ae%c0%ae/", "/\u00e9", "/v1/%ff", "/*", "*", "http://x/v1/tokens", "/v1/tokens#frag",
                "/.%2e/admin/tenants", "/v1s/../admin/tenants", "/admin/tenants/..;/tenants", "/error;x"};
        for (String t : targets) {
            for (String m : List.of("GET", "POST", "OPTIONS", "TRACE", "DELETE")) {
                out.add(new Request(m, t, List.of(), null, "global-target"));
            }
        }
        for (int i = 0; i < 40; i++) {
            List<String> h = new ArrayList<>();
            for (int k = 0; k < 120; k++) {
                h.add("X-H" + k + ": " + "v".repeat(random.nextInt(100)));
            }
            out.add(new Request("POST", "/v1/tokens", h, "{}".getBytes(StandardCharsets.UTF_8), "many-headers"));
        }
        return out;
    }

    static byte[] raw(Request r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((r.method() + " " + r.target() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
                .getBytes(StandardCharsets.UTF_8));
        boolean hasLength = false;
        for (String h : r.headers()) {
            hasLength |= h.regionMatches(true, 0, "Content-Length:", 0, 15);
            out.writeBytes((h + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        if (r.body() != null && !hasLength) {
            out.writeBytes(("Content-Length: " + r.body().length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        if (r.body() != null) {
            out.writeBytes(r.body());
        }
        return out.toByteArray();
    }

    static String fillPath(String template, Random random, boolean mutate) {
        StringBuilder out = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=})")) {
            if (!part.startsWith("{")) {
                out.append(part);
            } else if (mutate) {
                out.append(pick(random, "%00", "..", "x".repeat(5000), "a;b", "%2F", "%C3%A9", "%C0%AE", "null", "-1",
                        "00000000-0000-0000-0000-000000000000", "6B1F3C2E-0D7A-4C5E-9F1A-2B3C4D5E6F70", "%25", "%23", "%40"));
            } else {
                out.append(switch (part) {
                    case "{clientId}" -> target.clientId();
                    case "{skill}" -> "sandbox_ro_aisp_sbx_%231.0";
                    case "{identity}" -> "someone@tenant-project.iam.gserviceaccount.com";
                    default -> java.util.UUID.randomUUID().toString();
                });
            }
        }
        return out.toString();
    }

    static String nestedStringField(ObjectNode obj, Random random) {
        List<String> names = new ArrayList<>();
        obj.properties().forEach(e -> {
            if (e.getValue().isString()) {
                names.add(e.getKey());
            }
        });
        return names.isEmpty() ? "client_id" : names.get(random.nextInt(names.size()));
    }

    /** The object's JSON with one field's value replaced by raw JSON text (which may be invalid on purpose). */
    static byte[] replaceValue(ObjectNode obj, String field, String rawValue) {
        ObjectNode copy = obj.deepCopy();
        copy.put(field, "@@VALUE@@");
        return Api.JSON.writeValueAsString(copy).replace("\"@@VALUE@@\"", rawValue).getBytes(StandardCharsets.UTF_8);
    }

    static int indexOfQuote(byte[] json, Random random) {
        List<Integer> quotes = new ArrayList<>();
        for (int i = 0; i < json.length; i++) {
            if (json[i] == ':' && i + 1 < json.length && json[i + 1] == '"') {
                quotes.add(i + 2);
            }
        }
        return quotes.isEmpty() ? 1 : quotes.get(random.nextInt(quotes.size()));
    }

    static String garbageJws(Random random) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = pick(random,
                "{\"alg\":\"RS256\",\"kid\":\"a\\u0000b\"}",
                "{\"alg\":\"RS256\",\"kid\":\"" + "k".repeat(3000) + "\"}",
                "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"\\u0001\"}",
                "{\"alg\":\"RS256\",\"kid\":\"\\ud800\"}",
                "{\"alg\":\"none\"}", "{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"alg\":1}", "[]", "{", "\u0000",
                "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"x\"]}", "{\"alg\":\"RS256\",\"kid\":\"k1\",\"jwk\":{\"kty\":\"RSA\"}}");
        String claims = pick(random, "{\"iss\":\"a\\u0000b\",\"sub\":\"x\"}", "{\"iss\":1,\"exp\":\"x\",\"aud\":{}}",
                "{\"iss\":\"" + SIGNER + "\",\"sub\":\"" + SIGNER + "\",\"email\":\"" + SIGNER + "\",\"exp\":1e400}", "null", "{}");
        String jws = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(new byte[random.nextInt(300)]);
        return switch (random.nextInt(6)) {
            case 0 -> "a.b.c";
            case 1 -> jws + "." + jws;
            case 2 -> "x".repeat(7000);
            case 3 -> "%%%.***.$$$";
            default -> jws;
        };
    }


    @SafeVarargs
    static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    static String abbreviate(String s) {
        String flat = s.replaceAll("[\\r\\n]+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
