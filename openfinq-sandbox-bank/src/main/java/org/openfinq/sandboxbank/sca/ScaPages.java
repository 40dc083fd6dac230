package org.openfinq.sandboxbank.sca;

import org.openfinq.sandboxbank.SandboxState;
import org.openfinq.sandboxbank.consent.Consent;
import org.openfinq.sandboxbank.consent.ConsentResource;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.sandboxbank.data.SandboxPsu;
import org.openfinq.sandboxbank.http.BankError;
import org.openfinq.sandboxbank.http.Exchange;
import org.openfinq.sandboxbank.http.Router;
import org.openfinq.sandboxbank.payment.Payment;
import org.openfinq.sandboxbank.payment.PaymentResource;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.sandboxbank.http.Checks.html;

/**
 * The bank's own SCA pages, as a browser sees them: a login form, then a page to pick accounts (consents) or
 * review the payment, with Approve and Deny. The decision redirects to the TPP's ok or nok URI.
 */
public final class ScaPages {

    private final SandboxState state;
    private final ConsentResource consents;
    private final PaymentResource payments;

    public ScaPages(SandboxState state, ConsentResource consents, PaymentResource payments) {
        this.state = state;
        this.consents = consents;
        this.payments = payments;
    }

    public void register(Router router) {
        router.route("GET", "/sca/consents/([^/]+)", ex -> login(ex, "consents", consent(ex).psuId(), null))
                .route("POST", "/sca/consents/([^/]+)/login", this::consentLogin)
                .route("POST", "/sca/consents/([^/]+)/decision", this::consentDecision)
                .route("GET", "/sca/payments/([^/]+)", ex -> login(ex, "payments", payment(ex).psuId(), null))
                .route("POST", "/sca/payments/([^/]+)/login", this::paymentLogin)
                .route("POST", "/sca/payments/([^/]+)/decision", this::paymentDecision)
                .route("GET", "/app", ex -> appLogin(ex, null))
                .route("POST", "/app/login", this::appList)
                .route("POST", "/app/decision", this::appDecision);
    }

    /** Logged-in sessions of the banking app: ticket to PSU id (in memory, like everything in the sandbox). */
    private final java.util.Map<String, String> appTickets = new java.util.concurrent.ConcurrentHashMap<>();

    /** The bank's own app, for decoupled SCA: log in, then approve or deny what waits for you. */
    private static void appLogin(Exchange ex, String error) {
        ex.html(200, page("Banking app", (error == null ? "" : "<p class=\"error\">" + html(error) + "</p>")
                + "<form method=\"post\" action=\"/app/login\">"
                + "<label>User <input name=\"psu_id\" autocomplete=\"username\"></label>"
                + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>"
                + "<button name=\"action\" value=\"login\">Log in</button></form>"));
    }

    private void appList(Exchange ex) {
        Optional<SandboxPsu> psu = authenticate(ex.form());
        if (psu.isEmpty()) {
            appLogin(ex, "Wrong user or password");
            return;
        }
        String ticket = UUID.randomUUID().toString();
        appTickets.put(ticket, psu.get().id());
        appPage(ex, psu.get().id(), ticket, null);
    }

    private void appPage(Exchange ex, String psuId, String ticket, String notice) {
        StringBuilder items = new StringBuilder();
        for (Object o : state.pending(psuId)) {
            String kind;
            String id;
            String what;
            if (o instanceof Consent c) {
                kind = "consents";
                id = c.id();
                what = asker(c.id()) + " asks to read your account information until " + c.validUntil() + ".";
            } else {
                Payment p = (Payment) o;
                kind = "payments";
                id = p.id();
                what = asker(p.id()) + " asks you to pay <strong>" + p.amount().toPlainString() + " " + p.currency()
                        + "</strong> to " + html(p.creditorName()) + " from " + p.debtorIban() + ".";
            }
            items.append("<li><p>").append(what).append("</p><form method=\"post\" action=\"/app/decision\">")
                    .append("<input type=\"hidden\" name=\"ticket\" value=\"").append(ticket).append("\">")
                    .append("<input type=\"hidden\" name=\"kind\" value=\"").append(kind).append("\">")
                    .append("<input type=\"hidden\" name=\"id\" value=\"").append(html(id)).append("\">")
                    .append("<button name=\"decision\" value=\"approve\">Approve</button>")
                    .append("<button name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form></li>");
        }
        ex.html(200, page("Waiting for you", (notice == null ? "" : "<p>" + html(notice) + "</p>")
                + (items.isEmpty() ? "<p>Nothing waits for your approval.</p>" : "<ul>" + items + "</ul>")
                + "<form method=\"post\" action=\"/app/decision\"><input type=\"hidden\" name=\"ticket\" value=\""
                + ticket + "\"><button name=\"decision\" value=\"refresh\" class=\"secondary\">Refresh</button></form>"));
    }

