package org.openfinq.connector.berlingroup;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.Authorisation;
import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.Psu;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The authorisation variant is read from the bank's answer, whatever the bank is: answers a bank other than ours
 * may give (explicit start ending decoupled, embedded only, no link at all), with field names from the
 * NextGenPSD2 1.3.9 specification.
 */
class AuthorisationLinksTest {

    static WireMockServer bank;
    static final Psu PSU = new Psu("psu-1", "192.0.2.10");
    static final Psu.Redirects REDIRECTS = new Psu.Redirects(URI.create("https://tpp.invalid/ok?state=s1&result=ok"),
            URI.create("https://tpp.invalid/ok?state=s1&result=nok"), "Acme Buget Ș+1");
    static final ConsentRequest REQUEST = new ConsentRequest(List.of(), true, LocalDate.now().plusDays(30), 4);

    @BeforeAll
    static void start() {
        bank = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        bank.start();
    }

    @AfterAll
    static void stop() {
        bank.stop();
    }

    @BeforeEach
    void reset() {
        bank.resetAll();
    }

    static BerlinGroupConnector connector(BankProfile.ScaApproach approach, Map<String, String> quirks) {
        return new BerlinGroupConnector(new BankProfile("links", "Links Bank", "berlingroup",
                URI.create("http://127.0.0.1:" + bank.port() + "/psd2"), approach, null, 0, 0, null, Duration.ofSeconds(10),
                Duration.ofSeconds(20), quirks));
    }

    static void consentAnswer(String linksJson) {
        bank.stubFor(post(urlPathEqualTo("/psd2/v1/consents")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"consentStatus\": \"received\", \"consentId\": \"c-1\", \"_links\": " + linksJson + "}")));
    }

    @Test
    void explicitStartWhoseAuthorisationIsDecoupled() {
        consentAnswer("{\"startAuthorisationWithPsuIdentification\": {\"href\": \"/psd2/v1/consents/c-1/authorisations\"}}");
        bank.stubFor(post(urlPathEqualTo("/psd2/v1/consents/c-1/authorisations")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withHeader("ASPSP-SCA-Approach", "DECOUPLED")
                .withBody("{\"scaStatus\": \"started\", \"authorisationId\": \"a-1\", \"psuMessage\": \"Open your app\","
                        + " \"_links\": {\"scaStatus\": {\"href\": \"/psd2/v1/consents/c-1/authorisations/a-1\"}}}")));
        ConsentStart start = connector(BankProfile.ScaApproach.DECOUPLED, Map.of("explicit_start", "true"))
                .accountInformation().createConsent(REQUEST, PSU, REDIRECTS);
        assertThat(start.authorisation()).isEqualTo(new Authorisation.Decoupled("Open your app"));
        assertThat(start.scaRedirect()).isNull();
        LoggedRequest created = bank.findAll(postRequestedFor(urlPathEqualTo("/psd2/v1/consents"))).getFirst();
        assertThat(created.getHeader("TPP-Decoupled-Preferred")).isEqualTo("true");
        assertThat(created.getHeader("TPP-Redirect-Preferred")).isEqualTo("false");
        assertThat(created.getHeader("TPP-Explicit-Authorisation-Preferred")).isEqualTo("true");
        assertThat(created.containsHeader("X-Requesting-App")).as("no header for the app's name unless the profile names one").isFalse();
        bank.verify(postRequestedFor(urlPathEqualTo("/psd2/v1/consents/c-1/authorisations")).withHeader("PSU-ID", equalTo("psu-1")));
    }

    @Test
    void implicitRedirectKeepsItsLinkAndNamesTheAppWhereTheProfileSaysHow() {
        consentAnswer("{\"scaRedirect\": {\"href\": \"https://bank.invalid/sca/c-1\"}, \"scaStatus\": {\"href\": \"/x\"}}");
        ConsentStart start = connector(null, Map.of("header.requesting_app", "X-Requesting-App"))
                .accountInformation().createConsent(REQUEST, PSU, REDIRECTS);
        assertThat(start.authorisation()).isEqualTo(new Authorisation.Redirect(URI.create("https://bank.invalid/sca/c-1")));
        bank.verify(postRequestedFor(urlPathEqualTo("/psd2/v1/consents")).withHeader("X-Requesting-App", equalTo("Acme+Buget+%C8%98%2B1"))
                .withHeader("TPP-Redirect-Preferred", equalTo("true")));
    }

    @Test
    void embeddedOnlyIsRefusedWithTheReason() {
        consentAnswer("{\"updatePsuAuthentication\": {\"href\": \"/psd2/v1/consents/c-1/authorisations/a-1\"},"
                + " \"scaStatus\": {\"href\": \"/psd2/v1/consents/c-1/authorisations/a-1\"}}");
        assertThatThrownBy(() -> connector(null, Map.of()).accountInformation().createConsent(REQUEST, PSU, REDIRECTS))
                .isInstanceOf(BankException.InvalidResponse.class).hasMessageContaining("embedded SCA is not supported");
    }

    @Test
    void noAuthorisationLinkIsAnInvalidAnswer() {
        consentAnswer("{\"self\": {\"href\": \"/psd2/v1/consents/c-1\"}}");
        assertThatThrownBy(() -> connector(null, Map.of()).accountInformation().createConsent(REQUEST, PSU, REDIRECTS))
                .isInstanceOf(BankException.InvalidResponse.class).hasMessageContaining("scaRedirect, startAuthorisation, scaOAuth or scaStatus");
    }

    @Test
    void oauthMetadataWithoutATokenEndpointIsTheBanksFault() {
        consentAnswer("{\"scaOAuth\": {\"href\": \"/psd2/.well-known/oauth-authorization-server\"}}");
        bank.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/psd2/.well-known/oauth-authorization-server"))
                .willReturn(okJson("{\"authorization_endpoint\": \"https://bank.invalid/authorize\"}")));
        assertThatThrownBy(() -> connector(BankProfile.ScaApproach.OAUTH, Map.of()).accountInformation().createConsent(REQUEST, PSU, REDIRECTS))
                .isInstanceOf(BankException.InvalidResponse.class).hasMessageContaining("token_endpoint");
    }
}
