package org.openfinq.sandboxbank.sca;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.openfinq.sandboxbank.SandboxState;
import org.openfinq.sandboxbank.consent.Consent;
import org.openfinq.sandboxbank.http.BankError;
import org.openfinq.sandboxbank.http.Exchange;
import org.openfinq.sandboxbank.http.Router;
import org.openfinq.sandboxbank.payment.Payment;

/**
 * The NextGenPSD2 authorisation variants the sandbox bank offers for consents and payments. The variant is chosen
 * per request: the API under {@code /explicit}, {@code /decoupled} or {@code /oauth} (so one bank profile per
 * variant, by its base URL), else the TPP's {@code TPP-Decoupled-Preferred} and
 * {@code TPP-Explicit-Authorisation-Preferred} headers, else the redirect approach with implicit start.
 * <ul>
 *   <li>redirect: {@code _links.scaRedirect} to the bank's SCA pages;</li>
 *   <li>explicit: {@code _links.startAuthorisation}; {@code POST .../authorisations} answers {@code scaRedirect};</li>
 *   <li>decoupled: {@code _links.scaStatus} and a {@code psuMessage}; the PSU (needs {@code PSU-ID}) approves in
 *       the bank's app, simulated by {@code POST /sandbox/v1/{consents|payments}/{id}/authorise};</li>
 *   <li>oauth: {@code _links.scaOAuth} to RFC 8414 metadata of the bank's OAuth2 server ({@code /as/...}); its
 *       authorize endpoint shows the same SCA pages, then redirects with a code that the token endpoint exchanges
 *       (PKCE S256 required).</li>
 * </ul>
 * {@code GET .../authorisations/{authorisationId}} answers the SCA status of every variant.
 */
public final class Authorisations {

    /** An OAuth2 authorization code: what it was issued for. */
    private record Code(String kind, String resourceId, String clientId, String redirectUri, String challenge) {
    }

    private final SandboxState state;
    private final String publicUrl;
    private final String apiUrl;
    private final Map<String, String> authorisations = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();

    public Authorisations(SandboxState state, String publicUrl, String apiUrl) {
        this.state = state;
        this.publicUrl = publicUrl;
        this.apiUrl = apiUrl;
    }

    /** The variant a creation request asks for: {@code redirect}, {@code explicit}, {@code decoupled} or {@code oauth}. */
    static String variant(Exchange ex) {
        if (!ex.apiPrefix().isEmpty()) {
            return ex.apiPrefix().substring(1);
        }
        if ("true".equalsIgnoreCase(ex.header("TPP-Decoupled-Preferred"))) {
            return "decoupled";
        }
        if ("true".equalsIgnoreCase(ex.header("TPP-Explicit-Authorisation-Preferred"))) {
            return "explicit";
        }
        return "redirect";
    }

    /**
     * The {@code _links} (and {@code psuMessage}, {@code scaStatus}) of a consent or payment just created.
     *
     * @param kind     {@code consents} or {@code payments}
     * @param selfPath the resource's path, e.g. {@code /v1/consents/<id>}
     */
    public Map<String, Object> started(Exchange ex, String kind, String id, String selfPath, String psuId) {
        String app = ex.header(REQUESTING_APP);
        state.requestingApp(id, app == null ? null : java.net.URLDecoder.decode(app, StandardCharsets.UTF_8));
        String prefix = ex.apiPrefix();
        Map<String, Object> links = new LinkedHashMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        switch (variant(ex)) {
            case "explicit" -> links.put("startAuthorisation", Map.of("href", prefix + selfPath + "/authorisations"));
            case "decoupled" -> {
                if (psuId == null || state.data().psu(psuId).isEmpty()) {
                    throw BankError.format("PSU-ID of a customer of this bank is needed for the decoupled approach");
                }
                String auth = newAuthorisation(id);
                state.decoupled(id);
                links.put("scaStatus", Map.of("href", prefix + selfPath + "/authorisations/" + auth));
                out.put("scaStatus", "started");
                out.put("psuMessage", "Please confirm in your openfinq Sandbox Bank app");
                ex.header("ASPSP-SCA-Approach", "DECOUPLED");
            }
            case "oauth" -> links.put("scaOAuth", Map.of("href", apiUrl + "/as/.well-known/oauth-authorization-server"));
            default -> links.put("scaRedirect", Map.of("href", publicUrl + "/sca/" + kind + "/" + id));
        }
        if (!variant(ex).equals("decoupled")) {
            ex.header("ASPSP-SCA-Approach", "REDIRECT");
        }
        links.put("self", Map.of("href", prefix + selfPath));
        links.put("status", Map.of("href", prefix + selfPath + "/status"));
        out.put("_links", links);
        return out;
    }

    /**
     * Header naming the app that asks, URL-encoded UTF-8 (the sandbox bank shows it on its pages; real banks show the
     * TPP's name from its eIDAS certificate).
     */
    public static final String REQUESTING_APP = "X-Requesting-App";

    private String newAuthorisation(String resourceId) {
        String auth = UUID.randomUUID().toString();
        authorisations.put(auth, resourceId);
        return auth;
    }

