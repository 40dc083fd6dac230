package org.openfinq.server.onboarding;

import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.openfinq.server.web.PublicUrl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The round trip through the bank's SCA pages: where the bank sends the browser back (a receiver URL with a
 * single-use state, for success and for failure), the documented SCA link answered to the tenant, and the
 * receiving end's claim of the state.
 *
 * @param state the plain state (only its hash is stored)
 */
public record BankRedirect(String state, URI ok, URI nok) {

    /** A fresh state and the receiver's ok and nok URIs. */
    public static BankRedirect to(String receiver) {
        String state = Secrets.newSecret();
        return new BankRedirect(state, URI.create(PublicUrl.withQuery(receiver, params(state, "ok"))),
                URI.create(PublicUrl.withQuery(receiver, params(state, "nok"))));
    }

    private static Map<String, String> params(String state, String result) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("result", result);
        return m;
    }

    /** The documented SCA link: open {@code url} in a web view or page. */
    public static ObjectNode scaLink(URI bankPage) {
        ObjectNode data = JsonBody.newObject();
        data.putObject("headers").put("Content-Type", "application/x-www-form-urlencoded");
        data.put("method", "GET");
        data.put("url", bankPage.toString());
        return data;
    }

    /**
     * The documented answer of a decoupled authorisation: the end-user confirms in the bank's app; the tenant
     * follows the outcome with {@code POST /v1/sessions/{id}/status}.
     */
    public static ObjectNode decoupled(String psuMessage, UUID sessionId) {
        ObjectNode data = JsonBody.newObject();
        data.put("sca_approach", "decoupled");
        data.put("message", psuMessage == null || psuMessage.isBlank() ? "Confirm in your bank's app" : psuMessage);
        data.put("status_url", "/v1/sessions/" + sessionId + "/status");
        return data;
    }

    /**
     * A bank that authorises in its own app (decoupled) must know whom to ask: without {@code psu_id} the step is
     * refused before the bank is called.
     */
    public static void requirePsuIdIfDecoupled(org.openfinq.connector.BankProfile profile, String psuId) {
        if (profile.scaApproach() == org.openfinq.connector.BankProfile.ScaApproach.DECOUPLED && (psuId == null || psuId.isBlank())) {
            throw ApiException.invalidField("data.psu_id", "is required: this bank asks the end-user to confirm in its app "
                    + "and needs their login at the bank");
        }
    }

    /**
     * Takes the state a browser brought back: it must exist for this kind of redirect and not have been used.
     * Unknown or used states are 400 {@code tpp_redirect_error} (there is no app to send the browser to).
     */
    public static SessionStore.Redirect claim(SessionStore sessions, String state, String kind, Instant now) {
        if (state == null || state.isBlank()) {
            throw ApiException.invalid("tpp_redirect_error", "The redirect has no state");
        }
        String hash = Secrets.hash(state);
        SessionStore.Redirect r = sessions.lockRedirect(hash).filter(x -> x.kind().equals(kind))
                .orElseThrow(() -> ApiException.invalid("tpp_redirect_error", "Unknown redirect state"));
        if (r.usedAt() != null) {
            throw ApiException.invalid("tpp_redirect_error", "This redirect was already used");
        }
        sessions.useRedirect(hash, now);
        return r;
    }

    /** The 302 that sends the browser on. */
    public static ResponseEntity<Void> found(String location) {
        return ResponseEntity.status(302).header(HttpHeaders.LOCATION, location).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
