package org.openfinq.connector.berlingroup;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openfinq.connector.Authorisation;
import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Psu;
import tools.jackson.databind.JsonNode;

/**
 * The NextGenPSD2 1.3.x authorisation variants of a consent or payment, chosen from the bank's {@code _links}:
 * <ul>
 *   <li>{@code scaRedirect}: implicit start, the PSU's browser goes to the bank;</li>
 *   <li>{@code startAuthorisation} (or {@code startAuthorisationWithPsuIdentification}): explicit start, a POST to
 *       the authorisations sub-resource, whose answer has one of the other links;</li>
 *   <li>{@code scaOAuth}: OAuth2 SCA, the bank's authorisation server (RFC 8414 metadata at the link) with an
 *       authorization code and PKCE; the code is exchanged at the token endpoint when the PSU comes back;</li>
 *   <li>{@code scaStatus} with none of the above: decoupled, the PSU approves in the bank's app.</li>
 * </ul>
 * Embedded SCA ({@code updatePsuAuthentication}, {@code selectAuthenticationMethod}) is refused: it would take the
 * PSU's bank credentials through the TPP.
 */
final class BgAuthorisation {

    /** Profile quirk: {@code true} asks the bank for an explicit start ({@code TPP-Explicit-Authorisation-Preferred}). */
    static final String EXPLICIT = "explicit_start";
    /** Profile quirk: the OAuth2 {@code client_id} (the TPP's id at the bank's authorisation server). */
    static final String CLIENT_ID = "oauth.client_id";
    /** Profile quirk: the header that carries the requesting app's display name, URL-encoded (the sandbox bank shows it). */
    static final String APP_HEADER = "header.requesting_app";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final BgHttp http;
    private final BgJson json;
    private final BankProfile profile;

    BgAuthorisation(BgHttp http, BgJson json, BankProfile profile) {
        this.http = http;
        this.json = json;
        this.profile = profile;
    }

    /** The headers of a consent or payment creation: redirect URIs and the profile's preferred approach. */
    Map<String, String> headers(Psu.Redirects redirects) {
        Map<String, String> h = new LinkedHashMap<>();
        BankProfile.ScaApproach approach = profile.scaApproach();
        h.put("TPP-Redirect-Preferred", Boolean.toString(approach != BankProfile.ScaApproach.DECOUPLED));
        if (approach == BankProfile.ScaApproach.DECOUPLED) {
            h.put("TPP-Decoupled-Preferred", "true");
        }
        if (Boolean.parseBoolean(profile.quirks().getOrDefault(EXPLICIT, "false"))) {
            h.put("TPP-Explicit-Authorisation-Preferred", "true");
        }
        h.put("TPP-Redirect-URI", redirects.ok().toString());
        h.put("TPP-Nok-Redirect-URI", redirects.nok().toString());
        String appHeader = profile.quirks().get(APP_HEADER);
        if (appHeader != null && redirects.requestingApp() != null) {
            // URL-encoded UTF-8: header values are ASCII, app names need not be
            h.put(appHeader, BgAccountInformation.enc(redirects.requestingApp()));
        }
        return h;
    }

    /**
     * How the PSU authorises the resource the bank just created ({@code answer}).
     *
     * @param scope the OAuth2 scope of the resource ({@code AIS:<consentId>} or {@code PIS:<paymentId>})
     */
    Authorisation of(JsonNode answer, String scope, Psu psu, Psu.Redirects redirects) {
        JsonNode links = answer.path("_links");
        String start = BgJson.optional(links.get("startAuthorisation"), "href");
        if (start == null) {
            start = BgJson.optional(links.get("startAuthorisationWithPsuIdentification"), "href");
        }
        if (start != null && href(links, "scaRedirect") == null && href(links, "scaOAuth") == null) {
            JsonNode started = http.post(start, headers(redirects), Map.of(), psu).body();
            json.required(started, "authorisationId", "authorisation");
            return chosen(started, started.path("_links"), scope, redirects);
        }
        return chosen(answer, links, scope, redirects);
    }

