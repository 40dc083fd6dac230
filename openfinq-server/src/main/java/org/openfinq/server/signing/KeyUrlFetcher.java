package org.openfinq.server.signing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.openfinq.server.config.OpenfinqProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Public keys published at a URL: a JWKS ({@code {"keys": [...]}}) or Google's X.509 map ({@code {"kid": "PEM"}}).
 * https only unless the host is allow-listed ({@code OPENFINQ_SIGNING_URL_ALLOWLIST}); at most 64 KiB within 5 s;
 * cached an hour; an unknown kid refetches at most once a minute per URL.
 */
@Component
public class KeyUrlFetcher {

    private static final Logger log = LoggerFactory.getLogger(KeyUrlFetcher.class);
    static final int MAX_BYTES = 65_536;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Cache<String, Map<String, RSAPublicKey>> cache = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofHours(1)).maximumSize(10_000).build();
    /** When an unknown kid last made us refetch a URL. */
    private final Map<String, Long> lastFetch = new ConcurrentHashMap<>();
    private final OpenfinqProperties props;

    public KeyUrlFetcher(OpenfinqProperties props) {
        this.props = props;
    }

    /** Whether openfinq may fetch from this URL. */
    public boolean allowed(String url) {
        try {
            URI u = URI.create(url);
            return "https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && props.signing().urlAllowlist().contains(u.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public Optional<RSAPublicKey> key(String url, String kid) {
        Map<String, RSAPublicKey> keys = cache.getIfPresent(url);
        if (keys != null && keys.containsKey(kid)) {
            return Optional.of(keys.get(kid));
        }
        if (keys != null) {
            long now = System.nanoTime();
            Long last = lastFetch.get(url);
            if (last != null && now - last < Duration.ofMinutes(1).toNanos()) {
                return Optional.empty();
            }
            lastFetch.put(url, now);
        }
        Map<String, RSAPublicKey> fetched = fetch(url);
        cache.put(url, fetched);
        return Optional.ofNullable(fetched.get(kid));
    }

    private Map<String, RSAPublicKey> fetch(String url) {
        Map<String, RSAPublicKey> out = new HashMap<>();
        if (!allowed(url)) {
            return out;
        }
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
            if (r.statusCode() != 200 || body.length > MAX_BYTES) {
                log.warn("Key URL {} answered {} ({} bytes); no keys taken", url, r.statusCode(), body.length);
                return out;
            }
            JsonNode json = JsonMapper.builder().build().readTree(body);
            if (json.has("keys")) {
                for (JsonNode k : json.get("keys")) {
                    try {
                        PublicKeys.Parsed p = PublicKeys.parse(k.toString());
                        out.put(p.kid() != null ? p.kid() : PublicKeys.thumbprint(p.key()), p.key());
                    } catch (RuntimeException skip) {
                        // not a usable RSA key: ignored
                    }
                }
            } else {
                json.properties().forEach(e -> {
                    try {
                        out.put(e.getKey(), PublicKeys.parse(e.getValue().asString()).key());
                    } catch (RuntimeException skip) {
                        // not a usable certificate: ignored
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Key URL {} could not be read: {}", url, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
