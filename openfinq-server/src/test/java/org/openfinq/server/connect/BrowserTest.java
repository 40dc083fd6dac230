package org.openfinq.server.connect;

import org.junit.jupiter.api.Test;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The hosted pages in a real Chromium: runs {@code e2e/connect.e2e.mjs} (playwright-core, axe-core) against a server
 * with the demo tenant. Needs Debian's {@code chromium} and node; installs the pinned npm packages ({@code npm ci})
 * when {@code e2e/node_modules} is missing. Screenshots and the axe report go to {@code target/e2e/}.
 */
class BrowserTest {

    @Test
    void connectFlowsDemoAndIndexInChromium() throws Exception {
        Path e2e = Path.of("..", "e2e").toAbsolutePath().normalize();
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            fail("Browser tests need Debian's chromium at /usr/bin/chromium: apt-get install chromium");
        }
        if (!Files.isDirectory(e2e.resolve("node_modules/playwright-core")) || !Files.isDirectory(e2e.resolve("node_modules/axe-core"))) {
            int npm = run(e2e, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
            if (npm != 0) {
                fail("Browser tests need the npm packages pinned in e2e/package-lock.json; 'npm ci' in " + e2e + " failed");
            }
        }
        Path out = Path.of("target", "e2e").toAbsolutePath();
        try (TestDatabase db = TestDatabase.create();
             TestServer server = TestServer.start(db, Map.of("openfinq.demo-tenant", "true",
                     "openfinq.sandbox-bank.large-psu-transactions", "0"))) {
            Api api = server.api();
            Tenants.Creds t = Tenants.create(api, "e2e-app", Flows.AIS, Flows.PIS);
            Api.Response settings = api.admin("PATCH", "/admin/tenants/" + t.clientId(), Map.of("display_name", "E2E Budget",
                    "brand_color", "#0b7a3b", "redirect_urls", List.of("https://app.example/connected")));
            assertThat(settings.status()).as(settings.body()).isEqualTo(200);
            String debtor = new SandboxData(42, LocalDate.of(2025, 1, 1), 0, LocalDate.now(ZoneOffset.UTC))
                    .psu("alice").orElseThrow().accounts().get(0).iban();
            int exit = run(e2e, List.of("node", "connect.e2e.mjs"), Map.of(
                    "E2E_BASE", server.baseUrl(),
                    "E2E_CLIENT_ID", t.clientId(),
                    "E2E_CLIENT_SECRET", t.clientSecret(),
                    "E2E_DEBTOR_IBAN", debtor,
                    "E2E_OUT", out.toString()), 300);
            assertThat(exit).as("e2e/connect.e2e.mjs exit code (its output is above; report in %s)", out).isZero();
            assertThat(out.resolve("picker-mobile.png")).exists();
            assertThat(out.resolve("demo-accounts-desktop.png")).exists();
        }
    }

    private static int run(Path dir, List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).inheritIO();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail("Cannot run " + command.getFirst() + " (is node/npm installed?): " + e.getMessage());
            return -1;
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        return p.exitValue();
    }
}
