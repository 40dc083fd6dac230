package org.openfinq.server.bridge.gocardless;

import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.tenant.Secrets;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real GoCardless client no one here wrote: {@code e2e/gocardless.e2e.mjs} runs {@code nordigen-node} (pinned in
 * e2e/package-lock.json) with {@code baseUrl} at this server's {@code /api/v2}, and Debian's chromium approves at the
 * sandbox bank. Everything the client read is checked here against /v1's answers for the same consent. Installs the
 * pinned npm packages ({@code npm ci}) when they are missing.
 */
class GocardlessClientTest {

    @Test
    void nordigenNodeRunsTheWholeFlowAndReadsWhatV1Answers() throws Exception {
        Path e2e = Path.of("..", "e2e").toAbsolutePath().normalize();
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            fail("This test needs Debian's chromium at /usr/bin/chromium: apt-get install chromium");
        }
        if (!Files.isDirectory(e2e.resolve("node_modules/nordigen-node")) || !Files.isDirectory(e2e.resolve("node_modules/playwright-core"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(e2e.toFile()).inheritIO().start();
            if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                fail("This test needs the npm packages pinned in e2e/package-lock.json; 'npm ci' in " + e2e + " failed");
            }
        }
        Path out = Path.of("target", "e2e", "gocardless.json").toAbsolutePath();
        Files.createDirectories(out.getParent());
        for (String f : List.of("", ".partial", ".go")) {
            Files.deleteIfExists(Path.of(out + f));
        }
        try (TestDatabase db = TestDatabase.create();
             TestServer server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"))) {
            Api api = server.api();
            Tenants.Creds t = Tenants.create(api, "nordigen", Flows.AIS);
            Api.Response pair = api.admin("POST", "/admin/tenants/" + t.clientId() + "/gocardless/secrets",
                    Map.of("tenant_user_id", "nn-user"));
            assertThat(pair.status()).as(pair.body()).isEqualTo(201);
            ProcessBuilder pb = new ProcessBuilder("node", "gocardless.e2e.mjs").directory(e2e.toFile()).inheritIO();
            pb.environment().putAll(Map.of("E2E_BASE", server.baseUrl(), "E2E_SECRET_ID", pair.text("secret_id"),
                    "E2E_SECRET_KEY", pair.text("secret_key"), "E2E_OUT", out.toString()));
            Process node = pb.start();
            try {
                Path partial = Path.of(out + ".partial");
                Instant deadline = Instant.now().plusSeconds(240);
                while (!Files.exists(partial) && node.isAlive() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }
                assertThat(partial).as("the client's reads (the script stopped early; its output is above)").exists();
                Thread.sleep(200); // written in one call; let it land
                compareWithV1(db, api, t, Api.JSON.readTree(Files.readString(partial)));
                Files.writeString(Path.of(out + ".go"), "checked");
                assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(node.exitValue()).as("e2e/gocardless.e2e.mjs exit code (its output is above)").isZero();
            } finally {
                node.destroyForcibly();
            }
            JsonNode done = Api.JSON.readTree(Files.readString(out));
            assertThat(done.path("deleted").path("summary").asString()).isEqualTo("Requisition deleted");
            assertThat(done.path("notFound").path("status_code").asInt()).isEqualTo(404);
            String consent = done.path("linked").path("accounts").get(0).asString();
            try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "select c.status from consent c join account a on a.consent_id = c.id where a.id = '" + consent + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the requisition's delete deleted its consent").isEqualTo("DELETED");
            }
        }
    }

    /** Every value nordigen-node read against /v1 for the same consent (a /v1 access token of our own set on it). */
    static void compareWithV1(TestDatabase db, Api api, Tenants.Creds t, JsonNode read) throws Exception {
        JsonNode linked = read.path("linked");
        String consent;
        String token = Secrets.newSecret();
        try (Connection c = db.connect()) {
            PreparedStatement q = c.prepareStatement("select consent_id from account where id = ?::uuid");
            q.setString(1, linked.path("accounts").get(0).asString());
            ResultSet rs = q.executeQuery();
            assertThat(rs.next()).isTrue();
            consent = rs.getString(1);
            PreparedStatement u = c.prepareStatement("update consent set access_token_hash = ? where id = ?::uuid");
            u.setString(1, Secrets.hash(token));
            u.setString(2, consent);
            assertThat(u.executeUpdate()).isOne();
        }
        Flows.Credentials v1 = new Flows.Credentials(consent, token);
        List<JsonNode> accounts = list(Flows.data(api, t, v1, "nn-user", "accounts", null));
        List<JsonNode> balances = list(Flows.data(api, t, v1, "nn-user", "balances", null));
        List<JsonNode> transactions = list(Flows.data(api, t, v1, "nn-user", "transactions", null));
        assertThat(linked.path("accounts").size()).isEqualTo(accounts.size()).isPositive();
        Map<String, JsonNode> read1 = new LinkedHashMap<>();
        read.path("accounts").forEach(a -> read1.put(a.path("id").asString(), a));
        assertThat(read1.keySet()).containsExactlyInAnyOrderElementsOf(accounts.stream().map(a -> a.get("id").asString()).toList());
        int checkedTx = 0;
        for (JsonNode a : accounts) {
            String id = a.get("id").asString();
            JsonNode r = read1.get(id);
            String iban = a.path("data").path("account_schemes").get(0).path("identification").asString();
            assertThat(r.path("metadata").path("id").asString()).isEqualTo(id);
            assertThat(r.path("metadata").path("iban").asString()).isEqualTo(iban);
            assertThat(r.path("metadata").path("status").asString()).isEqualTo("READY");
            assertThat(r.path("metadata").path("institution_id").asString()).isEqualTo("SANDBOXFINANCE_SFIN0000");
            assertThat(r.path("details").path("account").path("iban").asString()).isEqualTo(iban);
            assertThat(r.path("details").path("account").path("currency").asString()).isEqualTo(a.path("data").path("currency").asString());
            List<JsonNode> ours = balances.stream().filter(b -> b.get("account_id").asString().equals(id)).toList();
            assertThat(r.path("balances").path("balances").size()).isEqualTo(ours.size());
            for (JsonNode b : ours) {
                String type = b.path("data").path("type").asString();
                type = Character.toLowerCase(type.charAt(0)) + type.substring(1);
                JsonNode g = null;
                for (JsonNode x : r.path("balances").path("balances")) {
                    if (x.path("balanceType").asString().equals(type)) {
                        g = x;
                    }
                }
                assertThat(g).as("balance %s of %s", type, id).isNotNull();
                assertThat(new BigDecimal(g.path("balanceAmount").path("amount").asString())).isEqualByComparingTo(signed(b.get("data")));
                assertThat(g.path("balanceAmount").path("currency").asString()).isEqualTo(b.path("data").path("currency").asString());
            }
            Map<String, JsonNode> got = new LinkedHashMap<>();
            r.path("transactions").path("transactions").path("booked").forEach(x -> got.put(x.path("internalTransactionId").asString(), x));
            r.path("transactions").path("transactions").path("pending").forEach(x -> got.put(x.path("internalTransactionId").asString(), x));
            List<JsonNode> mine = transactions.stream().filter(x -> x.get("account_id").asString().equals(id)).toList();
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(mine.stream().map(x -> x.get("utx_id").asString()).toList());
            for (JsonNode v : mine) {
                JsonNode g = got.get(v.get("utx_id").asString());
                JsonNode d = v.get("data");
                assertThat(new BigDecimal(g.path("transactionAmount").path("amount").asString())).isEqualByComparingTo(signed(d));
                assertThat(g.path("transactionAmount").path("currency").asString()).isEqualTo(d.path("currency").asString());
                if (d.path("status").asString().equals("booked")) {
                    assertThat(g.path("transactionId").asString()).isEqualTo(v.get("utx_id").asString());
                    assertThat(Instant.parse(g.path("bookingDateTime").asString())).isEqualTo(Instant.parse(d.path("booking_date_time").asString()));
                }
                if (!d.path("info").isNull()) {
                    assertThat(g.path("remittanceInformationUnstructured").asString()).isEqualTo(d.path("info").asString());
                }
                checkedTx++;
            }
        }
        assertThat(checkedTx).isPositive();
    }

    static List<JsonNode> list(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    static BigDecimal signed(JsonNode d) {
        BigDecimal v = new BigDecimal(d.get("amount").asString());
        return d.get("credit_debit_indicator").asString().equals("debit") ? v.negate() : v;
    }
}
