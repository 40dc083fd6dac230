package org.openfinq.server.payment;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.openfinq.connector.BankException;
import org.openfinq.connector.Psu;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.onboarding.BankRedirect;
import org.openfinq.server.onboarding.SessionStore;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.PublicUrl;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where banks send the end-user after authorising a payment ({@code /v1/redirects/pisp}): the payment's
 * status is read at the bank and the browser goes to {@code psu_redirect_link} with {@code payment_id} and
 * {@code status}, or with {@code error=tpp_redirect_error} when the payment was refused or rejected.
 */
@RestController
@Tag(name = "Payments")
public class PaymentRedirectController {

    private final SessionStore sessions;
    private final PaymentStore payments;
    private final Connectors connectors;
    private final Catalog catalog;
    private final DataCipher cipher;
    private final TransactionTemplate tx;
    private final Clock clock;

    public PaymentRedirectController(SessionStore sessions, PaymentStore payments, Connectors connectors, Catalog catalog,
                                     DataCipher cipher, TransactionTemplate tx, Clock clock) {
        this.sessions = sessions;
        this.payments = payments;
        this.connectors = connectors;
        this.catalog = catalog;
        this.cipher = cipher;
        this.tx = tx;
        this.clock = clock;
    }

    private record Claimed(SessionStore.Redirect redirect, SessionStore.Session session, PaymentStore.Payment payment) {
    }

    @GetMapping("/v1/redirects/pisp")
    @Operation(summary = "Bank redirect receiver (PIS)", description = "Answers 302 to the psu_redirect_link with payment_id and "
            + "status, or with error=tpp_redirect_error, message and payment_id.")
    @ApiDoc(status = 302, errors = "tpp_redirect_error")
    public ResponseEntity<Void> pisp(@RequestParam(required = false) String state, @RequestParam(required = false) String result,
                                     HttpServletRequest request) {
        // 1. claim the redirect (single use) and read the payment; committed before the bank is called
        Claimed c = tx.execute(status -> {
            Instant now = clock.instant();
            SessionStore.Redirect r = BankRedirect.claim(sessions, state, "payment", now);
            SessionStore.Session s = sessions.find(r.sessionId()).orElseThrow();
            return new Claimed(r, s, payments.bySession(s.id()).orElseThrow());
        });
        // 2. read the status at the bank with no connection held
        PaymentStore.Payment p = c.payment();
        String read;
        boolean scaFailed = false;
        try {
            if (c.redirect().continuation() != null && "ok".equals(result) && request.getParameter("error") == null) {
                // e.g. an OAuth2 authorization code exchanged at the bank's token endpoint
                connectors.forServicer(catalog.servicer(p.servicerId()).orElseThrow()).paymentInitiation().completeRedirect(
                        cipher.decryptString(c.redirect().bankReference(), "session:" + c.session().id()),
                        cipher.decryptString(c.redirect().continuation(), "session:" + c.session().id()),
                        org.openfinq.server.onboarding.RedirectController.callback(request), Psu.present(request.getRemoteAddr()));
            }
        } catch (BankException.ScaFailed e) {
            scaFailed = true;
        } catch (BankException e) {
            // the status read below tells what the bank decided
        }
        try {
            read = connectors.forServicer(catalog.servicer(p.servicerId()).orElseThrow()).paymentInitiation()
                    .status(p.product(), cipher.decryptString(c.redirect().bankReference(), "session:" + c.session().id()),
                            Psu.present(request.getRemoteAddr()));
        } catch (BankException e) {
            read = p.bankStatus();
        }
        String bankStatus = read;
        // 3. record it unless the payment moved on meanwhile (a poll); the browser is told the recorded status
        boolean denied = !"ok".equals(result) || request.getParameter("error") != null || scaFailed;
        String lifecycle = denied && bankStatus.equals("RCVD") ? "rejected" : PaymentLifecycle.of(bankStatus, !denied);
        String location = tx.execute(status -> {
            Instant now = clock.instant();
            SessionStore.Redirect r = c.redirect();
            SessionStore.Session s = sessions.lock(r.sessionId()).orElseThrow();
            String recorded = lifecycle;
            if (!payments.status(p.id(), p.polls(), lifecycle, bankStatus, now, now.plus(PaymentLifecycle.firstPoll()))) {
                recorded = payments.find(p.id()).orElseThrow().status();
            }
            if (recorded.equals("rejected") || recorded.equals("cancelled")) {
                if (s.open()) {
                    sessions.fail(s.id(), "tpp_redirect_error", "The payment was " + recorded, now);
                }
                Map<String, String> q = new LinkedHashMap<>();
                q.put("error", "tpp_redirect_error");
                q.put("message", denied ? "The end-user did not authorise the payment, or the bank rejected it" : "The bank rejected the payment");
                q.put("payment_id", p.id().toString());
                return PublicUrl.withQuery(r.psuRedirectLink(), q);
            }
            if (s.open()) {
                sessions.update(s.id(), "SESSION_COMPLETED", s.nextOrder(), null, now, s.expiresAt());
            }
            Map<String, String> q = new LinkedHashMap<>();
            q.put("payment_id", p.id().toString());
            q.put("status", recorded);
            return PublicUrl.withQuery(r.psuRedirectLink(), q);
        });
        return BankRedirect.found(location);
    }
}
