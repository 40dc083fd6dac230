package org.openfinq.sandboxbank;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bind address, public URL for SCA links (a phone on the LAN) and the standalone command line. */
class SandboxReachabilityTest {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    @Test
    void scaLinksUseThePublicUrlWhileTheApiAnswersOnTheBoundAddress() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withHost("127.0.0.1").withLargePsuTransactions(0)
                .withPublicUrl("http://192.0.2.20:8090/");
        try (SandboxBank bank = SandboxBank.start(config)) {
            assertThat(bank.url()).startsWith("http://127.0.0.1:");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bank.url() + "/v1/consents"))
                    .header("X-Request-ID", UUID.randomUUID().toString()).header("TPP-Redirect-URI", "https://tpp.invalid/ok")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"access\":{\"allPsd2\":\"allAccounts\"},\"recurringIndicator\":true,"
                            + "\"validUntil\":\"2099-01-01\",\"frequencyPerDay\":4}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("_links").path("scaRedirect").path("href").asString())
                    .isEqualTo("http://192.0.2.20:8090/sca/consents/" + body.get("consentId").asString());
        }
    }

    @Test
    void theCommandLineTakesHostAndPublicUrlAndHelpPrintsUsage() {
        SandboxConfig c = SandboxBank.parse(new String[]{"--host", "0.0.0.0", "--port", "8099", "--public-url", "http://192.168.1.20:8099"});
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8099);
        assertThat(c.publicUrl()).isEqualTo("http://192.168.1.20:8099");
        assertThatThrownBy(() -> SandboxBank.parse(new String[]{"--help"}))
                .hasMessageStartingWith("usage: java -jar openfinq-sandbox-bank-standalone.jar").hasMessageContaining("--public-url URL");
        assertThatThrownBy(() -> SandboxBank.parse(new String[]{"--port", "eighty"})).hasMessageStartingWith("--port needs a number, not 'eighty'");
        assertThatThrownBy(() -> SandboxBank.parse(new String[]{"--colour", "red"})).hasMessageStartingWith("unknown option --colour");
        assertThatThrownBy(() -> SandboxBank.parse(new String[]{"--port"})).hasMessageStartingWith("--port needs a value");
    }
}