    private void appDecision(Exchange ex) {
        Map<String, String> form = ex.form();
        String psuId = form.get("ticket") == null ? null : appTickets.get(form.get("ticket"));
        if (psuId == null) {
            throw new BankError(401, "PSU_CREDENTIALS_INVALID", "Log in first");
        }
        String decision = form.getOrDefault("decision", "refresh");
        if (decision.equals("refresh")) {
            appPage(ex, psuId, form.get("ticket"), null);
            return;
        }
        boolean approve = decision.equals("approve");
        SandboxPsu psu = state.data().psu(psuId).orElseThrow();
        String id = form.getOrDefault("id", "");
        boolean pending = state.pending(psuId).stream().anyMatch(o -> o instanceof Consent c ? c.id().equals(id) : ((Payment) o).id().equals(id));
        if (!pending) {
            throw BankError.format("Nothing of yours waits with id " + id);
        }
        String notice;
        if ("consents".equals(form.get("kind"))) {
            Consent c = state.consent(id).orElseThrow();
            notice = "The access is " + consents.decide(c, psu, approve, psu.accounts().stream().map(SandboxAccount::resourceId).toList()).status() + ".";
        } else {
            notice = "The payment is " + payments.decide(state.payment(id).orElseThrow(), psu, approve).status() + ".";
        }
        appPage(ex, psuId, form.get("ticket"), notice);
    }

    private Consent consent(Exchange ex) {
        Consent c = state.consent(ex.pathParam(1)).orElseThrow(() -> BankError.unknownResource("Unknown consent"));
        if (!c.status().equals("received")) {
            throw BankError.format("This consent is already " + c.status());
        }
        return c;
    }

    private Payment payment(Exchange ex) {
        Payment p = state.payment(ex.pathParam(1)).orElseThrow(() -> BankError.unknownResource("Unknown payment"));
        if (!p.status().equals("RCVD")) {
            throw BankError.format("This payment is already " + p.status());
        }
        return p;
    }

    private static void login(Exchange ex, String kind, String psuId, String error) {
        String id = html(ex.pathParam(1));
        ex.html(200, page("Log in", (error == null ? "" : "<p class=\"error\">" + html(error) + "</p>")
                + "<form method=\"post\" action=\"/sca/" + kind + "/" + id + "/login\">"
                + "<label>User <input name=\"psu_id\" value=\"" + html(psuId) + "\" autocomplete=\"username\"></label>"
                + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>"
                + "<button name=\"action\" value=\"login\">Log in</button>"
                + "<button name=\"action\" value=\"cancel\" class=\"secondary\">Cancel</button></form>"
                + "<p class=\"hint\">Sandbox customers: alice, bogdan, carmen, bigcorp; password <code>"
                + SandboxData.PASSWORD + "</code>.</p>"));
    }

    /** The PSU whose credentials were posted, or empty (the login page is shown again). */
    private Optional<SandboxPsu> authenticate(Map<String, String> form) {
        if (!SandboxData.PASSWORD.equals(form.get("password"))) {
            return Optional.empty();
        }
        return state.data().psu(form.getOrDefault("psu_id", ""));
    }

    private void consentLogin(Exchange ex) {
        Consent c = consent(ex);
        Map<String, String> form = ex.form();
        if ("cancel".equals(form.get("action"))) {
            ex.redirect(consents.decide(c, null, false, java.util.List.of()).redirectNok());
            return;
        }
        Optional<SandboxPsu> psu = authenticate(form);
        if (psu.isEmpty()) {
            login(ex, "consents", form.get("psu_id"), "Wrong user or password");
            return;
        }
        String ticket = UUID.randomUUID().toString();
        state.put(c.withLogin(psu.get().id(), ticket));
        StringBuilder rows = new StringBuilder();
        for (SandboxAccount a : psu.get().accounts()) {
            boolean requested = c.requestedIbans().isEmpty() || c.requestedIbans().contains(a.iban());
            if (!requested) {
                continue;
            }
            rows.append("<li><label><input type=\"checkbox\" name=\"account\" value=\"").append(a.resourceId())
                    .append("\" checked").append(c.requestedIbans().isEmpty() ? "" : " disabled").append("> ")
                    .append(html(a.name())).append(" — ").append(a.iban()).append(" (").append(a.currency())
                    .append(")</label></li>");
        }
        ex.html(200, page("Share account information", "<p>" + asker(c.id()) + " asks to read your account information "
                + "until " + c.validUntil() + ".</p>"
                + "<form method=\"post\" action=\"/sca/consents/" + html(c.id()) + "/decision\">"
                + "<input type=\"hidden\" name=\"ticket\" value=\"" + ticket + "\"><ul>" + rows + "</ul>"
                + "<button name=\"decision\" value=\"approve\">Approve</button>"
                + "<button name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>"));
    }

