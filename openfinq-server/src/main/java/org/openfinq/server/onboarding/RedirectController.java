package org.openfinq.server.onboarding;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.openfinq.connector.BankException;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Psu;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.PublicUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where banks send the end-user's browser after SCA ({@code /v1/redirects/aisp}). It claims the single-use
 * state (committed), confirms the consent at the bank with no database connection held, then completes the
 * session if it still waits for the bank and sends the browser to the tenant's
 * {@code psu_redirect_link} with {@code temp_token}, or with {@code error=tpp_redirect_error}.
 */
@RestController
@Tag(name = "Sessions")
public class RedirectController {

    private static final Logger log = LoggerFactory.getLogger(RedirectController.class);

    private final SessionStore sessions;
    private final Completion completion;
    private final Connectors connectors;
    private final Catalog catalog;
    private final DataCipher cipher;
    private final TransactionTemplate tx;
    private final Clock clock;

    public RedirectController(SessionStore sessions, Completion completion, Connectors connectors, Catalog catalog,
                              DataCipher cipher, TransactionTemplate tx, Clock clock) {
        this.sessions = sessions;
        this.completion = completion;
        this.connectors = connectors;
        this.catalog = catalog;
        this.cipher = cipher;
        this.tx = tx;
        this.clock = clock;
    }

    /** A claimed redirect: its session as it was, and the answer if it is already decided. */
    private record Claimed(SessionStore.Redirect redirect, SessionStore.Session session, String done) {
    }

    @GetMapping("/v1/redirects/aisp")
    @Operation(summary = "Bank redirect receiver (AIS)", description = "Browsers arrive here from the bank. Answers 302 to the "
            + "psu_redirect_link with temp_token, or with error=tpp_redirect_error and message.")
    @ApiDoc(status = 302, errors = "tpp_redirect_error")
    public ResponseEntity<Void> aisp(@RequestParam(required = false) String state, @RequestParam(required = false) String result,
                                     HttpServletRequest request) {
        // 1. claim the redirect (single use) and check the session; committed before the bank is called
        Claimed c = tx.execute(status -> {
            Instant now = clock.instant();
            SessionStore.Redirect r = BankRedirect.claim(sessions, state, "consent", now);
            SessionStore.Session s = sessions.lock(r.sessionId()).orElseThrow();
            if (!s.open() || !"bank".equals(s.awaiting()) || !now.isBefore(s.expiresAt())) {
                return new Claimed(r, s, error(r, s.open() ? "The session expired before the end-user came back" : "The session is " + s.status()));
            }
            if (!"ok".equals(result) || request.getParameter("error") != null) {
                return new Claimed(r, s, fail(s, r, "The end-user denied or did not complete the authorisation at the bank", now));
            }
            return new Claimed(r, s, null);
        });
        if (c.done() != null) {
            return BankRedirect.found(c.done());
        }
        // 2. confirm the consent at the bank with no connection held
        SessionStore.Session claimed = c.session();
        Servicer servicer = catalog.servicer(catalog.skill(claimed.skill()).orElseThrow().servicerId()).orElseThrow();
        String bankConsentId = cipher.decryptString(c.redirect().bankReference(), "session:" + claimed.id());
        ConsentStatus bankStatus;
        String problem = null;
        try {
            if (c.redirect().continuation() != null) {
                // e.g. an OAuth2 authorization code exchanged at the bank's token endpoint
                connectors.forServicer(servicer).accountInformation().completeRedirect(bankConsentId,
                        cipher.decryptString(c.redirect().continuation(), "session:" + claimed.id()), callback(request),
                        Psu.present(request.getRemoteAddr()));
            }
            bankStatus = connectors.forServicer(servicer).accountInformation()
                    .consentStatus(bankConsentId, Psu.present(request.getRemoteAddr()));
            if (bankStatus != ConsentStatus.VALID) {
                problem = "The bank reports the consent as " + bankStatus.code();
            }
        } catch (BankException e) {
            log.warn("Confirming consent of session {} at {} failed: {}", claimed.id(), servicer.name(), e.getMessage());
            problem = e instanceof BankException.ScaFailed ? "The end-user denied or did not complete the authorisation at the bank"
                    : "The bank could not confirm the consent";
        }
        // 3. complete (or fail) the session if it still waits for this redirect
        String failure = problem;
        String location = tx.execute(status -> {
            Instant now = clock.instant();
            SessionStore.Redirect r = c.redirect();
            SessionStore.Session s = sessions.lock(r.sessionId()).orElseThrow();
            if (!s.open() || !"bank".equals(s.awaiting()) || !now.isBefore(s.expiresAt())) {
                return error(r, s.open() ? "The session expired before the end-user came back" : "The session is " + s.status());
            }
            if (failure != null) {
                return fail(s, r, failure, now);
            }
            UUID consentId = completion.createConsent(s, servicer, bankConsentId, request.getRemoteAddr());
            Completion.Done done = completion.finish(s, consentId);
            return PublicUrl.withQuery(r.psuRedirectLink(), Map.of("temp_token", done.tempToken()));
        });
        return BankRedirect.found(location);
    }

    /** The query parameters the browser brought back from the bank, for the connector. */
    public static Map<String, String> callback(HttpServletRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (v.length > 0) {
                out.put(k, v[0]);
            }
        });
        return out;
    }

    private String fail(SessionStore.Session s, SessionStore.Redirect r, String message, Instant now) {
        sessions.fail(s.id(), "tpp_redirect_error", message, now);
        return error(r, message);
    }

    private static String error(SessionStore.Redirect r, String message) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", "tpp_redirect_error");
        params.put("message", message);
        params.put("session_id", r.sessionId().toString());
        return PublicUrl.withQuery(r.psuRedirectLink(), params);
    }
}
