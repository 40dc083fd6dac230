package org.openfinq.connector.berlingroup;

import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Psu;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The NextGenPSD2 transport: builds requests with the protocol headers, signs them when the profile asks,
 * retries idempotent calls (GET, DELETE) with jittered exponential backoff on failures a retry can fix, and maps
 * every failure to a {@link BankException}. POST is never retried.
 */
final class BgHttp {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Retry settings for idempotent calls. */
    record Retries(int max, Duration backoff) {
        static Retries of(BankProfile p) {
            int max = Integer.parseInt(p.quirks().getOrDefault("max_retries", "2"));
            long ms = Long.parseLong(p.quirks().getOrDefault("retry_backoff_ms", "250"));
            return new Retries(max, Duration.ofMillis(ms));
        }

        /**
         * The wait before retry {@code attempt + 1}: exponential backoff ({@code backoff * 2^attempt}) plus a random
         * jitter of up to half of it, so that many callers that failed together (a bank outage) do not all come back
         * at the same instant. Never shorter than the plain backoff.
         */
        Duration delay(int attempt) {
            long exp = backoff.toMillis() << Math.min(attempt, 20);
            return Duration.ofMillis(exp + java.util.concurrent.ThreadLocalRandom.current().nextLong(exp / 2 + 1));
        }
    }

    /** A decoded answer: status and JSON body (null when there is none). */
    record Answer(int status, JsonNode body) {
    }

    private final BankProfile profile;
    private final HttpClient client;
    private final HttpSigner signer;
    private final Retries retries;
    private final Clock clock;

    BgHttp(BankProfile profile, HttpClient client, HttpSigner signer, Retries retries, Clock clock) {
        this.profile = profile;
        this.client = client;
        this.signer = signer;
        this.retries = retries;
        this.clock = clock;
    }

    /** The URL for a protocol path or a {@code _links} href. */
    URI resolve(String pathOrHref) {
        if (pathOrHref.startsWith("http://") || pathOrHref.startsWith("https://")) {
            return URI.create(pathOrHref);
        }
        URI base = profile.baseUrl();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String origin = base.getScheme() + "://" + base.getRawAuthority();
        if (!basePath.isEmpty() && pathOrHref.startsWith(basePath + "/")) {
            return URI.create(origin + pathOrHref);
        }
        return URI.create(origin + basePath + (pathOrHref.startsWith("/") ? "" : "/") + pathOrHref);
    }

    /** Turns a successful answer's status and body (possibly empty) into a value; a {@link JacksonException} means "not JSON". */
    interface Decoder<T> {
        T decode(int status, byte[] body);
    }

    /** The answer as a JSON tree. */
    private static final Decoder<Answer> TREE = (status, bytes) ->
            new Answer(status, bytes == null || bytes.length == 0 ? null : JSON.readTree(bytes));

    Answer get(String path, Map<String, String> headers, Psu psu) {
        return withRetries("GET", path, headers, null, psu, TREE);
    }

    /** A GET whose body is read token by token by {@code reader} (large answers: no JSON tree is built). */
    <T> T get(String path, Map<String, String> headers, Psu psu, Function<JsonParser, T> reader) {
        return withRetries("GET", path, headers, null, psu, (status, bytes) -> {
            try (JsonParser parser = JSON.createParser(bytes == null ? new byte[0] : bytes)) {
                return reader.apply(parser);
            }
        });
    }

    Answer delete(String path, Map<String, String> headers, Psu psu) {
        return withRetries("DELETE", path, headers, null, psu, TREE);
    }