    public void register(Router router) {
        router.route("POST", "/v1/consents/([^/]+)/authorisations", ex -> start(ex, "consents", consent(ex.pathParam(1)).id(),
                        "/v1/consents/" + ex.pathParam(1)))
                .route("GET", "/v1/consents/([^/]+)/authorisations/([^/]+)", ex -> scaStatus(ex, consent(ex.pathParam(1)).id(),
                        ex.pathParam(2), consentSca(consent(ex.pathParam(1)))))
                .route("POST", "/v1/payments/([^/]+)/([^/]+)/authorisations", ex -> start(ex, "payments",
                        payment(ex.pathParam(2)).id(), "/v1/payments/" + ex.pathParam(1) + "/" + ex.pathParam(2)))
                .route("GET", "/v1/payments/([^/]+)/([^/]+)/authorisations/([^/]+)", ex -> scaStatus(ex,
                        payment(ex.pathParam(2)).id(), ex.pathParam(3), paymentSca(payment(ex.pathParam(2)))))
                .route("GET", "/as/.well-known/oauth-authorization-server", this::metadata)
                .route("GET", "/as/authorize", this::authorize)
                .route("POST", "/as/token", this::token);
    }

    private Consent consent(String id) {
        return state.consent(id).orElseThrow(() -> new BankError(403, "CONSENT_UNKNOWN", "Unknown consent"));
    }

    private Payment payment(String id) {
        return state.payment(id).map(state::current).orElseThrow(() -> BankError.unknownResource("Unknown payment"));
    }

    private static String consentSca(Consent c) {
        return switch (c.status()) {
            case "received" -> "started";
            case "rejected" -> "failed";
            default -> "finalised";
        };
    }

    private static String paymentSca(Payment p) {
        return switch (p.status()) {
            case "RCVD" -> "started";
            case "RJCT" -> p.approvedAt() == null ? "failed" : "finalised";
            default -> "finalised";
        };
    }

    /** Explicit start: a new authorisation sub-resource whose answer sends the PSU to the SCA pages. */
    private void start(Exchange ex, String kind, String id, String selfPath) {
        String auth = newAuthorisation(id);
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("scaRedirect", Map.of("href", publicUrl + "/sca/" + kind + "/" + id + "?authorisation=" + auth));
        links.put("scaStatus", Map.of("href", ex.apiPrefix() + selfPath + "/authorisations/" + auth));
        ex.header("ASPSP-SCA-Approach", "REDIRECT");
        ex.header("Location", ex.apiPrefix() + selfPath + "/authorisations/" + auth);
        ex.json(201, Map.of("scaStatus", "received", "authorisationId", auth, "_links", links));
    }

    private void scaStatus(Exchange ex, String resourceId, String auth, String status) {
        if (!resourceId.equals(authorisations.get(auth))) {
            throw BankError.unknownResource("Unknown authorisation " + auth);
        }
        ex.json(200, Map.of("scaStatus", status));
    }

    private void metadata(Exchange ex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", publicUrl + "/as");
        m.put("authorization_endpoint", publicUrl + "/as/authorize");
        m.put("token_endpoint", apiUrl + "/as/token");
        m.put("response_types_supported", java.util.List.of("code"));
        m.put("grant_types_supported", java.util.List.of("authorization_code"));
        m.put("code_challenge_methods_supported", java.util.List.of("S256"));
        ex.json(200, m);
    }

    /** The browser arrives with an authorization request; it goes on to the SCA pages of the consent or payment. */
    private void authorize(Exchange ex) {
        Map<String, String> q = ex.query();
        String redirectUri = q.get("redirect_uri");
        String scope = q.getOrDefault("scope", "");
        if (!"code".equals(q.get("response_type")) || blank(q.get("client_id")) || blank(redirectUri)
                || blank(q.get("code_challenge")) || !"S256".equals(q.get("code_challenge_method"))
                || !scope.matches("(AIS|PIS):[^ ]+")) {
            throw BankError.format("The authorization request needs response_type=code, client_id, redirect_uri, "
                    + "scope AIS:<consentId> or PIS:<paymentId>, code_challenge and code_challenge_method=S256");
        }
        String id = scope.substring(4);
        String code = UUID.randomUUID().toString();
        String stateParam = q.get("state") == null ? "" : "&state=" + enc(q.get("state"));
        String sep = redirectUri.contains("?") ? "&" : "?";
        String ok = redirectUri + sep + "code=" + code + stateParam;
        String nok = redirectUri + sep + "error=access_denied" + stateParam;
        String kind;
        if (scope.startsWith("AIS:")) {
            Consent c = consent(id);
            state.put(c.withRedirects(ok, nok));
            kind = "consents";
        } else {
            Payment p = payment(id);
            state.put(p.withRedirects(ok, nok));
            kind = "payments";
        }
        codes.put(code, new Code(kind, id, q.get("client_id"), redirectUri, q.get("code_challenge")));
        ex.redirect(publicUrl + "/sca/" + kind + "/" + id);
    }

    /** The authorization code exchange (RFC 6749 4.1.3 with PKCE): only for a consent or payment the PSU approved. */
    private void token(Exchange ex) {
        Map<String, String> f = ex.form();
        Code c = f.get("code") == null ? null : codes.remove(f.get("code"));
        if (c == null || !"authorization_code".equals(f.get("grant_type")) || !c.clientId().equals(f.get("client_id"))
                || !c.redirectUri().equals(f.get("redirect_uri")) || f.get("code_verifier") == null
                || !c.challenge().equals(s256(f.get("code_verifier")))) {
            ex.json(400, Map.of("error", "invalid_grant", "error_description", "Unknown, used or mismatching authorization code"));
            return;
        }
        boolean approved = c.kind().equals("consents") ? consent(c.resourceId()).status().equals("valid")
                : paymentSca(payment(c.resourceId())).equals("finalised");
        if (!approved) {
            ex.json(400, Map.of("error", "invalid_grant", "error_description", "The PSU did not authorise"));
            return;
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("access_token", UUID.randomUUID().toString());
        t.put("token_type", "Bearer");
        t.put("expires_in", 3600);
        t.put("scope", (c.kind().equals("consents") ? "AIS:" : "PIS:") + c.resourceId());
        ex.json(200, t);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
