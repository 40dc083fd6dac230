package org.openfinq.client;

import org.openfinq.client.model.Account;
import org.openfinq.client.model.Balance;
import org.openfinq.client.model.Consent;
import org.openfinq.client.model.Credentials;
import org.openfinq.client.model.Events;
import org.openfinq.client.model.Payment;
import org.openfinq.client.model.Session;
import org.openfinq.client.model.Skill;
import org.openfinq.client.model.Step;
import org.openfinq.client.model.Transaction;
import org.openfinq.client.model.TransactionChanges;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The openfinq / Finqware v1 API for a tenant app. With a {@link Signer} every call goes to {@code /v1s}, signed over
 * the exact bytes sent; without one to {@code /v1}. Errors are {@link OpenfinqException}s carrying the error object.
 *
 * <pre>{@code
 * OpenfinqClient api = OpenfinqClient.builder("http://127.0.0.1:8080", clientId)
 *         .clientSecret(secret).clientAppKey(appKey)
 *         .signer(Signer.fromServiceAccountFile(Path.of("data/demo-signer.json")))
 *         .build();
 * }</pre>
 */
public final class OpenfinqClient {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final String baseUrl;
    private final String clientId;
    private final String clientSecret;
    private final String clientAppKey;
    private final Signer signer;
    private final HttpClient http;
    private final Duration timeout;

    private OpenfinqClient(Builder b) {
        this.baseUrl = b.baseUrl.replaceAll("/+$", "");
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.clientAppKey = b.clientAppKey;
        this.signer = b.signer;
        this.timeout = b.timeout;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    public static Builder builder(String baseUrl, String clientId) {
        return new Builder(baseUrl, clientId);
    }

    /** Settings of a client. */
    public static final class Builder {
        private final String baseUrl;
        private final String clientId;
        private String clientSecret;
        private String clientAppKey;
        private Signer signer;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String baseUrl, String clientId) {
            this.baseUrl = baseUrl;
            this.clientId = clientId;
        }

        public Builder clientSecret(String s) {
            this.clientSecret = s;
            return this;
        }

        public Builder clientAppKey(String k) {
            this.clientAppKey = k;
            return this;
        }

        public Builder signer(Signer s) {
            this.signer = s;
            return this;
        }

        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        public OpenfinqClient build() {
            return new OpenfinqClient(this);
        }
    }

    // ---- catalogs

    public List<Skill> skills(Map<String, Object> filter) {
        return list("/catalogs/skills/get", body("client_app_key", clientAppKey, "filter", filter), Skill.class);
    }

    // ---- onboarding

    public Session createSession(String tenantUserId, String skill) {
        return call("/sessions", body("tenant_user_id", tenantUserId, "client_app_key", clientAppKey, "skill", skill), Session.class);
    }

    public Step submitStep(String sessionId, String nonce, String skill, String step, Map<String, ?> data) {
        return submitStep(sessionId, nonce, skill, step, data, null);
    }

    /** A step with an {@code Idempotency-Key} (honoured by payment_intent): safe to retry after a timeout. */
    public Step submitStep(String sessionId, String nonce, String skill, String step, Map<String, ?> data, String idempotencyKey) {
        Map<String, Object> body = body("nonce", nonce, "skill", skill, "step", step, "data", data);
        byte[] bytes = JSON.writeValueAsBytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return send("/sessions/" + sessionId + "/steps", headers, bytes, bytes, JSON.constructType(Step.class));
    }