    private void consentDecision(Exchange ex) {
        Consent c = consent(ex);
        Map<String, String> form = ex.form();
        if (c.loginTicket() == null || !c.loginTicket().equals(form.get("ticket"))) {
            throw new BankError(401, "PSU_CREDENTIALS_INVALID", "Log in first");
        }
        SandboxPsu psu = state.data().psu(c.psuId()).orElseThrow();
        boolean approve = "approve".equals(form.get("decision"));
        java.util.List<String> picked = c.requestedIbans().isEmpty() ? ex.formAll("account")
                : psu.accounts().stream().map(SandboxAccount::resourceId).toList();
        Consent decided = consents.decide(c, psu, approve, picked);
        ex.redirect(approve ? decided.redirectOk() : decided.redirectNok());
    }

    private void paymentLogin(Exchange ex) {
        Payment p = payment(ex);
        Map<String, String> form = ex.form();
        if ("cancel".equals(form.get("action"))) {
            ex.redirect(payments.decide(p, null, false).redirectNok());
            return;
        }
        Optional<SandboxPsu> psu = authenticate(form);
        if (psu.isEmpty()) {
            login(ex, "payments", form.get("psu_id"), "Wrong user or password");
            return;
        }
        String ticket = UUID.randomUUID().toString();
        state.put(p.withLogin(psu.get().id(), ticket));
        ex.html(200, page("Confirm payment", "<p>" + asker(p.id()) + " asks you to confirm a payment.</p><p>Pay <strong>" + p.amount().toPlainString() + " " + p.currency()
                + "</strong> to " + html(p.creditorName()) + " (" + p.creditorIban() + ") from " + p.debtorIban() + ".</p>"
                + (p.remittance() == null ? "" : "<p>Reference: " + html(p.remittance()) + "</p>")
                + "<form method=\"post\" action=\"/sca/payments/" + html(p.id()) + "/decision\">"
                + "<input type=\"hidden\" name=\"ticket\" value=\"" + ticket + "\">"
                + "<button name=\"decision\" value=\"approve\">Approve</button>"
                + "<button name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>"));
    }

    private void paymentDecision(Exchange ex) {
        Payment p = payment(ex);
        Map<String, String> form = ex.form();
        if (p.loginTicket() == null || !p.loginTicket().equals(form.get("ticket"))) {
            throw new BankError(401, "PSU_CREDENTIALS_INVALID", "Log in first");
        }
        SandboxPsu psu = state.data().psu(p.psuId()).orElseThrow();
        Payment decided = payments.decide(p, psu, "approve".equals(form.get("decision")));
        ex.redirect(decided.status().equals("RJCT") ? decided.redirectNok() : decided.redirectOk());
    }

    /** The app that asked, as the TPP named it (real banks show the TPP's name from its eIDAS certificate). */
    private String asker(String resourceId) {
        return state.requestingApp(resourceId).map(a -> "<strong class=\"app\">" + html(a) + "</strong>").orElse("A third party");
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html(title)
                + " — openfinq Sandbox Bank</title><meta name=\"viewport\" content=\"width=device-width\"><style>"
                + "*{box-sizing:border-box}body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d2b36}"
                + "h1{font-size:1.3rem}header{color:#0b5cab;font-weight:600;margin-bottom:1rem}label{display:block;margin:.6rem 0}"
                + "input:not([type=checkbox]){display:block;width:100%;padding:.4rem}ul{list-style:none;padding:0}"
                + "button{margin:.8rem .5rem 0 0;padding:.5rem 1.2rem;background:#0b5cab;color:#fff;border:0;border-radius:4px}"
                + "button.secondary{background:#55616d}.error{color:#b00020}.hint{color:#66727f;font-size:.85rem}"
                + "</style></head><body><header>openfinq Sandbox Bank</header><h1>" + html(title) + "</h1>" + body
                + "</body></html>";
    }
}
