package org.openfinq.server.signing;

import org.openfinq.server.db.ChangeNotices;
import org.openfinq.server.db.NoticedCache;
import jakarta.servlet.http.HttpServletRequest;
import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * Verifies the {@code Authorization: Bearer <JWS>} of a /v1s request: RS256 only; the {@code kid}'s key of the
 * signer named by {@code iss} (which {@code sub} and {@code email} must equal) among the signers of the tenant
 * named by the body's {@code client_id}; then the claims: {@code digest} equals Base64(SHA-256) of the raw body bytes (or, for JSON, of its compact form),
 * {@code aud}, {@code exp}, {@code iat}, lifetime, {@code jti} when the tenant's replay guard is on, and
 * {@code htm} / {@code htu} (the request's method and path, as the router sees it) when present or when the
 * tenant requires endpoint binding. Each failure is a 401 of type {@code unauthorized} with its own code, and
 * counts as a failed authentication of the client_id and the source address (see {@link AuthGuard}).
 */
@Component
public class JwsVerifier {

    private final SignerStore signers;
    private final NoticedCache<LookupKey, SignerStore.Lookup> lookups;
    private final KeyUrlFetcher urls;
    private final OpenfinqProperties props;
    private final Clock clock;
    private final AuthGuard guard;

    /** What a verification looks up: the tenant, the signer named by iss and the key named by kid. */
    record LookupKey(UUID clientId, String identity, String kid) {
    }

    public JwsVerifier(SignerStore signers, ChangeNotices notices, KeyUrlFetcher urls, OpenfinqProperties props, Clock clock,
                       AuthGuard guard) {
        this.signers = signers;
        // a change of the tenant (replay guard, binding), of its signers or of their keys evicts the tenant's entries
        this.lookups = NoticedCache.grouped(notices, "tenant", 10_000, LookupKey::clientId);
        this.urls = urls;
        this.props = props;
        this.clock = clock;
        this.guard = guard;
    }

    static ApiException refuse(String code, String message) {
        return ApiException.unauthorized(code, message);
    }

    /** The JWS of the request's Authorization header, checked for form only; a failure counts against the address. */
    public CompactJws parse(HttpServletRequest request) {
        guard.check(request.getRemoteAddr(), null);
        try {
            return parse(request.getHeader("Authorization"));
        } catch (ApiException e) {
            throw guard.failed(request.getRemoteAddr(), null, e);
        }
    }

    /** The JWS of an Authorization header, checked for form only (no body, no keys needed). */
    public CompactJws parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() < 8) {
            throw refuse("missing_authorization", "/v1s requests need 'Authorization: Bearer <JWS>'");
        }
        CompactJws jws = CompactJws.parse(authorization.substring(7).strip());
        if (!"RS256".equals(jws.alg())) {
            throw refuse("unsupported_algorithm", "Only RS256 is accepted (got " + jws.alg() + ")");
        }
        for (JsonNode value : jws.header().values()) {
            if (value.isString() && !clean(value.stringValue(), MAX_HEADER_TEXT)) {
                throw refuse("invalid_jws_header", "A JWS header parameter holds control characters or is over "
                        + MAX_HEADER_TEXT + " characters");
            }
        }
        String kid = jws.kid();
        if (kid == null || kid.isBlank()) {
            throw refuse("missing_kid", "The JWS header has no kid");
        }
        return jws;
    }

    private static final int MAX_HEADER_TEXT = 512;

    /** Printable text of at most {@code max} characters: no control characters, no unpaired surrogates. */
    static boolean clean(String text, int max) {
        if (text.length() > max) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param clientId      the tenant the request speaks for
     * @param digestedBytes the exact bytes the {@code digest} claim must cover
     * @param request       the request (its method and routed path for {@code htm}/{@code htu}, its address)
     */
    public void verify(CompactJws jws, String clientId, byte[] digestedBytes, HttpServletRequest request) {
        verify(jws, clientId, digestedBytes, request, false);
    }

    /**
     * A JSON body's check: the {@code digest} may cover the exact bytes received or, as the Finqware docs tell
     * clients to compute it, the body's compact re-serialisation in the received key order (see {@link CompactJson};
     * a body with a key given twice has none). Anything else that changes the JSON still fails.
     */
    public void verifyJson(CompactJws jws, String clientId, byte[] body, HttpServletRequest request) {
        verify(jws, clientId, body, request, true);
    }

    private void verify(CompactJws jws, String clientId, byte[] digestedBytes, HttpServletRequest request, boolean compactAllowed) {
        String address = request.getRemoteAddr();
        guard.check(address, clientId);
        try {
            verify(jws, clientId, digestedBytes, request.getMethod(), org.openfinq.server.web.RoutedPath.of(request), compactAllowed);
        } catch (ApiException e) {
            throw guard.failed(address, clientId, e);
        }
    }


    void verify(CompactJws jws, String clientId, byte[] digestedBytes, String method, String path) {
        verify(jws, clientId, digestedBytes, method, path, false);
    }

    private void verify(CompactJws jws, String clientId, byte[] digestedBytes, String method, String path, boolean compactAllowed) {
        UUID tenant = JsonBody.uuid(clientId == null ? "" : clientId, refuse("invalid_client_id", "The signed body has no known client_id"));
        String iss = jws.text("iss");
        if (iss != null && !clean(iss, MAX_HEADER_TEXT)) {
            throw refuse("invalid_issuer", "iss holds control characters or is over " + MAX_HEADER_TEXT + " characters");
        }
        String kid = jws.kid();
        SignerStore.Lookup found = lookups.get(new LookupKey(tenant, iss == null ? "" : iss, kid),
                        k -> java.util.Optional.of(signers.lookup(k.clientId(), k.identity(), k.kid())).filter(SignerStore.Lookup::tenantExists))
                .orElse(new SignerStore.Lookup(false, null, null, false, false));
        if (!found.tenantExists()) {
            throw refuse("invalid_client_id", "Unknown client_id");
        }
        SignerStore.Signer signer = found.signer();
        if (signer == null) {
            throw refuse("invalid_issuer", "iss is not a signer registered for this client_id");
        }
        Object email = jws.claim("email");
        if (!iss.equals(jws.text("sub")) || !iss.equals(email)) {
            throw refuse("invalid_issuer", "sub and email must equal iss");
        }
        RSAPublicKey key = java.util.Optional.ofNullable(found.publicKeyPem()).map(PublicKeys::cached)
                .or(() -> signer.keyUrl() == null ? java.util.Optional.empty() : urls.key(signer.keyUrl(), kid))
                .orElseThrow(() -> refuse("unknown_kid", "No key '" + kid + "' for signer " + iss));
        if (jws.header().has("crit")) {
            throw refuse("invalid_signature", "The JWS names critical header parameters (crit), which this server does not process");
        }
        if (!signatureVerifies(jws, key)) {
            throw refuse("invalid_signature", "The JWS signature does not verify with key " + kid);
        }
        Object digest = jws.claim("digest");
        if (!(digest instanceof String d) || d.isBlank()) {
            throw refuse("missing_digest", "The JWS has no digest claim");
        }
        if (!digestMatches(d, digestedBytes, compactAllowed)) {
            throw refuse("digest_mismatch", compactAllowed
                    ? "digest is not Base64(SHA-256) of the body as sent nor of its compact JSON form"
                    : "digest is not Base64(SHA-256) of the body as sent");
        }
        java.util.List<String> audience = jws.audience();
        if (audience == null || audience.stream().noneMatch(props.signing().audiences()::contains)) {
            throw refuse("invalid_audience", "aud must be one of " + props.signing().audiences());
        }
        Instant now = clock.instant();
        Date exp = jws.date("exp");
        Date iat = jws.date("iat");
        if (exp == null || iat == null) {
            throw refuse("missing_expiry", "exp and iat are required");
        }
        if (!now.isBefore(exp.toInstant())) {
            throw refuse("expired", "The JWS expired at " + exp.toInstant());
        }
        if (iat.toInstant().isAfter(now.plus(props.signing().clockSkew()))) {
            throw refuse("issued_in_future", "iat is in the future");
        }
        if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(props.signing().maxLifetime()) > 0) {
            throw refuse("lifetime_too_long", "exp - iat is over " + props.signing().maxLifetime().toSeconds() + " s");
        }
        binding(jws, found.requireBinding(), method, path);
        if (found.requireJti()) {
            String jti = jws.text("jti");
            if (jti == null || jti.isBlank()) {
                throw refuse("missing_jti", "This tenant requires a jti claim");
            }
            if (!signers.useJti(tenant, Secrets.hash(jti), exp.toInstant(), now)) {
                throw refuse("replayed_jti", "This jti was already used");
            }
        }
    }

    /** {@code htm} and {@code htu}: checked when present, required when the tenant says so. */
    private static void binding(CompactJws jws, boolean required, String method, String path) {
        Object htm = jws.claim("htm");
        Object htu = jws.claim("htu");
        if (required && (htm == null || htu == null)) {
            throw refuse("missing_binding", "This tenant requires htm (method) and htu (path) claims");
        }
        if (htm != null && !(htm instanceof String m && m.equals(method))) {
            throw refuse("endpoint_mismatch", "htm does not name this request's method (" + method + ")");
        }
        if (htu != null && !(htu instanceof String u && path.equals(htuPath(u)))) {
            throw refuse("endpoint_mismatch", "htu does not name this request's path (" + path + ")");
        }
    }

    /** The path of an {@code htu}: a path, or an absolute URL (scheme and host are not compared); query ignored. */
    static String htuPath(String htu) {
        try {
            if (htu.startsWith("/")) {
                int q = htu.indexOf('?');
                return java.net.URLDecoder.decode((q < 0 ? htu : htu.substring(0, q)).replace("+", "%2B"), StandardCharsets.UTF_8);
            }
            java.net.URI uri = new java.net.URI(htu);
            return uri.isAbsolute() ? uri.getPath() : null;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null; // not a path or URL: names no endpoint
        }
    }

    /** RS256: RSASSA-PKCS1-v1_5 with SHA-256 over the exact {@code header.payload} text received. */
    private static boolean signatureVerifies(CompactJws jws, RSAPublicKey key) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update(jws.signingInput());
            return rsa.verify(jws.signature());
        } catch (SignatureException malformed) {
            return false;
        } catch (InvalidKeyException | NoSuchAlgorithmException e) {
            throw refuse("invalid_signature", "The JWS signature cannot be verified: " + e.getMessage());
        }
    }

    private static boolean digestMatches(String claimed, byte[] body, boolean compactAllowed) {
        byte[] claim = claimed.getBytes(StandardCharsets.US_ASCII);
        if (MessageDigest.isEqual(claim, digest(body).getBytes(StandardCharsets.US_ASCII))) {
            return true;
        }
        if (compactAllowed) {
            for (byte[] form : CompactJson.forms(body)) {
                if (MessageDigest.isEqual(claim, digest(form).getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
        }
        return false;
    }

    public static String digest(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
