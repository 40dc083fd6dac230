package org.openfinq.sandboxbank.http;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/** One request and its answer, with the helpers the bank's resources need. */
public final class Exchange {

    public static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpExchange http;
    private final Matcher path;
    private final String apiPrefix;
    private byte[] body;

    Exchange(HttpExchange http, Matcher path) {
        this(http, path, "");
    }

    Exchange(HttpExchange http, Matcher path, String apiPrefix) {
        this.http = http;
        this.path = path;
        this.apiPrefix = apiPrefix;
    }

    /**
     * The authorisation-variant prefix the request came through ({@code /explicit}, {@code /decoupled},
     * {@code /oauth}), or "" for the plain API; the bank's links keep it.
     */
    public String apiPrefix() {
        return apiPrefix;
    }

    public String pathParam(int group) {
        return URLDecoder.decode(path.group(group), StandardCharsets.UTF_8);
    }

    public String method() {
        return http.getRequestMethod();
    }

    public String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    public String requiredHeader(String name) {
        String v = header(name);
        if (v == null || v.isBlank()) {
            throw BankError.format("Header " + name + " is missing");
        }
        return v;
    }

    public Map<String, String> query() {
        return parsePairs(http.getRequestURI().getRawQuery());
    }

    public byte[] body() {
        if (body == null) {
            try {
                body = http.getRequestBody().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return body;
    }

    public JsonNode json() {
        try {
            JsonNode node = JSON.readTree(body());
            if (node == null || !node.isObject()) {
                throw BankError.format("The body must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw BankError.format("The body is not valid JSON");
        }
    }

    public Map<String, String> form() {
        return parsePairs(new String(body(), StandardCharsets.UTF_8));
    }

    /** Every value of a repeated form field, e.g. checkboxes. */
    public List<String> formAll(String name) {
        return parseAll(new String(body(), StandardCharsets.UTF_8)).getOrDefault(name, List.of());
    }

    /** The first value of each name (query strings and forms). */
    static Map<String, String> parsePairs(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        parseAll(raw).forEach((k, v) -> out.put(k, v.getFirst()));
        return out;
    }

    /** Every value of each name, in order. */
    static Map<String, List<String>> parseAll(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
        }
        return out;
    }

    public void json(int status, Object value) {
        send(status, "application/json", JSON.writeValueAsBytes(value));
    }

    /**
     * A JSON answer written token by token straight to the connection, chunked (a page of transactions without
     * building a map per row or the whole body first). The status is sent before the body is written; if writing
     * fails midway, the body is left cut off (its open objects are not closed), so the client sees a broken answer,
     * never a shorter valid one.
     */
    public void json(int status, Consumer<JsonGenerator> writer) {
        try {
            headers("application/json");
            http.sendResponseHeaders(status, 0);
            started = true;
            JsonGenerator g = STREAMED.createGenerator(http.getResponseBody());
            writer.accept(g);
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            http.close();
        }
    }

    /** Writes answers that stay cut off when their writing fails (no automatic closing of open objects). */
    private static final ObjectWriter STREAMED = JSON.writer().without(StreamWriteFeature.AUTO_CLOSE_CONTENT);

    private boolean started;

    /** Whether the answer's status line is already sent (an error can then no longer be answered). */
    public boolean started() {
        return started;
    }

    private void headers(String contentType) {
        String requestId = header("X-Request-ID");
        if (requestId != null) {
            http.getResponseHeaders().set("X-Request-ID", requestId);
        }
        if (contentType != null) {
            http.getResponseHeaders().set("Content-Type", contentType);
        }
    }

    public void html(int status, String page) {
        send(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    public void redirect(String location) {
        http.getResponseHeaders().set("Location", location);
        send(302, null, new byte[0]);
    }

    public void noContent() {
        send(204, null, null);
    }

    public void header(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    void send(int status, String contentType, byte[] bytes) {
        try {
            headers(contentType);
            http.sendResponseHeaders(status, bytes == null || bytes.length == 0 ? -1 : bytes.length);
            if (bytes != null && bytes.length > 0) {
                try (OutputStream out = http.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            http.close();
        }
    }
}
