package org.openfinq.sandboxbank.sca;

import org.openfinq.sandboxbank.SandboxState;
import org.openfinq.sandboxbank.consent.Consent;
import org.openfinq.sandboxbank.consent.ConsentResource;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxPsu;
import org.openfinq.sandboxbank.http.BankError;
import org.openfinq.sandboxbank.http.Exchange;
import org.openfinq.sandboxbank.http.Router;
import org.openfinq.sandboxbank.payment.Payment;
import org.openfinq.sandboxbank.payment.PaymentResource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sandbox-only API ({@code /sandbox/v1}) to decide SCA without a browser, for headless demos and tests, and to
 * list the sandbox customers. Real banks have nothing like it.
 */
public final class AutomationResource {

    private final SandboxState state;
    private final ConsentResource consents;
    private final PaymentResource payments;

    public AutomationResource(SandboxState state, ConsentResource consents, PaymentResource payments) {
        this.state = state;
        this.consents = consents;
        this.payments = payments;
    }

    public void register(Router router) {
        router.route("POST", "/sandbox/v1/consents/([^/]+)/authorise", this::consent)
                .route("POST", "/sandbox/v1/payments/([^/]+)/authorise", this::payment)
                .route("GET", "/sandbox/v1/psus", this::psus)
                .route("GET", "/sandbox/v1/psus/([^/]+)/pending", this::pending)
                .route("GET", "/sandbox/v1/payments", ex -> ex.json(200, Map.of("count", state.paymentCount())))
                .route("GET", "/sandbox/v1/consents/([^/]+)/unattended-accesses",
                        ex -> ex.json(200, Map.of("accesses", state.unattendedAccesses(ex.pathParam(1)))))
                .route("GET", "/sandbox/health", ex -> ex.json(200, Map.of("status", "UP")));
    }

    private SandboxPsu psu(JsonNode body) {
        String id = body.path("psuId").asString("");
        return state.data().psu(id).orElseThrow(() -> new BankError(401, "PSU_CREDENTIALS_INVALID", "Unknown PSU " + id));
    }

    private void consent(Exchange ex) {
        JsonNode body = ex.json();
        Consent c = state.consent(ex.pathParam(1)).orElseThrow(() -> new BankError(403, "CONSENT_UNKNOWN", "Unknown consent"));
        SandboxPsu psu = psu(body);
        boolean approve = body.path("approve").asBoolean(true);
        List<String> picked = new ArrayList<>();
        JsonNode ibans = body.get("accounts");
        for (SandboxAccount a : psu.accounts()) {
            if (ibans == null || !ibans.isArray() || ibans.valueStream().anyMatch(n -> n.asString().equals(a.iban()))) {
                picked.add(a.resourceId());
            }
        }
        ex.json(200, Map.of("consentStatus", consents.decide(c, psu, approve, picked).status()));
    }

    private void payment(Exchange ex) {
        JsonNode body = ex.json();
        Payment p = state.payment(ex.pathParam(1)).orElseThrow(() -> BankError.unknownResource("Unknown payment"));
        ex.json(200, Map.of("transactionStatus", payments.decide(p, psu(body), body.path("approve").asBoolean(true)).status()));
    }

    /**
     * What the PSU's banking app shows for decoupled SCA: the consents and payments waiting for the PSU's approval
     * (decide them with {@code POST .../authorise}).
     */
    private void pending(Exchange ex) {
        List<Map<String, Object>> consentsOut = new ArrayList<>();
        List<Map<String, Object>> paymentsOut = new ArrayList<>();
        for (Object o : state.pending(ex.pathParam(1))) {
            if (o instanceof Consent c) {
                consentsOut.add(Map.of("consentId", c.id(), "app", state.requestingApp(c.id()).orElse("")));
            } else if (o instanceof Payment p) {
                paymentsOut.add(Map.of("paymentId", p.id(), "app", state.requestingApp(p.id()).orElse(""),
                        "instructedAmount", Map.of("currency", p.currency(), "amount", p.amount().toPlainString()),
                        "creditorName", p.creditorName()));
            }
        }
        ex.json(200, Map.of("consents", consentsOut, "payments", paymentsOut));
    }

    private void psus(Exchange ex) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SandboxPsu p : state.data().psus()) {
            out.add(Map.of("psuId", p.id(), "name", p.name(), "accounts",
                    p.accounts().stream().map(a -> Map.of("iban", a.iban(), "currency", a.currency(), "name", a.name())).toList()));
        }
        ex.json(200, Map.of("psus", out));
    }
}