    Answer post(String path, Map<String, String> headers, Object body, Psu psu) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        return once("POST", path, headers, bytes, psu, UUID.randomUUID().toString(), TREE);
    }

    /** A form POST ({@code application/x-www-form-urlencoded}), e.g. to an OAuth2 token endpoint; never retried. */
    Answer postForm(String pathOrUrl, Map<String, String> form, Psu psu) {
        StringBuilder s = new StringBuilder();
        form.forEach((k, v) -> s.append(s.isEmpty() ? "" : "&").append(BgAccountInformation.enc(k)).append('=')
                .append(BgAccountInformation.enc(v)));
        return once("POST", pathOrUrl, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), psu, UUID.randomUUID().toString(), TREE);
    }

    private <T> T withRetries(String method, String path, Map<String, String> headers, byte[] body, Psu psu, Decoder<T> decoder) {
        String requestId = UUID.randomUUID().toString();
        for (int attempt = 0; ; attempt++) {
            try {
                return once(method, path, headers, body, psu, requestId, decoder);
            } catch (BankException.Unavailable | BankException.Timeout e) {
                if (attempt >= retries.max()) {
                    throw e;
                }
                sleep(retries.delay(attempt));
            }
        }
    }

    private <T> T once(String method, String path, Map<String, String> extra, byte[] body, Psu psu, String requestId, Decoder<T> decoder) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Request-ID", requestId);
        headers.put("Accept", "application/json");
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        if (psu.ipAddress() != null) {
            headers.put("PSU-IP-Address", psu.ipAddress());
        }
        psu.id().ifPresent(id -> headers.put("PSU-ID", id));
        headers.putAll(extra);
        if (signer != null) {
            headers.putAll(signer.sign(headers, body == null ? new byte[0] : body));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path)).timeout(profile.readTimeout());
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new BankException.Timeout(profile.id() + ": no answer to " + method + " " + path + " within "
                    + profile.readTimeout().toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw new BankException.Unavailable(profile.id() + ": cannot connect", 0, e);
        } catch (javax.net.ssl.SSLException e) {
            throw new BankException.Unavailable(profile.id() + ": TLS handshake failed: " + org.openfinq.connector.BankTls.rootMessage(e)
                    + " (" + method + " " + path + ", X-Request-ID " + requestId + ")", 0, e);
        } catch (IOException e) {
            if (closedDuringTls(b.build().uri(), e)) {
                // TLS 1.3 sends the server's refusal of a client certificate after the client's handshake is done, so
                // the JDK often sees only the closed connection; over HTTPS before any answer it is a TLS failure
                javax.net.ssl.SSLHandshakeException tls = new javax.net.ssl.SSLHandshakeException("the bank closed the "
                        + "TLS connection before answering (" + org.openfinq.connector.BankTls.rootMessage(e) + "); with TLS 1.3 "
                        + "this is how a bank refuses a missing or wrong client certificate (QWAC)");
                tls.initCause(e);
                throw new BankException.Unavailable(profile.id() + ": TLS handshake failed: " + tls.getMessage()
                        + " (" + method + " " + path + ", X-Request-ID " + requestId + ")", 0, tls);
            }
            throw new BankException.Unavailable(profile.id() + ": connection failed: " + org.openfinq.connector.BankTls.rootMessage(e)
                    + " (" + method + " " + path + ", X-Request-ID " + requestId + ")", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BankException.Unavailable(profile.id() + ": interrupted", 0, e);
        }
        return answer(method, path, requestId, response, decoder);
    }

    /** A connection reset or closed on an HTTPS call before any answer came back. */
    private static boolean closedDuringTls(URI uri, IOException e) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (t instanceof java.net.SocketException || t instanceof java.io.EOFException
                    || m.contains("connection reset") || m.contains("closed") || m.contains("broken pipe")) {
                return true;
            }
        }
        return false;
    }

    private <T> T answer(String method, String path, String requestId, HttpResponse<byte[]> r, Decoder<T> decoder) {
        int status = r.statusCode();
        byte[] bytes = r.body();
        if (status >= 200 && status < 300) {
            try {
                return decoder.decode(status, bytes);
            } catch (JacksonException e) {
                throw new BankException.InvalidResponse(profile.id() + ": " + method + " " + path
                        + " answered " + status + " with a body that is not JSON", status, e);
            }
        }
        String code = null;
        String text = null;
        try {
            JsonNode err = bytes == null || bytes.length == 0 ? null : JSON.readTree(bytes);
            JsonNode msg = err == null ? null : err.path("tppMessages").path(0);
            if (msg != null && msg.isObject()) {
                code = msg.path("code").asString(null);
                text = msg.path("text").asString(null);
            }
        } catch (JacksonException ignored) {
            // error bodies are often HTML from a gateway; the status says enough
        }
        String message = profile.id() + ": " + method + " " + path + " answered " + status
                + (code == null ? "" : " " + code) + (text == null ? "" : ": " + text) + " (X-Request-ID " + requestId + ")";
        if (status == 429) {
            throw new BankException.RateLimited(message, code, retryAfter(r, code));
        }
        if (status >= 500) {
            throw new BankException.Unavailable(message, status, null);
        }
        if (code != null && (code.equals("CONSENT_EXPIRED") || code.equals("CONSENT_INVALID")
                || code.equals("CONSENT_UNKNOWN"))) {
            throw new BankException.ConsentInvalid(message, status, code, code.equals("CONSENT_EXPIRED"));
        }
        if (code != null && (code.startsWith("PSU_CREDENTIALS") || code.startsWith("SCA_"))) {
            throw new BankException.ScaFailed(message, status, code);
        }
        throw new BankException.BadRequest(message, status, code);
    }

    /** {@code Retry-After} in seconds or as an HTTP date; without it, ACCESS_EXCEEDED lasts until the next UTC day. */
    private Duration retryAfter(HttpResponse<?> r, String code) {
        String header = r.headers().firstValue("Retry-After").orElse(null);
        Instant now = clock.instant();
        if (header != null) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Duration.between(now, at).isNegative() ? Duration.ZERO : Duration.between(now, at);
                } catch (DateTimeParseException ignored) {
                    // fall through to the default
                }
            }
        }
        if ("ACCESS_EXCEEDED".equals(code)) {
            Instant midnight = now.atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(1)
                    .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            return Duration.between(now, midnight);
        }
        return Duration.ofMinutes(1);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BankException.Unavailable("interrupted while waiting to retry", 0, e);
        }
    }
}
