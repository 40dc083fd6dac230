package org.openfinq.sandboxbank.consent;

import org.openfinq.sandboxbank.SandboxState;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxPsu;
import org.openfinq.sandboxbank.http.BankError;
import org.openfinq.sandboxbank.http.Checks;
import org.openfinq.sandboxbank.http.Exchange;
import org.openfinq.sandboxbank.http.Router;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code /v1/consents}: create, read, status, delete — and the approval used by the SCA page. */
public final class ConsentResource {

    private final SandboxState state;
    private final org.openfinq.sandboxbank.sca.Authorisations authorisations;

    public ConsentResource(SandboxState state, org.openfinq.sandboxbank.sca.Authorisations authorisations) {
        this.state = state;
        this.authorisations = authorisations;
    }

    public void register(Router router) {
        router.route("POST", "/v1/consents", this::create)
                .route("GET", "/v1/consents/([^/]+)", this::get)
                .route("GET", "/v1/consents/([^/]+)/status", this::status)
                .route("DELETE", "/v1/consents/([^/]+)", this::delete);
    }

    private void create(Exchange ex) {
        Checks.requestId(ex);
        String ok = ex.requiredHeader("TPP-Redirect-URI");
        String nok = ex.header("TPP-Nok-Redirect-URI");
        JsonNode body = ex.json();
        JsonNode access = body.get("access");
        if (access == null || !access.isObject()) {
            throw BankError.format("access is missing");
        }
        List<String> ibans = ibans(access);
        JsonNode recurring = body.get("recurringIndicator");
        if (recurring == null || !recurring.isBoolean()) {
            throw BankError.format("recurringIndicator is missing");
        }
        LocalDate today = state.today();
        LocalDate validUntil = Checks.date(body.path("validUntil").asString(null), "validUntil");
        if (validUntil.isBefore(today)) {
            throw BankError.format("validUntil is in the past");
        }
        LocalDate max = today.plusDays(180);
        if (validUntil.isAfter(max)) {
            validUntil = max;
        }
        JsonNode freq = body.get("frequencyPerDay");
        if (freq == null || !freq.isInt() || freq.intValue() < 1) {
            throw BankError.format("frequencyPerDay must be a positive integer");
        }
        int frequency = recurring.booleanValue() ? Math.min(freq.intValue(), state.config().maxFrequencyPerDay()) : 1;
        String id = UUID.randomUUID().toString();
        state.put(new Consent(id, "received", ibans, Set.of(), ex.header("PSU-ID"), recurring.booleanValue(), validUntil,
                frequency, ok, nok == null ? ok : nok, state.clock().instant(), today, null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("consentStatus", "received");
        out.put("consentId", id);
        out.putAll(authorisations.started(ex, "consents", id, "/v1/consents/" + id, ex.header("PSU-ID")));
        ex.header("Location", ex.apiPrefix() + "/v1/consents/" + id);
        ex.json(201, out);
    }

    private static List<String> ibans(JsonNode access) {
        String all = access.path("allPsd2").asString(access.path("availableAccounts").asString(""));
        if (all.equals("allAccounts")) {
            return List.of();
        }
        Set<String> ibans = new LinkedHashSet<>();
        for (String kind : List.of("accounts", "balances", "transactions")) {
            JsonNode list = access.get(kind);
            if (list == null) {
                continue;
            }
            if (!list.isArray()) {
                throw BankError.format("access." + kind + " must be an array");
            }
            for (JsonNode ref : list) {
                ibans.add(Checks.iban(ref, "access." + kind + "[]"));
            }
        }
        if (ibans.isEmpty()) {
            throw BankError.format("access names no accounts");
        }
        return List.copyOf(ibans);
    }

    private Consent known(String id) {
        return state.consent(id).orElseThrow(() -> new BankError(403, "CONSENT_UNKNOWN", "Unknown consent"));
    }

    private void get(Exchange ex) {
        Checks.requestId(ex);
        Consent c = known(ex.pathParam(1));
        List<Map<String, String>> refs = new ArrayList<>();
        for (String rid : c.granted()) {
            state.data().account(rid).ifPresent(a -> refs.add(Map.of("iban", a.iban())));
        }
        Map<String, Object> access = c.granted().isEmpty() && c.requestedIbans().isEmpty()
                ? Map.of("allPsd2", "allAccounts") : Map.of("accounts", refs, "balances", refs, "transactions", refs);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access", access);
        out.put("recurringIndicator", c.recurring());
        out.put("validUntil", c.validUntil().toString());
        out.put("frequencyPerDay", c.frequencyPerDay());
        out.put("lastActionDate", c.lastActionDate().toString());
        out.put("consentStatus", effectiveStatus(c));
        ex.json(200, out);
    }

    private String effectiveStatus(Consent c) {
        return c.status().equals("valid") && state.today().isAfter(c.validUntil()) ? "expired" : c.status();
    }

    private void status(Exchange ex) {
        Checks.requestId(ex);
        ex.json(200, Map.of("consentStatus", effectiveStatus(known(ex.pathParam(1)))));
    }

    private void delete(Exchange ex) {
        Checks.requestId(ex);
        Consent c = known(ex.pathParam(1));
        state.put(c.withStatus("terminatedByTpp"));
        ex.noContent();
    }

    /**
     * The PSU's decision. Approving needs at least one of the PSU's accounts; for a consent that named its
     * accounts, every one of them must be the PSU's.
     *
     * @return the updated consent
     */
    public Consent decide(Consent c, SandboxPsu psu, boolean approve, List<String> pickedResourceIds) {
        if (!c.status().equals("received")) {
            throw BankError.format("The consent is already " + c.status());
        }
        if (!approve) {
            Consent rejected = c.withLogin(psu == null ? c.psuId() : psu.id(), null).withStatus("rejected");
            state.put(rejected);
            return rejected;
        }
        Set<String> granted = new LinkedHashSet<>();
        if (c.requestedIbans().isEmpty()) {
            for (SandboxAccount a : psu.accounts()) {
                if (pickedResourceIds.contains(a.resourceId())) {
                    granted.add(a.resourceId());
                }
            }
        } else {
            for (String iban : c.requestedIbans()) {
                SandboxAccount a = psu.accounts().stream().filter(x -> x.iban().equals(iban)).findFirst()
                        .orElseThrow(() -> BankError.format("Account " + iban + " does not belong to " + psu.id()));
                granted.add(a.resourceId());
            }
        }
        if (granted.isEmpty()) {
            throw BankError.format("Pick at least one account");
        }
        Consent approved = c.withLogin(psu.id(), null).approved(granted, state.today());
        state.put(approved);
        return approved;
    }
}
