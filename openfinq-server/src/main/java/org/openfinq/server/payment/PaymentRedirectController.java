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
import java.time.Duration;
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

    @GetMapping("/v1/redirects/pisp")
    @Operation(summary = "Bank redirect receiver (PIS)", description = "Answers 302 to the psu_redirect_link with payment_id and "
            + "status, or with error=tpp_redirect_error, message and payment_id.")
    @ApiDoc(status = 302, errors = "tpp_redirect_error")
    public ResponseEntity<Void> pisp(@RequestParam(required = false) String state, @RequestParam(required = false) String result,
                                     HttpServletRequest request) {
        String location = tx.execute(status -> {
            Instant now = clock.instant();
            SessionStore.Redirect r = BankRedirect.claim(sessions, state, "payment", now);
            SessionStore.Session s = sessions.lock(r.sessionId()).orElseThrow();
            PaymentStore.Payment p = payments.bySession(s.id()).orElseThrow();
            String bankStatus;
            try {
                bankStatus = connectors.forServicer(catalog.servicer(p.servicerId()).orElseThrow()).paymentInitiation()
                        .status(p.product(), cipher.decryptString(r.bankReference(), "session:" + s.id()), Psu.present(request.getRemoteAddr()));
            } catch (BankException e) {
                bankStatus = p.bankStatus();
            }
            boolean denied = !"ok".equals(result);
            String lifecycle = denied && bankStatus.equals("RCVD") ? "rejected" : PaymentLifecycle.of(bankStatus, !denied);
            payments.status(p.id(), lifecycle, bankStatus, now, now.plus(Duration.ofSeconds(2)));
            if (lifecycle.equals("rejected") || lifecycle.equals("cancelled")) {
                sessions.fail(s.id(), "tpp_redirect_error", "The payment was " + lifecycle, now);
                Map<String, String> q = new LinkedHashMap<>();
                q.put("error", "tpp_redirect_error");
                q.put("message", denied ? "The end-user did not authorise the payment, or the bank rejected it" : "The bank rejected the payment");
                q.put("payment_id", p.id().toString());
                return PublicUrl.withQuery(r.psuRedirectLink(), q);
            }
            sessions.update(s.id(), "SESSION_COMPLETED", s.nextOrder(), null, now, s.expiresAt());
            Map<String, String> q = new LinkedHashMap<>();
            q.put("payment_id", p.id().toString());
            q.put("status", lifecycle);
            return PublicUrl.withQuery(r.psuRedirectLink(), q);
        });
        return BankRedirect.found(location);
    }
}
