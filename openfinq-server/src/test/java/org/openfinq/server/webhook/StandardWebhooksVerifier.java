package org.openfinq.server.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A verifier written from the Standard Webhooks specification (standardwebhooks.com, "Verifying webhook
 * authenticity"), sharing no code with the server or the SDK: the signed content is
 * {@code msg_id + "." + timestamp + "." + payload}; the key is the base64 part of the secret after {@code whsec_};
 * the signature header is a space-separated list of {@code v1,<base64 HMAC-SHA256>}; the timestamp must be within
 * a tolerance (5 minutes) of now; signatures are compared in constant time.
 */
final class StandardWebhooksVerifier {

    private StandardWebhooksVerifier() {
    }

    static boolean verify(String secret, String msgId, String timestampHeader, String signatureHeader, String payload, long nowSeconds) {
        if (msgId == null || timestampHeader == null || signatureHeader == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestampHeader);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - ts) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.replaceFirst("^whsec_", "")), "HmacSHA256"));
            byte[] expected = mac.doFinal((msgId + "." + timestampHeader + "." + payload).getBytes(StandardCharsets.UTF_8));
            for (String versioned : signatureHeader.split(" ")) {
                int comma = versioned.indexOf(',');
                if (comma < 0 || !versioned.substring(0, comma).equals("v1")) {
                    continue;
                }
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(versioned.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
