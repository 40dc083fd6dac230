package org.openfinq.server.support;

import org.openfinq.connector.conformance.FormScaDriver;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented onboarding calls, over HTTP, for tests. */
public final class Flows {

    public static final String AIS = "sandbox_ro_aisp_sbx_#1.0";
    public static final String LOAN = "sandbox_ro_loan_sbx_#1.0";
    public static final String PIS = "sandbox_ro_pisp_sbx_#1.0";

    private Flows() {
    }

    /** A session just created: its id and the first nonce. */
    public record Session(String id, String nonce) {
    }

    public static Session session(Api api, Tenants.Creds t, String skill, String userId) {
        Api.Response r = api.post("/v1/sessions", Api.object("tenant_user_id", userId, "client_id", t.clientId(),
                "client_app_key", t.clientAppKey(), "skill", skill));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("SESSION_CREATED");
        return new Session(r.text("session_id"), r.text("nonce"));
    }

    public static Api.Response step(Api api, Tenants.Creds t, String sessionId, String nonce, String skill, String step,
                                    Map<String, ?> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", t.clientId());
        body.put("nonce", nonce);
        body.put("skill", skill);
        body.put("step", step);
        body.put("data", data);
        return api.post("/v1/sessions/" + sessionId + "/steps", body);
    }

    /** Approves (or denies) at the bank in a scripted browser; returns where the bank sent the browser. */
    public static URI bank(Api.Response scaStep, String psu, boolean approve) {
        URI url = URI.create(scaStep.json().path("data").path("url").asString());
        return approve ? FormScaDriver.sandbox().approve(url, psu, "sandbox") : FormScaDriver.sandbox().deny(url, psu, "sandbox");
    }

    /** Follows the bank's redirect on an openfinq node (any node); returns the 302 Location for the tenant app. */
    public static URI receive(Api node, URI fromBank) {
        Api.Response r = node.send("GET", fromBank.getRawPath() + "?" + fromBank.getRawQuery(), Map.of(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        return URI.create(r.raw().headers().firstValue("Location").orElseThrow());
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A full AIS onboarding with the bank's pages driven in a browser; returns the temp_token. */
    public static String aisTempToken(Api api, Tenants.Creds t, String userId, String psu) {
        Session s = session(api, t, AIS, userId);
        Api.Response sca = step(api, t, s.id(), s.nonce(), AIS, "sca", Map.of("psu_redirect_link", "https://app.example/done"));
        assertThat(sca.status()).as(sca.body()).isEqualTo(200);
        return query(receive(api, bank(sca, psu, true))).get("temp_token");
    }

    public static Api.Response exchange(Api api, Tenants.Creds t, String tempToken) {
        return api.post("/v1/tokens", Api.object("client_id", t.clientId(), "client_secret", t.clientSecret(), "temp_token", tempToken));
    }

    /** Credentials from a completed AIS onboarding: credentials_id and access_token. */
    public record Credentials(String credentialsId, String accessToken) {
    }

    public static Credentials aisCredentials(Api api, Tenants.Creds t, String userId, String psu) {
        Api.Response r = exchange(api, t, aisTempToken(api, t, userId, psu));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new Credentials(r.text("credentials_id"), r.text("access_token"));
    }

    public static Api.Response consent(Api api, Tenants.Creds t, Credentials c, String op, Object... extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", t.clientId());
        body.put("client_secret", t.clientSecret());
        body.put("credentials_id", c.credentialsId());
        body.put("access_token", c.accessToken());
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return api.post("/v1/consents/" + op, body);
    }

    /** A data call ({@code accounts}, {@code balances}, {@code transactions}) with an optional filter. */
    public static Api.Response data(Api api, Tenants.Creds t, Credentials c, String userId, String what, Map<String, ?> filter) {
        Map<String, Object> body = dataBody(t, c, userId);
        if (filter != null) {
            body.put("filter", filter);
        }
        return api.post("/v1/" + what + "/get", body);
    }

    /** The credentials every data call carries. */
    public static Map<String, Object> dataBody(Tenants.Creds t, Credentials c, String userId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", t.clientId());
        body.put("client_secret", t.clientSecret());
        body.put("credentials_id", c.credentialsId());
        body.put("access_token", c.accessToken());
        body.put("tenant_user_id", userId);
        return body;
    }

    /** Waits until the consent's latest sync job has ended; returns its status and rows written. */
    public static String[] awaitSync(TestDatabase db, String credentialsId) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
        while (java.time.Instant.now().isBefore(deadline)) {
            try (java.sql.Connection c = db.connect(); java.sql.ResultSet rs = c.createStatement().executeQuery(
                    "select status, rows_written, rows_seen, error from sync_job where consent_id = '" + credentialsId
                            + "' order by created_at desc limit 1")) {
                if (rs.next() && (rs.getString(1).equals("done") || rs.getString(1).equals("failed"))) {
                    return new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
                }
                Thread.sleep(100);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("sync of " + credentialsId + " did not end");
    }

    /** A multipart/form-data upload with text fields and one file. */
    public static Api.Response upload(Api api, String path, Map<String, String> fields, String fileName, String contentType,
                                      byte[] content) {
        String boundary = "----openfinq" + UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        fields.forEach((k, v) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k
                + "\"\r\n\r\n" + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (content != null) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.sendBytes("POST", path, Map.of("Content-Type", "multipart/form-data; boundary=" + boundary), out.toByteArray());
    }
}
