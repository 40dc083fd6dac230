package org.openfinq.server.bank;

import org.openfinq.connector.BankException;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The sandbox bank's automation API ({@code /sandbox/v1/.../authorise}), over HTTP: decides SCA for a sandbox
 * PSU without a browser. Used only by sandbox skills (step {@code sca_implicit}).
 */
@Component
public class SandboxAutomation {

    private static final tools.jackson.databind.ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final BankProfiles profiles;

    public SandboxAutomation(BankProfiles profiles) {
        this.profiles = profiles;
    }

    public void authoriseConsent(String bankConsentId, String psuId) {
        post("/sandbox/v1/consents/" + bankConsentId + "/authorise", psuId);
    }

    public void authorisePayment(String bankPaymentId, String psuId) {
        post("/sandbox/v1/payments/" + bankPaymentId + "/authorise", psuId);
    }

    private void post(String path, String psuId) {
        URI base = profiles.find("sandbox").orElseThrow().baseUrl();
        String body = JSON.writeValueAsString(java.util.Map.of("psuId", psuId, "approve", true));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401) {
                throw new BankException.ScaFailed("The sandbox bank has no PSU '" + psuId + "'", 401, "PSU_CREDENTIALS_INVALID");
            }
            if (r.statusCode() != 200) {
                throw new BankException.BadRequest("The sandbox bank refused SCA: " + r.body(), r.statusCode(), null);
            }
        } catch (IOException e) {
            throw new BankException.Unavailable("The sandbox bank cannot be reached", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BankException.Unavailable("interrupted", 0, e);
        }
    }
}
