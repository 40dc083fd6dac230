package org.openfinq.server.signing;

import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A compact JWS as received in {@code Authorization: Bearer}: its header (a JSON object with a textual {@code alg}),
 * the bytes its signature covers ({@code header.payload} exactly as sent), the signature, and the claims, decoded
 * when asked for. Parsed with the JDK's Base64url decoder and the strict JSON parser of request bodies (a key given
 * twice is refused), so the signature check is the same work the JDK's {@code Signature} does and nothing more.
 */
public final class CompactJws {

    private final JsonNode header;
    private final String payloadPart;
    private final byte[] signingInput;
    private final byte[] signature;
    private JsonNode claims;

    private CompactJws(JsonNode header, String payloadPart, byte[] signingInput, byte[] signature) {
        this.header = header;
        this.payloadPart = payloadPart;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    static ApiException invalid(String message) {
        return JwsVerifier.refuse("invalid_jws", message);
    }

    /** The token's parts, checked for form: three Base64url parts, a JSON object header with a textual {@code alg}. */
    static CompactJws parse(String token) {
        int dot = token.indexOf('.');
        if (dot < 0) {
            throw invalid("The Authorization header holds no JWS");
        }
        JsonNode header = object(token.substring(0, dot), "The Authorization header holds no JWS");
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isString()) {
            throw invalid("The Authorization header holds no JWS");
        }
        if ("none".equals(alg.stringValue()) || header.has("enc")) {
            throw JwsVerifier.refuse("unsupported_algorithm", "Only RS256-signed JWS are accepted (got an unsigned or encrypted JWT)");
        }
        int second = token.indexOf('.', dot + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw invalid("The Authorization header holds no JWS");
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("The Authorization header holds no JWS");
        }
        return new CompactJws(header, token.substring(dot + 1, second),
                token.substring(0, second).getBytes(StandardCharsets.US_ASCII), signature);
    }

    private static JsonNode object(String part, String message) {
        JsonNode node;
        try {
            node = JsonBody.tree(Base64.getUrlDecoder().decode(part));
        } catch (RuntimeException e) {
            throw invalid(message);
        }
        if (node == null || !node.isObject()) {
            throw invalid(message);
        }
        return node;
    }

    JsonNode header() {
        return header;
    }

    String alg() {
        return header.get("alg").stringValue();
    }

    /** The header's {@code kid}, null when absent; a {@code kid} that is not text is no JWS. */
    String kid() {
        JsonNode kid = header.get("kid");
        if (kid == null || kid.isNull()) {
            return null;
        }
        if (!kid.isString()) {
            throw invalid("The Authorization header holds no JWS");
        }
        return kid.stringValue();
    }

    byte[] signingInput() {
        return signingInput;
    }

    byte[] signature() {
        return signature;
    }

    /** The claims: a JSON object, decoded once. */
    JsonNode claims() {
        if (claims == null) {
            claims = object(payloadPart, "The JWS payload is not a JSON claims set");
        }
        return claims;
    }

    /** A registered claim that must be text when present ({@code iss}, {@code sub}, {@code jti}); null when absent. */
    String text(String name) {
        return typed(name, JsonNode::isString, JsonNode::stringValue);
    }

    /** A NumericDate claim ({@code exp}, {@code iat}) in whole seconds; null when absent. */
    Date date(String name) {
        return typed(name, JsonNode::isNumber, v -> new Date(v.asLong() * 1000));
    }

    /** A claim of the type {@code ok} accepts, as {@code value} reads it; null when absent; of another type, no claims set. */
    private <T> T typed(String name, Predicate<JsonNode> ok, Function<JsonNode, T> value) {
        JsonNode v = claims().get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!ok.test(v)) {
            throw invalid("The JWS payload is not a JSON claims set");
        }
        return value.apply(v);
    }

    /** {@code aud}: one text or an array of texts; null when absent. */
    List<String> audience() {
        JsonNode v = claims().get("aud");
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isString()) {
            return List.of(v.stringValue());
        }
        if (!v.isArray()) {
            throw invalid("The JWS payload is not a JSON claims set");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode a : v) {
            if (!a.isString()) {
                throw invalid("The JWS payload is not a JSON claims set");
            }
            out.add(a.stringValue());
        }
        return out;
    }

    /** Any other claim as sent: text as a String, anything else as its JSON node; null when absent. */
    Object claim(String name) {
        JsonNode v = claims().get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isString() ? v.stringValue() : v;
    }
}
