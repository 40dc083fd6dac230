package org.openfinq.client;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies openfinq webhook deliveries (Standard Webhooks): the {@code webhook-signature} header holds one or
 * more space-separated {@code v1,<base64>} signatures, each an HMAC-SHA256 of {@code id.timestamp.body} keyed with
 * the base64-decoded part of the endpoint's {@code whsec_} secret; the {@code webhook-timestamp} must be within
 * the tolerance (5 minutes by default) of now. Comparison is constant-time. Pass the raw body, exactly as received.
 */
public final class Webhooks {

    /** The default tolerance between the delivery's timestamp and now. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private Webhooks() {
    }

    /** Verifies with the default tolerance against the current time. Header names are case-insensitive. */
    public static boolean verify(String secret, Map<String, String> headers, String body) {
        return verify(secret, headers, body, Instant.now(), TOLERANCE);
    }

    /** Verifies with the default tolerance against {@code now}. */
    public static boolean verify(String secret, Map<String, String> headers, String body, Instant now) {
        return verify(secret, headers, body, now, TOLERANCE);
    }

    /** @return whether one of the signatures is valid and the timestamp is within {@code tolerance} of {@code now} */
    public static boolean verify(String secret, Map<String, String> headers, String body, Instant now, Duration tolerance) {
        String id = header(headers, "webhook-id");
        String timestamp = header(headers, "webhook-timestamp");
        String signatures = header(headers, "webhook-signature");
        if (secret == null || id == null || timestamp == null || signatures == null || body == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
            return false;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            expected = mac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
        boolean ok = false;
        for (String part : signatures.strip().split(" +")) {
            if (!part.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(part.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            ok |= MessageDigest.isEqual(expected, given);
        }
        return ok;
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
