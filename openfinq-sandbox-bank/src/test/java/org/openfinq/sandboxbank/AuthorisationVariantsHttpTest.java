package org.openfinq.sandboxbank;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox bank's authorisation variants over HTTP, as a TPP meets them: explicit start, decoupled and the OAuth2
 * authorisation server with its PKCE check. Field names as in NextGenPSD2 1.3.9.
 */
class AuthorisationVariantsHttpTest {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final String CONSENT = "{\"access\":{\"allPsd2\":\"allAccounts\"},\"recurringIndicator\":true,\"validUntil\":\"2099-01-01\","
            + "\"frequencyPerDay\":4}";

    SandboxBank bank;

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
    }

    @BeforeEach
    void start() {
        bank = SandboxBank.start(SandboxConfig.defaults().withLargePsuTransactions(0));
    }

    @AfterEach
    void stop() {
        bank.close();
    }

    Answer call(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : bank.url() + path));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().startsWith("{") ? JSON.readTree(r.body()) : null, r);
    }

    static Map<String, String> headers(String... kv) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Request-ID", UUID.randomUUID().toString());
        h.put("Content-Type", "application/json");
        h.put("TPP-Redirect-URI", "https://tpp.invalid/ok");
        for (int i = 0; i < kv.length; i += 2) {
            h.put(kv[i], kv[i + 1]);
        }
        return h;
    }

    @Test
    void explicitStartAnswersStartAuthorisationThenTheAuthorisationResource() throws Exception {
        Answer created = call("POST", "/v1/consents", headers("TPP-Explicit-Authorisation-Preferred", "true"), CONSENT);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("consentId").asString();
        assertThat(created.json().path("_links").has("scaRedirect")).isFalse();
        String start = created.json().path("_links").path("startAuthorisation").path("href").asString();
        assertThat(start).isEqualTo("/v1/consents/" + id + "/authorisations");

        Answer auth = call("POST", start, headers(), "{}");
        assertThat(auth.status()).isEqualTo(201);
        assertThat(auth.json().path("scaStatus").asString()).isEqualTo("received");
        String authId = auth.json().path("authorisationId").asString();
        assertThat(auth.json().path("_links").path("scaRedirect").path("href").asString())
                .isEqualTo(bank.url() + "/sca/consents/" + id + "?authorisation=" + authId);
        String status = auth.json().path("_links").path("scaStatus").path("href").asString();
        assertThat(call("GET", status, headers(), null).json().path("scaStatus").asString()).isEqualTo("started");
        call("POST", "/sandbox/v1/consents/" + id + "/authorise", Map.of(), "{\"psuId\":\"alice\"}");
        assertThat(call("GET", status, headers(), null).json().path("scaStatus").asString()).isEqualTo("finalised");
        assertThat(call("GET", "/v1/consents/" + id + "/authorisations/" + UUID.randomUUID(), headers(), null).status()).isEqualTo(404);
    }

    @Test
    void decoupledNeedsAKnownPsuAndIsListedInTheBanksApp() throws Exception {
        Answer noPsu = call("POST", "/decoupled/v1/consents", headers(), CONSENT);
        assertThat(noPsu.status()).isEqualTo(400);
        assertThat(noPsu.json().path("tppMessages").path(0).path("code").asString()).isEqualTo("FORMAT_ERROR");

        Answer created = call("POST", "/decoupled/v1/consents", headers("PSU-ID", "carmen", "X-Requesting-App", "Acme Budget"), CONSENT);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("ASPSP-SCA-Approach")).contains("DECOUPLED");
        assertThat(created.json().path("psuMessage").asString()).isNotBlank();
        String id = created.json().path("consentId").asString();
        String status = created.json().path("_links").path("scaStatus").path("href").asString();
        assertThat(status).startsWith("/decoupled/v1/consents/" + id + "/authorisations/");
        assertThat(created.json().path("_links").path("self").path("href").asString()).isEqualTo("/decoupled/v1/consents/" + id);

        JsonNode pending = call("GET", "/sandbox/v1/psus/carmen/pending", Map.of(), null).json();
        assertThat(pending.path("consents").path(0).path("consentId").asString()).isEqualTo(id);
        assertThat(pending.path("consents").path(0).path("app").asString()).isEqualTo("Acme Budget");
        call("POST", "/sandbox/v1/consents/" + id + "/authorise", Map.of(), "{\"psuId\":\"carmen\",\"approve\":false}");
        assertThat(call("GET", status, headers(), null).json().path("scaStatus").asString()).isEqualTo("failed");
        assertThat(call("GET", "/sandbox/v1/psus/carmen/pending", Map.of(), null).json().path("consents").size()).isZero();
    }

    static final String REDIRECT = "https://tpp.invalid/cb?result=ok";

    /** An OAuth2 SCA of a new consent through the bank's pages as alice: answers where the bank sends the browser. */
    URI oauth(String verifier, String decision) throws Exception {
        Answer created = call("POST", "/oauth/v1/consents", headers(), CONSENT);
        String id = created.json().path("consentId").asString();
        JsonNode meta = call("GET", created.json().path("_links").path("scaOAuth").path("href").asString(), Map.of(), null).json();
        assertThat(meta.path("code_challenge_methods_supported").toString()).contains("S256");
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Answer authorize = call("GET", meta.path("authorization_endpoint").asString() + "?response_type=code&client_id=tpp-1&scope=AIS:"
                + id + "&state=st1&redirect_uri=" + enc(REDIRECT) + "&code_challenge=" + challenge + "&code_challenge_method=S256",
                Map.of(), null);
        assertThat(authorize.status()).isEqualTo(302);
        assertThat(authorize.raw().headers().firstValue("Location")).contains(bank.url() + "/sca/consents/" + id);
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        Answer login = call("POST", "/sca/consents/" + id + "/login", form, "psu_id=alice&password=sandbox&action=login");
        String ticket = login.raw().body().replaceAll("(?s).*name=\"ticket\" value=\"([^\"]+)\".*", "$1");
        StringBuilder accounts = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"account\" value=\"([^\"]+)\"").matcher(login.raw().body());
        while (m.find()) {
            accounts.append("&account=").append(enc(m.group(1)));
        }
        Answer decided = call("POST", "/sca/consents/" + id + "/decision", form, "ticket=" + ticket + accounts + "&decision=" + decision);
        assertThat(decided.status()).isEqualTo(302);
        return URI.create(decided.raw().headers().firstValue("Location").orElseThrow());
    }

    Answer token(String code, String verifier) throws Exception {
        return call("POST", "/as/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "grant_type=authorization_code&code=" + code + "&client_id=tpp-1&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + verifier);
    }

    @Test
    void oauthCodeIsExchangedOnceWithTheRightVerifier() throws Exception {
        String verifier = "v-" + UUID.randomUUID() + UUID.randomUUID();
        URI back = oauth(verifier, "approve");
        assertThat(back.toString()).startsWith(REDIRECT + "&code=").endsWith("&state=st1");
        String code = back.toString().replaceAll(".*[?&]code=([^&]+).*", "$1");
        Answer ok = token(code, verifier);
        assertThat(ok.status()).as(ok.raw().body()).isEqualTo(200);
        assertThat(ok.json().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(ok.json().path("access_token").asString()).isNotBlank();
        assertThat(token(code, verifier).status()).as("a code is single use").isEqualTo(400);

        String other = "v-" + UUID.randomUUID() + UUID.randomUUID();
        String code2 = oauth(other, "approve").toString().replaceAll(".*[?&]code=([^&]+).*", "$1");
        Answer wrong = token(code2, verifier);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void oauthDenyComesBackAsAccessDenied() throws Exception {
        URI back = oauth("v-deny-" + UUID.randomUUID() + UUID.randomUUID(), "deny");
        assertThat(back.toString()).isEqualTo(REDIRECT + "&error=access_denied&state=st1");
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
