package org.openfinq.connector.conformance;

import java.net.URI;
import java.util.Map;

/**
 * Drives a bank's SCA pages built from plain HTML forms: a login form (user and password fields), then a
 * decision form whose submit buttons carry the decision. The field names and values are settings; the
 * defaults are the sandbox bank's.
 */
public final class FormScaDriver implements ScaDriver {

    private final String userField;
    private final String passwordField;
    private final String loginButton;
    private final String loginValue;
    private final String decisionButton;
    private final String approveValue;
    private final String denyValue;

    public FormScaDriver(String userField, String passwordField, String loginButton, String loginValue,
                         String decisionButton, String approveValue, String denyValue) {
        this.userField = userField;
        this.passwordField = passwordField;
        this.loginButton = loginButton;
        this.loginValue = loginValue;
        this.decisionButton = decisionButton;
        this.approveValue = approveValue;
        this.denyValue = denyValue;
    }

    /** The openfinq sandbox bank's pages. */
    public static FormScaDriver sandbox() {
        return new FormScaDriver("psu_id", "password", "action", "login", "decision", "approve", "deny");
    }

    @Override
    public URI approve(URI scaRedirect, String psuId, String password) {
        return decide(scaRedirect, psuId, password, approveValue);
    }

    @Override
    public URI deny(URI scaRedirect, String psuId, String password) {
        return decide(scaRedirect, psuId, password, denyValue);
    }

    private URI decide(URI scaRedirect, String psuId, String password, String decision) {
        Browser browser = new Browser();
        Browser.Page login = browser.get(scaRedirect);
        if (login.left()) {
            return login.leftTo();
        }
        expectOk(login);
        Browser.Page consent = browser.submit(Browser.forms(login).getFirst(),
                Map.of(userField, psuId, passwordField, password), loginButton, loginValue);
        if (consent.left()) {
            return consent.leftTo();
        }
        expectOk(consent);
        Browser.Page done = browser.submit(Browser.forms(consent).getFirst(), Map.of(), decisionButton, decision);
        if (!done.left()) {
            throw new IllegalStateException("the bank did not redirect after the decision; it answered "
                    + done.status() + ": " + done.html());
        }
        return done.leftTo();
    }

    private static void expectOk(Browser.Page page) {
        if (page.status() != 200 || Browser.forms(page).isEmpty()) {
            throw new IllegalStateException("unexpected SCA page " + page.uri() + " (" + page.status() + "): " + page.html());
        }
    }
}
