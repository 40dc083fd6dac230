package org.openfinq.sandboxbank;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox bank over HTTP, as a TPP meets it, with the bank's clock under the test's control. */
class SandboxBankHttpTest {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    MutableClock clock;
    SandboxBank bank;

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
        String code() {
            return json.path("tppMessages").path(0).path("code").asString();
        }
    }

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        bank = SandboxBank.start(SandboxConfig.defaults().withLargePsuTransactions(0).withClock(clock)
                .withSettlementDelay(Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        bank.close();
    }

    Answer call(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bank.url() + path));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() || !r.body().startsWith("{") ? null : JSON.readTree(r.body()), r);
    }

    static Map<String, String> headers(String... kv) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Request-ID", UUID.randomUUID().toString());
        for (int i = 0; i < kv.length; i += 2) {
            h.put(kv[i], kv[i + 1]);
        }
        return h;
    }

    String approvedConsent(String validUntil) throws Exception {
        Answer created = call("POST", "/v1/consents", headers("TPP-Redirect-URI", "https://tpp.invalid/ok", "Content-Type",
                "application/json"), "{\"access\":{\"allPsd2\":\"allAccounts\"},\"recurringIndicator\":true,\"validUntil\":\""
                + validUntil + "\",\"frequencyPerDay\":4}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("consentId").asString();
        Answer ok = call("POST", "/sandbox/v1/consents/" + id + "/authorise", Map.of(), "{\"psuId\":\"alice\"}");
        assertThat(ok.json().get("consentStatus").asString()).isEqualTo("valid");
        return id;
    }

    String firstAccount(String consent) throws Exception {
        return call("GET", "/v1/accounts", headers("Consent-ID", consent, "PSU-IP-Address", "10.0.0.1"), null)
                .json().path("accounts").path(0).path("resourceId").asString();
    }

    @Test
    void missingHeadersAreFormatErrors() throws Exception {
        Answer noRequestId = call("GET", "/v1/accounts", Map.of("Consent-ID", "x"), null);
        assertThat(noRequestId.status()).isEqualTo(400);
        assertThat(noRequestId.code()).isEqualTo("FORMAT_ERROR");
        assertThat(noRequestId.json().path("tppMessages").path(0).path("category").asString()).isEqualTo("ERROR");
        Answer noConsent = call("GET", "/v1/accounts", headers(), null);
        assertThat(noConsent.status()).isEqualTo(400);
        assertThat(noConsent.json().path("tppMessages").path(0).path("text").asString()).contains("Consent-ID");
        Answer noRedirect = call("POST", "/v1/consents", headers("Content-Type", "application/json"), "{}");
        assertThat(noRedirect.code()).isEqualTo("FORMAT_ERROR");
        assertThat(call("GET", "/v1/accounts", headers("Consent-ID", "nope"), null).code()).isEqualTo("CONSENT_UNKNOWN");
        assertThat(call("GET", "/v1/nothing", headers(), null).status()).isEqualTo(404);
    }

    @Test
    void consentExpiresAfterValidUntil() throws Exception {
        String consent = approvedConsent("2026-11-30");
        assertThat(call("GET", "/v1/accounts", headers("Consent-ID", consent, "PSU-IP-Address", "10.0.0.1"), null).status()).isEqualTo(200);
        clock.advance(Duration.ofDays(6));
        Answer expired = call("GET", "/v1/accounts", headers("Consent-ID", consent, "PSU-IP-Address", "10.0.0.1"), null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.code()).isEqualTo("CONSENT_EXPIRED");
        assertThat(call("GET", "/v1/consents/" + consent + "/status", headers(), null).json().get("consentStatus").asString())
                .isEqualTo("expired");
    }

    @Test
    void unattendedAllowanceRollsOver24Hours() throws Exception {
        String consent = approvedConsent("2027-01-31");
        String account = firstAccount(consent);
        String path = "/v1/accounts/" + account + "/balances";
        for (int i = 0; i < 4; i++) {
            assertThat(call("GET", path, headers("Consent-ID", consent), null).status()).isEqualTo(200);
        }
        Answer exceeded = call("GET", path, headers("Consent-ID", consent), null);
        assertThat(exceeded.status()).isEqualTo(429);
        assertThat(exceeded.code()).isEqualTo("ACCESS_EXCEEDED");
        assertThat(exceeded.raw().headers().firstValue("Retry-After")).contains("86401");
        clock.advance(Duration.ofHours(24));
        assertThat(call("GET", path, headers("Consent-ID", consent), null).status()).isEqualTo(200);
    }

    @Test
    void transactionFiltersAndPeriods() throws Exception {
        String consent = approvedConsent("2027-01-31");
        String base = "/v1/accounts/" + firstAccount(consent) + "/transactions?dateFrom=2026-11-01";
        Map<String, String> h = headers("Consent-ID", consent, "PSU-IP-Address", "10.0.0.1");
        JsonNode booked = call("GET", base + "&bookingStatus=booked", h, null).json().get("transactions");
        assertThat(booked.has("pending")).isFalse();
        assertThat(booked.get("booked").size()).isPositive();
        booked.get("booked").forEach(t -> assertThat(t.get("bookingDate").asString()).isBetween("2026-11-01", "2026-11-23"));
        JsonNode pending = call("GET", base + "&bookingStatus=pending", h, null).json().get("transactions");
        assertThat(pending.has("booked")).isFalse();
        pending.get("pending").forEach(t -> assertThat(t.has("bookingDate")).isFalse());
        assertThat(call("GET", base + "&bookingStatus=both&dateTo=2026-10-01", h, null).code()).isEqualTo("PERIOD_INVALID");
        assertThat(call("GET", base + "&bookingStatus=everything", h, null).status()).isEqualTo(400);
        assertThat(call("GET", base.replace("2026-11-01", "01.11.2026") + "&bookingStatus=both", h, null).code()).isEqualTo("FORMAT_ERROR");
    }

    @Test
    void pageSizeAskedByTheTppIsKeptAcrossPages() throws Exception {
        String consent = approvedConsent("2027-01-31");
        Map<String, String> h = headers("Consent-ID", consent, "PSU-IP-Address", "10.0.0.1");
        String base = "/v1/accounts/" + firstAccount(consent) + "/transactions?dateFrom=2026-01-01&bookingStatus=booked";
        JsonNode first = call("GET", base + "&pageSize=3", h, null).json().get("transactions");
        assertThat(first.get("booked").size()).isEqualTo(3);
        String next = first.get("_links").get("next").get("href").asString();
        assertThat(next).contains("pageSize=3").contains("pageIndex=1");
        JsonNode second = call("GET", next, h, null).json().get("transactions");
        assertThat(second.get("booked").size()).isEqualTo(3);
        assertThat(second.get("booked").get(0).get("transactionId").asString())
                .isNotEqualTo(first.get("booked").get(2).get("transactionId").asString());
        assertThat(call("GET", base + "&pageSize=0", h, null).code()).isEqualTo("FORMAT_ERROR");
        assertThat(call("GET", base + "&pageSize=5001", h, null).code()).isEqualTo("FORMAT_ERROR");
    }

    String payment(String debtorIban, String amount) throws Exception {
        Answer p = call("POST", "/v1/payments/domestic-credit-transfers", headers("PSU-IP-Address", "10.0.0.1",
                "TPP-Redirect-URI", "https://tpp.invalid/ok", "TPP-Nok-Redirect-URI", "https://tpp.invalid/nok",
                "Content-Type", "application/json"),
                "{\"debtorAccount\":{\"iban\":\"" + debtorIban + "\"},\"instructedAmount\":{\"currency\":\"RON\",\"amount\":\""
                        + amount + "\"},\"creditorAccount\":{\"iban\":\"RO16BTRL0000002004698700\"},\"creditorName\":\"Shop\"}");
        assertThat(p.status()).as(p.raw().body()).isEqualTo(201);
        return p.json().get("paymentId").asString();
    }

    @Test
    void approvedPaymentMovesToSettledWithTime() throws Exception {
        String id = payment(bank.data().psu("alice").orElseThrow().accounts().getFirst().iban(), "125.50");
        String status = "/v1/payments/domestic-credit-transfers/" + id + "/status";
        assertThat(call("GET", status, headers(), null).json().get("transactionStatus").asString()).isEqualTo("RCVD");
        assertThat(call("POST", "/sandbox/v1/payments/" + id + "/authorise", Map.of(), "{\"psuId\":\"alice\"}")
                .json().get("transactionStatus").asString()).isEqualTo("ACTC");
        clock.advance(Duration.ofSeconds(5));
        assertThat(call("GET", status, headers(), null).json().get("transactionStatus").asString()).isEqualTo("ACSP");
        clock.advance(Duration.ofSeconds(5));
        assertThat(call("GET", status, headers(), null).json().get("transactionStatus").asString()).isEqualTo("ACSC");
        JsonNode details = call("GET", "/v1/payments/domestic-credit-transfers/" + id, headers(), null).json();
        assertThat(details.get("instructedAmount").get("amount").asString()).isEqualTo("125.50");
    }

    @Test
    void paymentTheAccountCannotCoverIsRejected() throws Exception {
        String id = payment(bank.data().psu("carmen").orElseThrow().accounts().getFirst().iban(), "10.00");
        assertThat(call("POST", "/sandbox/v1/payments/" + id + "/authorise", Map.of(), "{\"psuId\":\"carmen\"}")
                .json().get("transactionStatus").asString()).isEqualTo("RJCT");
    }

    @Test
    void paymentInputIsChecked() throws Exception {
        Map<String, String> h = headers("PSU-IP-Address", "10.0.0.1", "TPP-Redirect-URI", "https://tpp.invalid/ok",
                "Content-Type", "application/json");
        String alice = bank.data().psu("alice").orElseThrow().accounts().getFirst().iban();
        String ok = "{\"debtorAccount\":{\"iban\":\"" + alice + "\"},\"instructedAmount\":{\"currency\":\"RON\",\"amount\":\"1.00\"},"
                + "\"creditorAccount\":{\"iban\":\"RO16BTRL0000002004698700\"},\"creditorName\":\"Shop\"}";
        assertThat(call("POST", "/v1/payments/bitcoin-transfers", h, ok).code()).isEqualTo("PRODUCT_UNKNOWN");
        assertThat(call("POST", "/v1/payments/sepa-credit-transfers", h, ok).code()).isEqualTo("FORMAT_ERROR");
        assertThat(call("POST", "/v1/payments/domestic-credit-transfers", h, ok.replace("1.00", "1.001")).code()).isEqualTo("FORMAT_ERROR");
        assertThat(call("POST", "/v1/payments/domestic-credit-transfers", h, ok.replace("RO16BTRL", "RO17BTRL")).code()).isEqualTo("FORMAT_ERROR");
        for (String strict : new String[]{"ZZ73123456789012345678", "SA538000000060801016751", "DE86ABCD00440532013000"}) {
            Answer refused = call("POST", "/v1/payments/domestic-credit-transfers", h, ok.replace("RO16BTRL0000002004698700", strict));
            assertThat(refused.code()).as(strict).isEqualTo("FORMAT_ERROR");
            assertThat(refused.json().path("tppMessages").path(0).path("text").asString()).as(strict).startsWith("creditorAccount.iban ");
        }
        assertThat(call("POST", "/v1/payments/domestic-credit-transfers", h, ok.replace("Shop", "Магазин")).code()).isEqualTo("FORMAT_ERROR");
        assertThat(call("POST", "/v1/payments/domestic-credit-transfers", h, ok.replace("Shop", "Shop & Co")).code()).isEqualTo("FORMAT_ERROR");
        assertThat(call("POST", "/v1/payments/domestic-credit-transfers", h, ok).status()).isEqualTo(201);
    }

    @Test
    void loginPageRefusesAWrongPassword() throws Exception {
        Answer created = call("POST", "/v1/consents", headers("TPP-Redirect-URI", "https://tpp.invalid/ok", "Content-Type",
                "application/json"), "{\"access\":{\"allPsd2\":\"allAccounts\"},\"recurringIndicator\":true,"
                + "\"validUntil\":\"2027-01-01\",\"frequencyPerDay\":4}");
        String id = created.json().get("consentId").asString();
        HttpResponse<String> page = call("GET", "/sca/consents/" + id, Map.of(), null).raw();
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<form").contains("name=\"psu_id\"").contains("name=\"password\"");
        HttpResponse<String> wrong = call("POST", "/sca/consents/" + id + "/login",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "psu_id=alice&password=nope&action=login").raw();
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("Wrong user or password");
        assertThat(call("GET", "/v1/consents/" + id + "/status", headers(), null).json().get("consentStatus").asString())
                .isEqualTo("received");
    }
}