    /** Uploads a file for a step that asked for one; with a signer the digest covers the file's bytes. */
    public Step upload(String sessionId, String stepId, String nonce, String fileName, String contentType, byte[] content) {
        String boundary = "openfinq-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : Map.of("client_id", clientId, "nonce", nonce).entrySet()) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send("/sessions/" + sessionId + "/steps/" + stepId + "/upload",
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary), out.toByteArray(), content,
                JSON.constructType(Step.class));
    }

    public Credentials exchangeToken(String tempToken) {
        return call("/tokens", body("client_secret", clientSecret, "temp_token", tempToken), Credentials.class);
    }

    // ---- consents

    public Consent getConsent(Credentials c) {
        return call("/consents/get", body("client_secret", clientSecret, "credentials_id", c.credentialsId(),
                "access_token", c.accessToken()), Consent.class);
    }

    /** @param pcdDataRetention minutes the cached data is kept after deletion, or null */
    public Consent deleteConsent(Credentials c, Integer pcdDataRetention) {
        return call("/consents/delete", body("client_secret", clientSecret, "credentials_id", c.credentialsId(),
                "access_token", c.accessToken(), "pcd_data_retention", pcdDataRetention), Consent.class);
    }

    // ---- account data

    public List<Account> accounts(Credentials c, String tenantUserId) {
        return list("/accounts/get", data(c, tenantUserId, null), Account.class);
    }

    public List<Balance> balances(Credentials c, String tenantUserId, Map<String, ?> filter) {
        return list("/balances/get", data(c, tenantUserId, filter), Balance.class);
    }

    /** Transactions; filter keys as documented (account_id, status, gte, booking_date_gte, ...), or null. */
    public List<Transaction> transactions(Credentials c, String tenantUserId, Map<String, ?> filter) {
        return list("/transactions/get", data(c, tenantUserId, filter), Transaction.class);
    }

    /**
     * Transaction changes after {@code cursor} (null: from the beginning), at most {@code count} (null: 100, max 500).
     * Page from no cursor until {@link TransactionChanges#hasMore()} is false to get every transaction once; keep the
     * last {@code nextCursor} and call again later for what changed since.
     */
    public TransactionChanges syncTransactions(Credentials c, String tenantUserId, String cursor, Integer count) {
        return call("/transactions/sync", body("client_secret", clientSecret, "credentials_id", c.credentialsId(),
                "access_token", c.accessToken(), "tenant_user_id", tenantUserId, "cursor", cursor, "count", count),
                TransactionChanges.class);
    }

    // ---- events

    /** The tenant's events after {@code cursor} (null: the oldest kept), optionally of some types only (null: all). */
    public Events events(String cursor, Integer count, List<String> types) {
        return call("/events/get", body("client_secret", clientSecret, "cursor", cursor, "count", count, "types", types), Events.class);
    }

    // ---- payments

    public Payment getPayment(String paymentId) {
        return call("/payments/get", body("client_secret", clientSecret, "payment_id", paymentId), Payment.class);
    }

    // ---- transport

    private Map<String, Object> data(Credentials c, String tenantUserId, Map<String, ?> filter) {
        return body("client_secret", clientSecret, "credentials_id", c.credentialsId(), "access_token", c.accessToken(),
                "tenant_user_id", tenantUserId, "filter", filter);
    }

    private Map<String, Object> body(Object... kv) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                body.put((String) kv[i], kv[i + 1]);
            }
        }
        return body;
    }

    private <T> T call(String path, Map<String, Object> body, Class<T> type) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        return send(path, Map.of("Content-Type", "application/json"), bytes, bytes, JSON.constructType(type));
    }

    private <T> List<T> list(String path, Map<String, Object> body, Class<T> element) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        return send(path, Map.of("Content-Type", "application/json"), bytes, bytes,
                JSON.getTypeFactory().constructCollectionType(List.class, element));
    }

    private <T> T send(String path, Map<String, String> headers, byte[] body, byte[] digested, JavaType type) {
        String url = baseUrl + (signer == null ? "/v1" : "/v1s") + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        if (signer != null) {
            b.header("Authorization", "Bearer " + signer.sign(digested, "POST", url));
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() >= 400) {
                throw new OpenfinqException(JSON.readValue(r.body(), OpenfinqException.ApiError.class));
            }
            return JSON.readValue(r.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("openfinq at " + baseUrl + " cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }


}
