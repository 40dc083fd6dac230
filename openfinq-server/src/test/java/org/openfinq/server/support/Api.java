package org.openfinq.server.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for tests: real requests to a running server. */
public final class Api {

    public static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** An HTTP answer; {@code json} is null when the body is not JSON. */
    public record Response(int status, String contentType, String body, JsonNode json, HttpResponse<String> raw) {
        public String text(String field) {
            return json.path(field).asString();
        }
    }

    public static ObjectNode object(Object... keyValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return node;
    }

    public Response post(String path, Object body) {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send("POST", path, Map.of("Content-Type", "application/json"), json);
    }

    public Response admin(String method, String path, Object body) {
        String json = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(method, path, json == null ? Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                : Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN, "Content-Type", "application/json"), json);
    }

    public Response send(String method, String path, Map<String, String> headers, String body) {
        return sendBytes(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    public Response sendBytes(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String ct = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = null;
            if (ct.startsWith("application/json") || ct.contains("+json")) {
                json = JSON.readTree(r.body());
            }
            return new Response(r.statusCode(), ct, r.body(), json, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