    private Authorisation chosen(JsonNode answer, JsonNode links, String scope, Psu.Redirects redirects) {
        String redirect = href(links, "scaRedirect");
        if (redirect != null) {
            return new Authorisation.Redirect(URI.create(redirect));
        }
        String oauth = href(links, "scaOAuth");
        if (oauth != null) {
            return oauth(oauth, scope, redirects);
        }
        if (href(links, "updatePsuAuthentication") != null || href(links, "startAuthorisationWithPsuAuthentication") != null
                || href(links, "selectAuthenticationMethod") != null) {
            throw json.invalid("_links.scaRedirect, scaOAuth or a decoupled scaStatus (embedded SCA is not supported: "
                    + "it would take the PSU's bank credentials through the TPP)");
        }
        if (href(links, "scaStatus") != null) {
            return new Authorisation.Decoupled(BgJson.optional(answer, "psuMessage"));
        }
        throw json.invalid("_links.scaRedirect, startAuthorisation, scaOAuth or scaStatus");
    }

    private static String href(JsonNode links, String name) {
        return BgJson.optional(links.get(name), "href");
    }

    /** OAuth2 SCA: the authorization URL (code flow, PKCE S256) and the continuation needed for the code exchange. */
    private Authorisation oauth(String metadataUrl, String scope, Psu.Redirects redirects) {
        JsonNode meta = http.get(metadataUrl, Map.of(), Psu.UNATTENDED).body();
        String authorize = json.required(meta, "authorization_endpoint", "OAuth2 server metadata");
        String token = json.required(meta, "token_endpoint", "OAuth2 server metadata");
        String verifier = random();
        String state = redirects.state() != null ? redirects.state() : random();
        String redirectUri = redirects.state() != null ? redirects.okWithoutState().toString() : redirects.ok().toString();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId());
        q.put("scope", scope);
        q.put("state", state);
        q.put("redirect_uri", redirectUri);
        q.put("code_challenge", challenge(verifier));
        q.put("code_challenge_method", "S256");
        StringBuilder query = new StringBuilder();
        q.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(BgAccountInformation.enc(k)).append('=')
                .append(BgAccountInformation.enc(v)));
        URI url = URI.create(authorize + (authorize.contains("?") ? "&" : "?") + query);
        String continuation = BgHttp.JSON.writeValueAsString(Map.of("token_endpoint", token, "code_verifier", verifier,
                "redirect_uri", redirectUri));
        return new Authorisation.Redirect(url, continuation);
    }

    /**
     * The PSU came back from the bank's authorisation server: an {@code error} is a denial, a {@code code} is
     * exchanged for a token (which proves the authorisation to the bank).
     */
    void complete(String continuation, Map<String, String> callback, Psu psu) {
        if (callback.get("error") != null) {
            throw new BankException.ScaFailed(profile.id() + ": the authorisation server answered " + callback.get("error"), 0,
                    callback.get("error"));
        }
        String code = callback.get("code");
        if (code == null || code.isBlank()) {
            throw new BankException.ScaFailed(profile.id() + ": the authorisation server sent no code", 0, null);
        }
        JsonNode c = BgHttp.JSON.readTree(continuation);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", c.path("redirect_uri").asString());
        form.put("client_id", clientId());
        form.put("code_verifier", c.path("code_verifier").asString());
        JsonNode token;
        try {
            token = http.postForm(c.path("token_endpoint").asString(), form, psu).body();
        } catch (BankException.BadRequest e) {
            throw new BankException.ScaFailed(profile.id() + ": the authorization code was refused: " + e.getMessage(),
                    e.httpStatus(), e.bankCode().orElse(null));
        }
        json.required(token, "access_token", "OAuth2 token");
    }

    private String clientId() {
        return profile.quirks().getOrDefault(CLIENT_ID, "openfinq");
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String challenge(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
