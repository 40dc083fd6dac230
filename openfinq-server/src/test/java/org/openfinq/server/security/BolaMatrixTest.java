package org.openfinq.server.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken object-level authorization: two tenants with two users each. Every object id one user holds
 * (credentials_id, access_token, session_id, nonce, temp_token, payment_id, step_id, an upload, and the
 * transactions/sync and events cursors) is tried with
 * the other tenant's credentials, and with another user's, on every endpoint that takes it. No attempt may
 * answer 2xx (a foreign read) or change anything in the database (a foreign write); each victim then uses
 * its own objects successfully, so the attempts targeted live objects.
 */
class BolaMatrixTest {

    static final SandboxData BANK = new SandboxData(42, LocalDate.of(2025, 1, 1), 0, LocalDate.now());

    static TestDatabase db;
    static TestServer server;
    static Api api;

    /** Everything one user of one tenant holds. */
    record Holder(String name, Tenants.Creds tenant, String user, Flows.Credentials credentials, String tempToken,
                  Flows.Session fresh, String loanSession, String loanStep, String loanNonce, String paymentId,
                  String eventsCursor, String syncCursor) {
    }

    static final List<Holder> holders = new ArrayList<>();

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.sandbox-bank.large-psu-transactions", "0"));
        api = server.api();
        Tenants.Creds a = Tenants.create(api, "tenant-a", Flows.AIS, Flows.LOAN, Flows.PIS);
        Tenants.Creds b = Tenants.create(api, "tenant-b", Flows.AIS, Flows.LOAN, Flows.PIS);
        holders.add(holder("A/a1", a, "a1", "alice"));
        holders.add(holder("A/a2", a, "a2", "bogdan"));
        holders.add(holder("B/b1", b, "b1", "alice"));
        holders.add(holder("B/b2", b, "b2", "bogdan"));
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    static Holder holder(String name, Tenants.Creds t, String user, String psu) {
        Flows.Session s = Flows.session(api, t, Flows.AIS, user);
        Api.Response done = Flows.step(api, t, s.id(), s.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", psu));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        Api.Response token = Flows.exchange(api, t, done.json().get("data").get("temp_token").asString());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        Flows.Credentials creds = new Flows.Credentials(token.text("credentials_id"), token.text("access_token"));
        Flows.awaitSync(db, creds.credentialsId());

        Flows.Session s2 = Flows.session(api, t, Flows.AIS, user);
        String tempToken = Flows.step(api, t, s2.id(), s2.nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", psu))
                .json().get("data").get("temp_token").asString();

        Flows.Session fresh = Flows.session(api, t, Flows.AIS, user);

        Flows.Session loan = Flows.session(api, t, Flows.LOAN, user);
        Api.Response form = Flows.step(api, t, loan.id(), loan.nonce(), Flows.LOAN, "product_form", Map.of("value", "5000", "currency", "RON", "period", 24));
        Api.Response applicant = Flows.step(api, t, loan.id(), form.text("nonce"), Flows.LOAN, "applicant",
                Map.of("first_name", "Dan", "last_name", "Stan", "email", "dan@example.ro", "birth_date", "1985-06-01"));
        Api.Response docs = Flows.step(api, t, loan.id(), applicant.text("nonce"), Flows.LOAN, "documents", Map.of("document_type", "payslip"));
        assertThat(docs.status()).as(docs.body()).isEqualTo(200);

        Flows.Session pay = Flows.session(api, t, Flows.PIS, user);
        Map<String, Object> intent = Map.of("psu_redirect_link", "https://shop.example/done", "payment_info", List.of(Map.of(
                "debtor_account", Map.of("iban", BANK.psu(psu).orElseThrow().accounts().getFirst().iban()),
                "credit_transfer_transaction_info", List.of(Map.of("instructed_amount", Map.of("amount", "19.99", "currency", "RON"),
                        "creditor_name", "Shop SRL", "creditor_account", Map.of("iban", BANK.psu("carmen").orElseThrow().accounts().getFirst().iban()))))));
        Api.Response paid = Flows.step(api, t, pay.id(), pay.nonce(), Flows.PIS, "payment_intent", intent);
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        Api.Response events = api.post("/v1/events/get", body("client_id", t.clientId(), "client_secret", t.clientSecret()));
        assertThat(events.status()).as(events.body()).isEqualTo(200);
        Map<String, Object> sync = consentBody(t, creds.credentialsId(), creds.accessToken());
        sync.put("tenant_user_id", user);
        Api.Response synced = api.post("/v1/transactions/sync", sync);
        assertThat(synced.status()).as(synced.body()).isEqualTo(200);
        return new Holder(name, t, user, creds, tempToken, fresh, loan.id(), docs.text("step_id"), docs.text("nonce"),
                paid.json().get("data").get("payment_id").asString(), events.text("next_cursor"), synced.text("next_cursor"));
    }

    /** The state of every object a foreign call could change (columns background jobs change are left out). */
    static String snapshot() throws Exception {
        String[] queries = {
                "select id, client_id, tenant_user_id, status, access_token_hash, deleted_at, bank_revoked_at, pcd_data_retention from consent order by id",
                "select id, client_id, tenant_user_id, status, next_order, awaiting, error_code from session order by id",
                "select nonce_hash, session_id, used_at from session_nonce order by nonce_hash",
                "select id, session_id, name, step_order from session_step order by id",
                "select id, session_id, step_id, sha256 from session_document order by id",
                "select token_hash, consent_id, used_at from temp_token order by token_hash",
                "select id, client_id, tenant_user_id, session_id, amount from payment order by id",
                "select state_hash, session_id, used_at from sca_redirect order by state_hash",
                "select client_id, key from idempotency_key order by client_id, key",
                "select action, client_id, target from audit_event where action = 'consent.delete' order by id"};
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect()) {
            for (String q : queries) {
                try (ResultSet rs = c.createStatement().executeQuery(q)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            out.append(rs.getString(i)).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    record Attempt(String what, Supplier<Api.Response> call) {
    }

    static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> consentBody(Tenants.Creds as, String credentialsId, String accessToken) {
        return body("client_id", as.clientId(), "client_secret", as.clientSecret(), "credentials_id", credentialsId, "access_token", accessToken);
    }

    static Api.Response upload(Tenants.Creds as, String session, String step, String nonce) {
        return Flows.upload(api, "/v1/sessions/" + session + "/steps/" + step + "/upload",
                Map.of("client_id", as.clientId(), "nonce", nonce), "payslip.pdf", "application/pdf",
                "%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    }

    static String dataPath(String what) {
        return what.contains("/") ? "/v1/" + what : "/v1/" + what + "/get";
    }

    /** What attacker {@code u} can try on victim {@code v}'s objects. */
    static List<Attempt> attempts(Holder u, Holder v) {
        List<Attempt> list = new ArrayList<>();
        Tenants.Creds own = u.tenant();
        boolean sameTenant = u.tenant().clientId().equals(v.tenant().clientId());
        String vc = v.credentials().credentialsId();
        String vt = v.credentials().accessToken();
        String ut = u.credentials().accessToken();
        for (String op : List.of("get", "delete")) {
            if (!sameTenant) {
                list.add(new Attempt("consents/" + op + " foreign credentials_id + its access_token",
                        () -> api.post("/v1/consents/" + op, consentBody(own, vc, vt))));
            }
            list.add(new Attempt("consents/" + op + " credentials_id + another user's access_token",
                    () -> api.post("/v1/consents/" + op, consentBody(own, vc, ut))));
        }
        for (String what : List.of("accounts", "balances", "transactions", "transactions/sync")) {
            if (!sameTenant) {
                list.add(new Attempt(what + "/get foreign credentials_id + access_token + tenant_user_id", () -> {
                    Map<String, Object> b = consentBody(own, vc, vt);
                    b.put("tenant_user_id", v.user());
                    return api.post(dataPath(what), b);
                }));
            } else {
                list.add(new Attempt(what + "/get credentials_id + access_token with another tenant_user_id", () -> {
                    Map<String, Object> b = consentBody(own, vc, vt);
                    b.put("tenant_user_id", u.user());
                    return api.post(dataPath(what), b);
                }));
            }
            list.add(new Attempt(what + "/get credentials_id + another user's access_token", () -> {
                Map<String, Object> b = consentBody(own, vc, ut);
                b.put("tenant_user_id", v.user());
                return api.post(dataPath(what), b);
            }));
        }
        list.add(new Attempt("transactions/sync own credentials_id with another consent's cursor", () -> {
            Map<String, Object> b = consentBody(own, u.credentials().credentialsId(), ut);
            b.put("tenant_user_id", u.user());
            b.put("cursor", v.syncCursor());
            return api.post("/v1/transactions/sync", b);
        }));
        if (!sameTenant) {
            list.add(new Attempt("tokens foreign temp_token", () -> api.post("/v1/tokens",
                    body("client_id", own.clientId(), "client_secret", own.clientSecret(), "temp_token", v.tempToken()))));
            list.add(new Attempt("events/get foreign cursor", () -> api.post("/v1/events/get",
                    body("client_id", own.clientId(), "client_secret", own.clientSecret(), "cursor", v.eventsCursor()))));
            list.add(new Attempt("payments/get foreign payment_id", () -> api.post("/v1/payments/get",
                    body("client_id", own.clientId(), "client_secret", own.clientSecret(), "payment_id", v.paymentId()))));
            list.add(new Attempt("sessions/{id}/steps foreign session_id + its nonce",
                    () -> Flows.step(api, own, v.fresh().id(), v.fresh().nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "alice"))));
            list.add(new Attempt("upload foreign session_id + step_id + its nonce", () -> upload(own, v.loanSession(), v.loanStep(), v.loanNonce())));
        }
        list.add(new Attempt("sessions/{id}/steps session_id + another session's nonce",
                () -> Flows.step(api, own, v.fresh().id(), u.fresh().nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "alice"))));
        list.add(new Attempt("upload session_id + step_id + another session's nonce", () -> upload(own, v.loanSession(), v.loanStep(), u.loanNonce())));
        list.add(new Attempt("upload session_id + another session's step_id", () -> upload(own, v.loanSession(), u.loanStep(), v.loanNonce())));
        list.add(new Attempt("upload own session + step_id of the other session", () -> upload(own, u.loanSession(), v.loanStep(), u.loanNonce())));
        return list;
    }

    @Test
    void noObjectIsReadableOrWritableWithAnotherTenantsOrUsersCredentials() throws Exception {
        String before = snapshot();
        int attempts = 0;
        List<String> foreignReads = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (Holder u : holders) {
            for (Holder v : holders) {
                if (u == v) {
                    continue;
                }
                for (Attempt a : attempts(u, v)) {
                    Api.Response r = a.call().get();
                    attempts++;
                    statuses.merge(r.status(), 1, Integer::sum);
                    if (r.status() < 400 || r.json() == null || !r.json().has("code")) {
                        foreignReads.add(u.name() + " -> " + v.name() + ": " + a.what() + " answered " + r.status() + " " + r.body());
                    }
                }
            }
        }
        String after = snapshot();
        System.out.printf("BOLA matrix: %d attempts by 4 users of 2 tenants, statuses %s, foreign reads %d, foreign writes %s%n",
                attempts, statuses, foreignReads.size(), before.equals(after) ? 0 : "some");
        assertThat(foreignReads).as("foreign reads").isEmpty();
        assertThat(after).as("foreign writes (database state before and after)").isEqualTo(before);
        assertThat(attempts).isGreaterThanOrEqualTo(120);

        // every object was live: its holder can use it
        for (Holder v : holders) {
            String who = v.name();
            assertThat(api.post("/v1/consents/get", consentBody(v.tenant(), v.credentials().credentialsId(), v.credentials().accessToken())).status()).as(who).isEqualTo(200);
            Map<String, Object> data = consentBody(v.tenant(), v.credentials().credentialsId(), v.credentials().accessToken());
            data.put("tenant_user_id", v.user());
            assertThat(api.post("/v1/accounts/get", data).status()).as(who).isEqualTo(200);
            assertThat(api.post("/v1/payments/get", body("client_id", v.tenant().clientId(), "client_secret", v.tenant().clientSecret(),
                    "payment_id", v.paymentId())).status()).as(who).isEqualTo(200);
            assertThat(Flows.exchange(api, v.tenant(), v.tempToken()).status()).as(who).isEqualTo(200);
            assertThat(Flows.step(api, v.tenant(), v.fresh().id(), v.fresh().nonce(), Flows.AIS, "sca_implicit", Map.of("psu_id", "alice"))
                    .status()).as(who).isEqualTo(200);
            Api.Response up = upload(v.tenant(), v.loanSession(), v.loanStep(), v.loanNonce());
            assertThat(up.status()).as(who + " " + up.body()).isEqualTo(200);
            assertThat(api.post("/v1/consents/delete", consentBody(v.tenant(), v.credentials().credentialsId(), v.credentials().accessToken()))
                    .json().path("result").path("status").asString()).as(who).isEqualTo("DELETED");
        }
    }
}
