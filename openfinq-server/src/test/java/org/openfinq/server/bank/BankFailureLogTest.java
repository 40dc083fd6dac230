package org.openfinq.server.bank;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bank that answers a consent with 503, then 429, then an SCA refusal: each failure is logged in one line that names
 * the bank, the outcome, the call, the X-Request-ID the bank received and the bank's own words.
 */
@ExtendWith(OutputCaptureExtension.class)
class BankFailureLogTest {

    static final String SERVICER = "6b000000-0000-4000-8000-0000000000f1";
    static final String SKILL = "faults_ro_aisp_sbx_#1.0";

    static HttpServer bank;
    static final AtomicInteger calls = new AtomicInteger();
    static final List<String> requestIds = new CopyOnWriteArrayList<>();
    static Path dir;
    static TestDatabase db;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        bank = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        bank.createContext("/v1/consents", ex -> {
            requestIds.add(ex.getRequestHeaders().getFirst("X-Request-ID"));
            ex.getRequestBody().readAllBytes();
            int n = calls.incrementAndGet();
            int status = n == 1 ? 503 : n == 2 ? 429 : 401;
            String code = n == 1 ? "SERVICE_UNAVAILABLE" : n == 2 ? "ACCESS_EXCEEDED" : "PSU_CREDENTIALS_INVALID";
            byte[] body = ("{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"" + code + "\",\"text\":\"fault " + n + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            if (status == 429) {
                ex.getResponseHeaders().add("Retry-After", "30");
            }
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        bank.start();
        dir = Files.createTempDirectory("openfinq-faults-");
        Path profile = Files.writeString(dir.resolve("faults.json"), """
                {"id": "faults", "protocol": "berlingroup", "base_url": "http://127.0.0.1:%d", "read_timeout": "PT5S",
                 "quirks": {"max_retries": "0"}}
                """.formatted(bank.getAddress().getPort()));
        Path catalog = Files.writeString(dir.resolve("catalog.json"), """
                {"servicers": [{"id": "%s", "name": "Faulty Bank", "country": "Romania", "country_code": "RO", "bank_profile": "faults"}],
                 "skills": [{"id": "%s", "name": "Faulty Bank AIS", "type": "aisp", "environment": "sandbox",
                             "servicer_id": "%s", "steps": [{"name": "sca", "order": 1}]}]}
                """.formatted(SERVICER, SKILL, SERVICER));
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.bank-profile-files", profile.toString(),
                "openfinq.catalog-files", catalog.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        db.close();
        bank.stop(0);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Api.Response sca(Tenants.Creds tenant, String user) {
        Flows.Session s = Flows.session(server.api(), tenant, SKILL, user);
        return Flows.step(server.api(), tenant, s.id(), s.nonce(), SKILL, "sca", Map.of("psu_redirect_link", "https://app.example/done"));
    }

    @Test
    void fiveHundredsRateLimitsAndScaRefusalsAreLoggedWithBankCallRequestIdAndCause(CapturedOutput output) {
        Tenants.Creds tenant = Tenants.create(server.api(), "faults", SKILL);
        for (int i = 1; i <= 3; i++) {
            Api.Response r = sca(tenant, "fault-user-" + i);
            assertThat(r.status()).as(r.body()).isGreaterThanOrEqualTo(400).isLessThan(500);
            assertThat(r.body()).doesNotContain("X-Request-ID");
        }
        assertThat(requestIds).hasSize(3).doesNotContainNull();
        assertThat(output.getOut()).contains("Bank call failed (5xx): faults: POST /v1/consents answered 503 "
                + "SERVICE_UNAVAILABLE: fault 1 (X-Request-ID " + requestIds.get(0) + ") [create_consent]");
        assertThat(output.getOut()).contains("Bank call failed (429): faults: POST /v1/consents answered 429 "
                + "ACCESS_EXCEEDED: fault 2 (X-Request-ID " + requestIds.get(1) + ") [create_consent]");
        assertThat(output.getOut()).contains("Bank call failed (sca_denied): faults: POST /v1/consents answered 401 "
                + "PSU_CREDENTIALS_INVALID: fault 3 (X-Request-ID " + requestIds.get(2) + ") [create_consent]");
    }
}
