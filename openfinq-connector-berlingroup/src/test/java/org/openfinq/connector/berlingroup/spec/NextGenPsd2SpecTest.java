package org.openfinq.connector.berlingroup.spec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The spec check itself: exchanges written by hand from the OpenAPI file, right ones pass and each wrong one is named. */
class NextGenPsd2SpecTest {

    static final NextGenPsd2Spec SPEC = NextGenPsd2Spec.load();
    static final String REQUEST_ID = "99391c7e-ad88-49ec-a2ad-99ddcb1f7721";
    static final String CONSENT = """
            {"access":{"allPsd2":"allAccounts"},"recurringIndicator":true,"validUntil":"2027-01-01",
             "frequencyPerDay":4,"combinedServiceIndicator":false}""";

    static Map<String, List<String>> headers(String... pairs) {
        Map<String, List<String>> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            h.put(pairs[i], List.of(pairs[i + 1]));
        }
        return h;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theFileIsReadWithAllItsOperations() {
        assertThat(SPEC.operationCount()).isGreaterThan(30);
    }

    @Test
    void aConsentRequestAsTheSpecDescribesItPasses() {
        assertThat(SPEC.validateRequest("POST", "/v1/consents", null, headers("X-Request-ID", REQUEST_ID,
                "PSU-IP-Address", "192.168.8.78", "Content-Type", "application/json", "TPP-Redirect-Preferred", "true"),
                bytes(CONSENT))).isEmpty();
    }

    @Test
    void missingMandatoryHeadersAndBadValuesAreNamed() {
        List<NextGenPsd2Spec.Violation> v = SPEC.validateRequest("POST", "/v1/consents", null,
                headers("Content-Type", "application/json", "TPP-Redirect-Preferred", "yes"), bytes(CONSENT));
        assertThat(v).extracting(NextGenPsd2Spec.Violation::clause).anySatisfy(c -> assertThat(c).contains("X-Request-ID"))
                .anySatisfy(c -> assertThat(c).contains("PSU-IP-Address"))
                .anySatisfy(c -> assertThat(c).contains("TPP-Redirect-Preferred"));
        assertThat(v).allSatisfy(x -> assertThat(x.clause()).startsWith("createConsent (POST /v1/consents)"));
    }

    @Test
    void aBodyThatBreaksTheSchemaIsNamedWithItsPlace() {
        List<NextGenPsd2Spec.Violation> v = SPEC.validateRequest("POST", "/v1/consents", null,
                headers("X-Request-ID", REQUEST_ID, "PSU-IP-Address", "192.168.8.78", "Content-Type", "application/json"),
                bytes("{\"recurringIndicator\":\"yes\",\"validUntil\":\"tomorrow\",\"frequencyPerDay\":4}"));
        assertThat(v).extracting(NextGenPsd2Spec.Violation::problem)
                .anySatisfy(p -> assertThat(p).contains("access"))
                .anySatisfy(p -> assertThat(p).contains("/recurringIndicator"))
                .anySatisfy(p -> assertThat(p).contains("/validUntil"));
    }

    @Test
    void wrongQueryValuesAndUnknownOperationsAreNamed() {
        assertThat(SPEC.validateRequest("GET", "/v1/accounts/a1/transactions", "dateFrom=2026-01-01&bookingStatus=everything",
                headers("X-Request-ID", REQUEST_ID, "Consent-ID", "c1"), new byte[0]))
                .extracting(NextGenPsd2Spec.Violation::clause).containsExactly(
                        "getTransactionList (GET /v1/accounts/{account-id}/transactions) parameter bookingStatus (in query) "
                                + "schema #/components/parameters/bookingStatusGeneric/schema");
        assertThat(SPEC.validateRequest("GET", "/v1/nothing-here", null, headers(), new byte[0]))
                .extracting(NextGenPsd2Spec.Violation::clause).containsExactly("paths");
    }

    @Test
    void answersAreCheckedForStatusHeadersAndBody() {
        String created = "{\"consentStatus\":\"received\",\"consentId\":\"c1\",\"_links\":{\"scaRedirect\":{\"href\":\"https://bank/sca\"}}}";
        Map<String, List<String>> ok = headers("X-Request-ID", REQUEST_ID, "Content-Type", "application/json");
        assertThat(SPEC.validateResponse("POST", "/v1/consents", 201, ok, bytes(created))).isEmpty();
        assertThat(SPEC.validateResponse("POST", "/v1/consents", 201, headers("Content-Type", "application/json"), bytes(created)))
                .extracting(NextGenPsd2Spec.Violation::clause).containsExactly("createConsent (POST /v1/consents) response 201 header X-Request-ID");
        assertThat(SPEC.validateResponse("POST", "/v1/consents", 201, ok, bytes("{\"consentStatus\":\"fine\",\"_links\":{}}")))
                .extracting(NextGenPsd2Spec.Violation::problem)
                .anySatisfy(p -> assertThat(p).contains("consentId"))
                .anySatisfy(p -> assertThat(p).contains("/consentStatus"));
        assertThat(SPEC.validateResponse("POST", "/v1/consents", 418, ok, bytes("{}")))
                .extracting(NextGenPsd2Spec.Violation::problem).singleElement().asString().contains("418");
    }
}
