package org.openfinq.server.webhook;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.testing.TestClock;
import tools.jackson.databind.JsonNode;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks as a tenant gets them: a real receiver on 127.0.0.1 (allow-listed), real onboardings, the delivery job
 * on the job scheduler, a clock the test moves for the backoff.
 */
class WebhookTest {

    static TestDatabase db;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        TestClock.INSTANCE.reset();
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.webhooks.allowed-hosts", "127.0.0.1",
                "openfinq.webhooks.poll-interval", "PT0.2S", "openfinq.jobs.poll-interval", "PT0.2S",
                "openfinq.sandbox-bank.large-psu-transactions", "0", "openfinq.metrics-token", "test-metrics-token-0123456789"),
                TestClock.Config.class);
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
        TestClock.INSTANCE.reset();
    }

    static JsonNode register(Tenants.Creds t, String url, Object... more) {
        List<Object> kv = new ArrayList<>(List.of("url", url));
        kv.addAll(List.of(more));
        Api.Response r = api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks", Api.object(kv.toArray()));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    static void await(String what, Duration max, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    static void error(Api.Response r, int http, String code) {
        org.openfinq.server.support.ApiAssertions.assertError(r, http, "invalid_request", code, "");
    }

    static long testNow() {
        return TestClock.INSTANCE.instant().getEpochSecond();
    }

    @Test
    void onboardingSendsASignedInitialSyncEventThatEventsGetAlsoReplays() throws Exception {
        Tenants.Creds t = Tenants.create(api, "hooks-signed", Flows.AIS);
        try (Receiver rx = new Receiver()) {
            JsonNode ep = register(t, rx.url("/hooks"));
            String secret = ep.get("secret").asString();
            assertThat(secret).startsWith("whsec_");
            assertThat(ep.get("events").isNull()).isTrue();

            Flows.Credentials c = Flows.aisCredentials(api, t, "u-hook", "alice");
            await("sync.initial_completed at the receiver", Duration.ofSeconds(60),
                    () -> rx.hits().stream().anyMatch(h -> h.body().contains("\"sync.initial_completed\"")));
            Receiver.Hit hit = rx.hits().stream().filter(h -> h.body().contains("\"sync.initial_completed\"")).findFirst().orElseThrow();
            JsonNode body = Api.JSON.readTree(hit.body());
            assertThat(body.get("id").asString()).isEqualTo(hit.id());
            assertThat(body.get("credentials_id").asString()).isEqualTo(c.credentialsId());
            assertThat(body.get("client_id").asString()).isEqualTo(t.clientId());
            assertThat(body.get("tenant_user_id").asString()).isEqualTo("u-hook");
            assertThat(StandardWebhooksVerifier.verify(secret, hit.id(), hit.timestamp(), hit.signature(), hit.body(), testNow()))
                    .as("spec verifier accepts %s", hit.signature()).isTrue();
            // the verifier is not a yes-machine: a changed body, id, secret or an old timestamp are refused
            assertThat(StandardWebhooksVerifier.verify(secret, hit.id(), hit.timestamp(), hit.signature(), hit.body() + " ", testNow())).isFalse();
            assertThat(StandardWebhooksVerifier.verify(secret, "x" + hit.id(), hit.timestamp(), hit.signature(), hit.body(), testNow())).isFalse();
            assertThat(StandardWebhooksVerifier.verify("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", hit.id(), hit.timestamp(),
                    hit.signature(), hit.body(), testNow())).isFalse();
            assertThat(StandardWebhooksVerifier.verify(secret, hit.id(), hit.timestamp(), hit.signature(), hit.body(), testNow() + 600)).isFalse();
            // the SDK's one-call verification agrees
            assertThat(org.openfinq.client.Webhooks.verify(secret, Map.of("webhook-id", hit.id(),
                    "webhook-timestamp", hit.timestamp(), "webhook-signature", hit.signature()), hit.body(),
                    TestClock.INSTANCE.instant())).isTrue();

            // a second event (the consent deleted); every event the receiver got, events/get lists in the same order
            Api.Response deleted = Flows.consent(api, t, c, "delete");
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            await("consent.deleted at the receiver", Duration.ofSeconds(30),
                    () -> rx.hits().stream().anyMatch(h -> h.body().contains("\"consent.deleted\"")));
            Thread.sleep(1000);
            Api.Response page = api.post("/v1/events/get", Api.object("client_id", t.clientId(), "client_secret", t.clientSecret()));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            List<String> listed = new ArrayList<>();
            page.json().get("events").forEach(e -> listed.add(e.get("id").asString()));
            List<String> received = rx.hits().stream().map(Receiver.Hit::id).distinct().toList();
            assertThat(received).isEqualTo(listed).hasSizeGreaterThanOrEqualTo(2);
            for (Receiver.Hit h : rx.hits()) {
                assertThat(StandardWebhooksVerifier.verify(secret, h.id(), h.timestamp(), h.signature(), h.body(), testNow())).isTrue();
            }

            // the operator re-sends one event: it arrives again with the same webhook-id
            String first = listed.getFirst();
            Api.Response resend = api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks/" + ep.get("id").asString() + "/resend",
                    Api.object("event_id", first));
            assertThat(resend.status()).as(resend.body()).isEqualTo(202);
            await("the re-sent event", Duration.ofSeconds(20), () -> rx.hits(first).size() == 2);

            // rotation: later deliveries are signed with the new secret only
            Api.Response rotated = api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks/" + ep.get("id").asString()
                    + "/rotate-secret", null);
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            String newSecret = rotated.text("secret");
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(secret);
            api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks/" + ep.get("id").asString() + "/resend",
                    Api.object("event_id", first));
            await("the re-sent event after rotation", Duration.ofSeconds(20), () -> rx.hits(first).size() == 3);
            Receiver.Hit third = rx.hits(first).get(2);
            assertThat(StandardWebhooksVerifier.verify(newSecret, third.id(), third.timestamp(), third.signature(), third.body(), testNow())).isTrue();
            assertThat(StandardWebhooksVerifier.verify(secret, third.id(), third.timestamp(), third.signature(), third.body(), testNow())).isFalse();

            // list shows no secret; delete removes it
            Api.Response list = api.admin("GET", "/admin/tenants/" + t.clientId() + "/webhooks", null);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.json()).hasSize(1);
            assertThat(list.json().get(0).get("secret").isNull()).isTrue();
            assertThat(list.body()).doesNotContain(secret).doesNotContain(newSecret);
            assertThat(api.admin("DELETE", "/admin/tenants/" + t.clientId() + "/webhooks/" + ep.get("id").asString(), null).status())
                    .isEqualTo(204);
            error(api.admin("DELETE", "/admin/tenants/" + t.clientId() + "/webhooks/" + ep.get("id").asString(), null),
                    404, "not_found");
            assertThat(api.admin("GET", "/admin/tenants/" + t.clientId() + "/webhooks", null).json()).isEmpty();
            // admin actions are audited, without the secret
            try (Connection conn = db.connect(); ResultSet rs = conn.createStatement().executeQuery(
                    "select action, details::text from audit_event where client_id = '" + t.clientId() + "' and action like 'webhook.%' order by id")) {
                List<String> actions = new ArrayList<>();
                while (rs.next()) {
                    actions.add(rs.getString(1));
                    assertThat(rs.getString(2)).doesNotContain(secret).doesNotContain(newSecret);
                }
                assertThat(actions).containsExactly("webhook.create", "webhook.resend", "webhook.rotate_secret",
                        "webhook.resend", "webhook.delete");
            }
        }
    }

    @Test
    void failedAttemptsAreRetriedWithBackoffUntilAcceptedThenNeverAgain() throws Exception {
        Tenants.Creds t = Tenants.create(api, "hooks-retry", Flows.AIS);
        try (Receiver rx = new Receiver()) {
            register(t, rx.url("/retry"), "events", List.of("sync.initial_completed"));
            rx.answer(500, 500, 500);
            Flows.aisCredentials(api, t, "u-retry", "bogdan");
            await("first attempt", Duration.ofSeconds(60), () -> rx.hits().size() == 1);
            String id = rx.hits().getFirst().id();
            // attempt n+1 is due 30 s × 2^(n-1) × (0.5..1) of the test clock later: nothing arrives before the clock moves
            long[] minGap = {15, 30, 60};
            for (int n = 1; n <= 3; n++) {
                Thread.sleep(1500);
                assertThat(rx.hits()).as("no retry before the backoff has passed").hasSize(n);
                TestClock.INSTANCE.advance(Duration.ofSeconds(30L << (n - 1)));
                int expected = n + 1;
                await("attempt " + expected, Duration.ofSeconds(20), () -> rx.hits().size() == expected);
                List<Receiver.Hit> hits = rx.hits();
                long gap = Long.parseLong(hits.get(n).timestamp()) - Long.parseLong(hits.get(n - 1).timestamp());
                assertThat(gap).as("backoff before attempt %d", expected).isBetween(minGap[n - 1], 2 * minGap[n - 1] + 2);
            }
            List<Receiver.Hit> hits = rx.hits();
            assertThat(hits).extracting(Receiver.Hit::id).containsOnly(id);
            assertThat(hits).extracting(Receiver.Hit::answered).containsExactly(500, 500, 500, 200);
            // accepted: never again, however far the clock moves
            TestClock.INSTANCE.advance(Duration.ofDays(4));
            Thread.sleep(2000);
            assertThat(rx.hits()).hasSize(4);
            try (Connection conn = db.connect(); ResultSet rs = conn.createStatement().executeQuery(
                    "select state, attempts, last_status from webhook_delivery where event_id = '" + id + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("delivered");
                assertThat(rs.getInt(2)).isEqualTo(4);
                assertThat(rs.getInt(3)).isEqualTo(200);
            }
        } finally {
            TestClock.INSTANCE.reset();
        }
    }

    @Test
    void aReceiverThatNeverAcceptsIsRetriedForSeventyTwoHoursThenMarkedFailed() throws Exception {
        Tenants.Creds t = Tenants.create(api, "hooks-fail", Flows.AIS);
        double before = counter("failed");
        try (Receiver rx = new Receiver()) {
            register(t, rx.url("/fail"), "events", List.of("sync.initial_completed"));
            rx.answer(java.util.Collections.nCopies(200, 503).toArray(Integer[]::new));
            Flows.aisCredentials(api, t, "u-fail", "carmen");
            await("first attempt", Duration.ofSeconds(60), () -> rx.hits().size() == 1);
            String id = rx.hits().getFirst().id();
            // move the clock on by the largest backoff step (6 h) until the 72 h window is over
            for (int hour = 0; hour < 78; hour += 6) {
                int seen = rx.hits().size();
                // the receiver sees an attempt before the server records its outcome and the next attempt's time:
                // move the clock only once that is committed, or the next attempt is planned from the moved clock
                await("attempt " + seen + " recorded", Duration.ofSeconds(20), () -> recordedAttempts(id) >= seen);
                TestClock.INSTANCE.advance(Duration.ofHours(6));
                await("an attempt after " + (hour + 6) + " h", Duration.ofSeconds(20),
                        () -> rx.hits().size() > seen || state(id).equals("failed"));
                if (state(id).equals("failed")) {
                    break;
                }
            }
            await("failed", Duration.ofSeconds(20), () -> state(id).equals("failed"));
            long first = Long.parseLong(rx.hits().getFirst().timestamp());
            long last = Long.parseLong(rx.hits().getLast().timestamp());
            assertThat(last - first).as("retried for at least 72 h").isGreaterThanOrEqualTo(72 * 3600);
            assertThat(counter("failed")).isEqualTo(before + 1);
            int attempts = rx.hits().size();
            TestClock.INSTANCE.advance(Duration.ofDays(1));
            Thread.sleep(1500);
            assertThat(rx.hits()).hasSize(attempts);
            System.out.printf("webhooks: never-accepting receiver got %d attempts over %d h before failed%n", attempts, (last - first) / 3600);
        } finally {
            TestClock.INSTANCE.reset();
        }
    }

    static double counter(String outcome) {
        Api.Response r = api.send("GET", "/metrics", Map.of("Authorization", "Bearer test-metrics-token-0123456789"), null);
        for (String line : r.body().split("\n")) {
            if (line.startsWith("openfinq_webhooks_deliveries_total{") && line.contains("outcome=\"" + outcome + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no counter for " + outcome + " in " + r.status());
    }

    /** Attempts whose outcome is committed (an attempt in flight holds the lease). */
    static int recordedAttempts(String eventId) {
        try (Connection conn = db.connect(); ResultSet rs = conn.createStatement().executeQuery(
                "select case when lease_token is null then attempts else attempts - 1 end from webhook_delivery where event_id = '"
                        + eventId + "'")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String state(String eventId) {
        try (Connection conn = db.connect(); ResultSet rs = conn.createStatement().executeQuery(
                "select state from webhook_delivery where event_id = '" + eventId + "'")) {
            return rs.next() ? rs.getString(1) : "none";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void registrationRefusesEveryNonPublicAddressClassAndPlainHttp() {
        Tenants.Creds t = Tenants.create(api, "hooks-ssrf", Flows.AIS);
        List<String> refused = List.of(
                "http://93.184.215.14/hook",            // not https
                "ftp://93.184.215.14/hook",              // not http(s)
                "https://127.0.0.2/hook",                // loopback (only 127.0.0.1 is allow-listed here)
                "https://localhost:8443/hook",           // a name resolving to loopback
                "https://[::1]/hook",                    // v6 loopback
                "https://10.1.2.3/hook",                 // private
                "https://172.16.0.5/hook",
                "https://192.168.1.1/hook",
                "https://100.64.0.1/hook",               // shared (CGNAT)
                "https://169.254.169.254/latest/meta-data", // link-local (cloud metadata)
                "https://[fe80::1]/hook",                // v6 link-local
                "https://[fd00::1]/hook",                // v6 unique local
                "https://224.0.0.1/hook",                // multicast
                "https://[ff02::1]/hook",                // v6 multicast
                "https://0.0.0.0/hook",                  // unspecified
                "https://[::]/hook",                     // v6 unspecified
                "https://[::ffff:127.0.0.1]/hook",       // IPv4-mapped loopback
                "https://[::ffff:10.0.0.1]/hook",        // IPv4-mapped private
                "https://[::ffff:169.254.169.254]/hook", // IPv4-mapped link-local
                "https://user:pw@93.184.215.14/hook",    // user info
                "not a url");
        for (String url : refused) {
            Api.Response r = api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks", Api.object("url", url));
            error(r, 400, "invalid_webhook_url");
        }
        System.out.printf("webhooks: %d URLs refused at registration%n", refused.size());
        // a public address passes; unknown event types and tenants are refused
        Api.Response ok = api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks", Api.object("url", "https://93.184.215.14/hook"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        error(api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks",
                Api.object("url", "https://93.184.215.14/hook", "events", List.of("nope"))), 400, "invalid_field");
        error(api.admin("POST", "/admin/tenants/6a6b1c1e-0000-4000-8000-000000000000/webhooks",
                Api.object("url", "https://93.184.215.14/hook")), 404, "not_found");
        error(api.admin("POST", "/admin/tenants/" + t.clientId() + "/webhooks", Api.object()), 400, "missing_fields");
    }

    @Test
    void aNameThatResolvesToAPrivateAddressAtDeliveryIsNotCalled() throws Exception {
        Tenants.Creds t = Tenants.create(api, "hooks-rebind", Flows.AIS);
        UrlGuard guard = server.bean(UrlGuard.class);
        InetAddress[] answer = {InetAddress.getByName("93.184.215.14")};
        guard.resolver(host -> host.equals("hooks.tenant.example") ? answer.clone() : InetAddress.getAllByName(host));
        String hook = null;
        try {
            hook = register(t, "https://hooks.tenant.example/in", "events", List.of("sync.initial_completed")).get("id").asString();
            // the name now resolves to a private address (DNS rebinding): the delivery must not go out
            answer[0] = InetAddress.getByName("10.20.30.40");
            Flows.aisCredentials(api, t, "u-rebind", "alice");
            await("a refused attempt", Duration.ofSeconds(60), () -> lastError(t).contains("url refused"));
            assertThat(lastError(t)).contains("private").contains("10.20.30.40");
        } finally {
            if (hook != null) { // no later retry may look the name up for real
                api.admin("DELETE", "/admin/tenants/" + t.clientId() + "/webhooks/" + hook, null);
            }
            guard.resolver(InetAddress::getAllByName);
        }
    }

    static String lastError(Tenants.Creds t) {
        try (Connection conn = db.connect(); ResultSet rs = conn.createStatement().executeQuery(
                "select coalesce(d.last_error, '') from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id "
                        + "where e.client_id = '" + t.clientId() + "'")) {
            return rs.next() ? rs.getString(1) : "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
