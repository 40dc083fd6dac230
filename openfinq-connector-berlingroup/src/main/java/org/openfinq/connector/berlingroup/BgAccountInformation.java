package org.openfinq.connector.berlingroup;

import org.openfinq.connector.Account;
import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.Balance;
import org.openfinq.connector.BankException;
import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Psu;
import org.openfinq.connector.TransactionPage;
import org.openfinq.connector.TransactionQuery;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** NextGenPSD2 account information: {@code /v1/consents} and {@code /v1/accounts}. */
final class BgAccountInformation implements AccountInformation {

    private final BgHttp http;
    private final BgJson json;
    private final String consentsPath;
    private final String accountsPath;
    /** Profile quirk {@code transactions.page_size}: the query parameter and size asked for, e.g. {@code pageSize=1000}. */
    static final String PAGE_SIZE = "transactions.page_size";
    /** {@code &name=value} appended to the first page's query, or empty when the profile names no page size. */
    private final String pageSize;

    private final BgAuthorisation authorisation;

    BgAccountInformation(BgHttp http, BgJson json, Map<String, String> quirks, BgAuthorisation authorisation) {
        this.http = http;
        this.json = json;
        this.authorisation = authorisation;
        this.consentsPath = quirks.getOrDefault("path.consents", "/v1/consents");
        this.accountsPath = quirks.getOrDefault("path.accounts", "/v1/accounts");
        this.pageSize = pageSizeParameter(quirks.get(PAGE_SIZE));
    }

    /** {@code name=size} (a positive size) → {@code &name=size}; anything else is a mistake in the profile. */
    static String pageSizeParameter(String quirk) {
        if (quirk == null || quirk.isBlank()) {
            return "";
        }
        int eq = quirk.indexOf('=');
        if (eq < 1 || !quirk.substring(0, eq).matches("[A-Za-z][A-Za-z0-9_-]*") || !quirk.substring(eq + 1).matches("[1-9][0-9]{0,5}")) {
            throw new IllegalArgumentException("quirk " + PAGE_SIZE + " must be name=size (e.g. pageSize=1000), not '" + quirk + "'");
        }
        return "&" + quirk;
    }

    @Override
    public ConsentStart createConsent(ConsentRequest request, Psu psu, Psu.Redirects redirects) {
        Map<String, Object> access = new LinkedHashMap<>();
        if (request.ibans().isEmpty()) {
            access.put("allPsd2", "allAccounts");
        } else {
            List<Map<String, String>> refs = request.ibans().stream().map(i -> Map.of("iban", i)).toList();
            access.put("accounts", refs);
            access.put("balances", refs);
            access.put("transactions", refs);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access", access);
        body.put("recurringIndicator", request.recurring());
        body.put("validUntil", request.validUntil().toString());
        body.put("frequencyPerDay", request.frequencyPerDay());
        body.put("combinedServiceIndicator", false);
        JsonNode r = http.post(consentsPath, authorisation.headers(redirects), body, psu).body();
        String id = json.required(r, "consentId", "consent");
        String status = json.required(r, "consentStatus", "consent");
        return new ConsentStart(id, status(status), authorisation.of(r, "AIS:" + id, psu, redirects));
    }

    @Override
    public void completeRedirect(String consentId, String continuation, Map<String, String> callback, Psu psu) {
        authorisation.complete(continuation, callback, psu);
    }

    private ConsentStatus status(String code) {
        try {
            return ConsentStatus.ofCode(code);
        } catch (IllegalArgumentException e) {
            throw json.invalid("a known consentStatus (got " + code + ")");
        }
    }

    @Override
    public ConsentStatus consentStatus(String consentId, Psu psu) {
        JsonNode r = http.get(consentsPath + "/" + enc(consentId) + "/status", Map.of(), psu).body();
        return status(json.required(r, "consentStatus", "consent status"));
    }

    @Override
    public void deleteConsent(String consentId, Psu psu) {
        try {
            http.delete(consentsPath + "/" + enc(consentId), Map.of(), psu);
        } catch (BankException.ConsentInvalid gone) {
            // already unknown, expired or revoked at the bank: nothing left to delete
        }
    }

    @Override
    public List<Account> accounts(String consentId, Psu psu) {
        JsonNode r = http.get(accountsPath, Map.of("Consent-ID", consentId), psu).body();
        JsonNode list = r == null ? null : r.get("accounts");
        if (list == null || !list.isArray()) {
            throw json.invalid("accounts");
        }
        List<Account> out = new ArrayList<>();
        list.forEach(a -> out.add(json.account(a)));
        return out;
    }

    @Override
    public List<Balance> balances(String consentId, String accountId, Psu psu) {
        JsonNode r = http.get(accountsPath + "/" + enc(accountId) + "/balances", Map.of("Consent-ID", consentId), psu).body();
        JsonNode list = r == null ? null : r.get("balances");
        if (list == null || !list.isArray()) {
            throw json.invalid("balances");
        }
        List<Balance> out = new ArrayList<>();
        list.forEach(b -> out.add(json.balance(b)));
        return out;
    }

    @Override
    public TransactionPage transactions(String consentId, String accountId, TransactionQuery query, String cursor, Psu psu) {
        String path = cursor != null ? cursor : accountsPath + "/" + enc(accountId) + "/transactions?dateFrom="
                + query.dateFrom() + (query.dateTo() == null ? "" : "&dateTo=" + query.dateTo())
                + "&bookingStatus=" + (query.booked() && query.pending() ? "both" : query.booked() ? "booked" : "pending") + pageSize;
        return http.get(path, Map.of("Consent-ID", consentId), psu, json::transactionPage);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
