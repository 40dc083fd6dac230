package org.openfinq.server.demo;

import io.swagger.v3.oas.annotations.Hidden;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.connect.Html;
import org.openfinq.server.tenant.DemoTenant;
import org.openfinq.server.web.PublicUrl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.openfinq.server.connect.Html.esc;

/**
 * The demo tenant app at {@code /demo}, served where the demo tenant exists (the embedded default). It behaves like a
 * tenant's own web app: its server side starts Connect with the demo tenant's client_secret, takes the temp_token at
 * {@code /demo/callback}, exchanges it, and shows accounts, balances and latest transactions through the public API
 * over HTTP, with the sync status while the first sync runs. It keeps the credentials in an HttpOnly cookie of
 * {@code /demo} (a local demo; a real app keeps them on its server).
 */
@Hidden
@RestController
public class DemoApp {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String COOKIE = "ofq_demo";
    private static final String USER = "demo-user";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final DemoTenant demo;
    private final OpenfinqProperties props;
    private final PublicUrl publicUrl;

    public DemoApp(DemoTenant demo, OpenfinqProperties props, PublicUrl publicUrl) {
        this.demo = demo;
        this.props = props;
        this.publicUrl = publicUrl;
    }

    private record Creds(String clientId, String clientSecret) {
    }

    private Creds creds() {
        if (demo.clientId().isEmpty()) {
            return null;
        }
        try {
            JsonNode saved = JSON.readTree(Files.readAllBytes(props.dataDir().resolve("demo-tenant.json")));
            return new Creds(saved.path("client_id").asString(), saved.path("client_secret").asString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ResponseEntity<String> page(int status, String title, String main, boolean refresh) {
        return Html.ok(status, Html.page("en", title, null, "<span class=\"app\">openfinq demo app</span>",
                main, refresh));
    }

    private static ResponseEntity<String> disabled() {
        return page(404, "Demo app not available", "<h1>Demo app not available</h1><p>The demo app runs where the demo tenant "
                + "exists: the embedded default of <code>./openfinq run</code>.</p>", false);
    }

    @GetMapping("/demo")
    public ResponseEntity<String> home() {
        if (creds() == null) {
            return disabled();
        }
        return page(200, "openfinq demo app", "<h1>See your bank data</h1><p>This small app is a tenant of this openfinq server. "
                + "Connect the sandbox bank (user <strong>alice</strong>, password <strong>sandbox</strong>) and it shows your "
                + "accounts, balances and latest transactions.</p><div class=\"actions\"><form method=\"post\" action=\"/demo/connect\">"
                + "<button type=\"submit\">Connect a bank</button></form></div>", false);
    }

    @PostMapping("/demo/connect")
    public ResponseEntity<String> connect() throws IOException, InterruptedException {
        Creds c = creds();
        if (c == null) {
            return disabled();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("client_id", c.clientId());
        body.put("client_secret", c.clientSecret());
        body.put("tenant_user_id", USER);
        body.put("psu_redirect_link", publicUrl.base() + "/demo/callback");
        body.put("type", "aisp");
        JsonNode r = call("/v1/connect/sessions", body);
        if (!r.has("connect_url")) {
            return failed(r);
        }
        return ResponseEntity.status(303).header(HttpHeaders.LOCATION, r.get("connect_url").asString()).build();
    }

    @GetMapping("/demo/callback")
    public ResponseEntity<String> callback(@RequestParam(name = "temp_token", required = false) String tempToken,
                                           @RequestParam(required = false) String error,
                                           @RequestParam(required = false) String message) throws IOException, InterruptedException {
        Creds c = creds();
        if (c == null) {
            return disabled();
        }
        if (tempToken == null) {
            return page(200, "Not connected", "<h1>Not connected</h1><p>The bank connection did not complete: <code>"
                    + esc(error) + "</code> " + esc(message) + "</p><div class=\"actions\"><a class=\"button\" href=\"/demo\">"
                    + "Try again</a></div>", false);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("client_id", c.clientId());
        body.put("client_secret", c.clientSecret());
        body.put("temp_token", tempToken);
        JsonNode r = call("/v1/tokens", body);
        if (!r.has("access_token")) {
            return failed(r);
        }
        String value = r.get("credentials_id").asString() + "." + r.get("access_token").asString();
        ResponseCookie cookie = ResponseCookie.from(COOKIE, value).path("/demo").httpOnly(true).sameSite("Lax")
                .secure(publicUrl.base().startsWith("https:")).build();
        return ResponseEntity.status(303).header(HttpHeaders.SET_COOKIE, cookie.toString())
                .header(HttpHeaders.LOCATION, "/demo/accounts").build();
    }

    @GetMapping("/demo/accounts")
    public ResponseEntity<String> accounts(@CookieValue(name = COOKIE, required = false) String cookie)
            throws IOException, InterruptedException {
        Creds c = creds();
        if (c == null) {
            return disabled();
        }
        if (cookie == null || !cookie.contains(".")) {
            return ResponseEntity.status(303).header(HttpHeaders.LOCATION, "/demo").build();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("client_id", c.clientId());
        body.put("client_secret", c.clientSecret());
        body.put("credentials_id", cookie.substring(0, cookie.indexOf('.')));
        body.put("access_token", cookie.substring(cookie.indexOf('.') + 1));
        JsonNode consent = call("/v1/consents/get", body);
        if (!consent.has("result")) {
            return failed(consent);
        }
        String state = consent.path("result").path("sync").path("state").asString("pending");
        body.put("tenant_user_id", USER);
        JsonNode accounts = call("/v1/accounts/get", body);
        JsonNode transactions = call("/v1/transactions/get", body);
        boolean filling = !state.equals("ready") && !state.equals("failed");
        StringBuilder main = new StringBuilder("<h1>Your sandbox bank data</h1><p>Sync status: <strong class=\"status\" id=\"sync\">")
                .append(esc(state)).append("</strong>").append(filling ? " – the first sync is filling in; this page reloads." : "")
                .append("</p>");
        main.append("<h2>Accounts</h2><div class=\"scroll\"><table><caption class=\"muted\">Accounts and balances</caption><thead><tr><th scope=\"col\">Account</th>"
                + "<th scope=\"col\">IBAN</th><th scope=\"col\" class=\"num\">Balance</th></tr></thead><tbody>");
        if (accounts.isArray()) {
            for (JsonNode a : accounts) {
                JsonNode d = a.path("data");
                String iban = "";
                for (JsonNode s : d.path("account_schemes")) {
                    if (s.path("scheme_name").asString("").equals("IBAN")) {
                        iban = s.path("identification").asString();
                    }
                }
                JsonNode bal = d.path("balances").path(0);
                main.append("<tr><td>").append(esc(d.path("name").asString(""))).append("</td><td>").append(esc(iban))
                        .append("</td><td class=\"num\">").append(esc(bal.path("balance_amount").asString(""))).append(' ')
                        .append(esc(bal.path("balance_currency").asString(""))).append("</td></tr>");
            }
        }
        main.append("</tbody></table></div><h2>Latest transactions</h2>");
        List<JsonNode> txs = new ArrayList<>();
        if (transactions.isArray()) {
            transactions.forEach(txs::add);
        }
        txs.sort(Comparator.comparing((JsonNode t) -> t.path("data").path("booking_date_time").asString("9999")).reversed());
        main.append("<div class=\"scroll\"><table id=\"transactions\"><caption class=\"muted\">Newest ").append(Math.min(15, txs.size())).append(" of ").append(txs.size()).append("</caption>"
                + "<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Details</th><th scope=\"col\" class=\"num\">Amount</th></tr></thead><tbody>");
        for (JsonNode t : txs.stream().limit(15).toList()) {
            JsonNode d = t.path("data");
            String date = d.path("booking_date_time").asString("pending");
            main.append("<tr><td>").append(esc(date.length() >= 10 ? date.substring(0, 10) : date)).append("</td><td>")
                    .append(esc(d.path("info").asString(""))).append("</td><td class=\"num\">")
                    .append(d.path("credit_debit_indicator").asString("").equals("debit") ? "−" : "")
                    .append(esc(d.path("amount").asString(""))).append(' ').append(esc(d.path("currency").asString(""))).append("</td></tr>");
        }
        main.append("</tbody></table></div><div class=\"actions\"><a class=\"button secondary\" href=\"/demo/accounts\"")
                .append(filling ? " data-refresh" : "").append(">Refresh</a><a class=\"button secondary\" href=\"/demo\">Connect again</a></div>");
        return Html.ok(200, Html.page("en", "Your sandbox bank data", null,
                "<span class=\"app\">openfinq demo app</span>", main.toString(), filling));
    }

    private ResponseEntity<String> failed(JsonNode error) {
        return page(502, "Demo app error", "<h1>Something went wrong</h1><p><code>" + esc(error.path("code").asString(""))
                + "</code> " + esc(error.path("message").asString(error.toString())) + "</p><div class=\"actions\">"
                + "<a class=\"button\" href=\"/demo\">Start again</a></div>", false);
    }

    /** A call to this server's public API, as any tenant app makes it. */
    private JsonNode call(String path, ObjectNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(publicUrl.base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        try {
            return JSON.readTree(r.body());
        } catch (RuntimeException e) {
            return JSON.createObjectNode().put("code", "http_" + r.statusCode()).put("message", "Unexpected answer");
        }
    }
}
