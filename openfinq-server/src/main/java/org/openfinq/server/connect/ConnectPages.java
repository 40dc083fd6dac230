package org.openfinq.server.connect;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.catalog.Skill;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.PublicUrl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import static org.openfinq.server.connect.Html.esc;

/**
 * The hosted Connect pages (HTML, not part of the JSON API description): bank picker, consent, bank hand-off, result.
 * Every page after the connect_url needs the flow's cookie, set when the connect_url was opened.
 */
@Hidden
@RestController
public class ConnectPages {

    static final String COOKIE = "ofq_connect";

    private final ConnectService connect;
    private final PublicUrl publicUrl;

    public ConnectPages(ConnectService connect, PublicUrl publicUrl) {
        this.connect = connect;
        this.publicUrl = publicUrl;
    }

    @GetMapping("/connect/s/{token}")
    public ResponseEntity<String> open(@PathVariable String token) {
        ConnectService.Opened opened = connect.open(token);
        String path = "/connect/f/" + opened.flowId();
        ResponseCookie cookie = ResponseCookie.from(COOKIE, opened.browserSecret()).path(path).httpOnly(true)
                .secure(publicUrl.base().startsWith("https:")).sameSite("Lax").maxAge(ConnectService.TTL).build();
        return ResponseEntity.status(303).header(HttpHeaders.SET_COOKIE, cookie.toString()).header(HttpHeaders.LOCATION, path).build();
    }

    @GetMapping(value = "/connect/f/{id}/brand.css", produces = "text/css")
    public ResponseEntity<String> brand(@PathVariable String id, @CookieValue(name = COOKIE, required = false) String secret) {
        ConnectService.View v = connect.view(id, secret);
        String color = v.settings().brandColor() == null ? "#1d4ed8" : v.settings().brandColor();
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, "text/css; charset=utf-8")
                .body(":root{--brand:" + color + ";--on-brand:" + Html.textOn(color) + "}\n");
    }

    @GetMapping("/connect/f/{id}")
    public ResponseEntity<String> picker(@PathVariable String id, @CookieValue(name = COOKIE, required = false) String secret,
                                         @RequestParam(required = false) String q, @RequestParam(required = false) String country,
                                         @RequestHeader(name = "Accept-Language", required = false) String accept) {
        ConnectService.View v = connect.pending(id, secret);
        Texts t = Texts.of(v.flow().language(), accept);
        List<Skill> all = v.skills(connect.catalog());
        TreeSet<String> countries = new TreeSet<>();
        all.forEach(s -> servicer(s).ifPresent(x -> countries.add(x.countryCode())));
        String query = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        String wanted = country == null || country.isBlank() ? null : country.strip().toUpperCase(Locale.ROOT);
        StringBuilder list = new StringBuilder();
        int shown = 0;
        for (Skill s : all) {
            Servicer b = servicer(s).orElse(null);
            if (b == null || (wanted != null && !b.countryCode().equals(wanted))
                    || (!query.isEmpty() && !b.name().toLowerCase(Locale.ROOT).contains(query) && !s.name().toLowerCase(Locale.ROOT).contains(query))) {
                continue;
            }
            shown++;
            list.append("<li><a href=\"/connect/f/").append(v.flow().id()).append("/consent?skill=")
                    .append(URLEncoder.encode(s.id(), StandardCharsets.UTF_8)).append("\"><span class=\"initials\" aria-hidden=\"true\">")
                    .append(esc(Html.initials(b.name()))).append("</span><span><span class=\"bank-name\">").append(esc(b.name()))
                    .append("</span><br><span class=\"muted\">").append(esc(b.country())).append("</span></span></a></li>");
        }
        StringBuilder options = new StringBuilder("<option value=\"\">" + esc(t.get("all")) + "</option>");
        for (String c : countries) {
            options.append("<option value=\"").append(esc(c)).append("\"").append(c.equals(wanted) ? " selected" : "").append(">")
                    .append(esc(c)).append("</option>");
        }
        String main = "<h1>" + esc(t.get("title.pick")) + "</h1><p class=\"muted\">" + esc(t.get("pick.lead", v.appName())) + "</p>"
                + "<form class=\"filter\" method=\"get\" action=\"/connect/f/" + v.flow().id() + "\" role=\"search\">"
                + "<div class=\"field\"><label for=\"q\">" + esc(t.get("search")) + "</label><input id=\"q\" name=\"q\" type=\"search\" value=\""
                + esc(q) + "\" autocomplete=\"off\"></div>"
                + "<div class=\"field\"><label for=\"country\">" + esc(t.get("country")) + "</label><select id=\"country\" name=\"country\">"
                + options + "</select></div><button type=\"submit\" class=\"secondary\">" + esc(t.get("filter")) + "</button></form>"
                + (shown == 0 ? "<p>" + esc(t.get("none")) + "</p>" : "<ul class=\"banks\">" + list + "</ul>")
                + cancelForm(v, t);
        return Html.ok(200, Html.page(t.lang(), t.get("title.pick") + " – " + v.appName(), brandCss(v), header(v), main, false));
    }

    @GetMapping("/connect/f/{id}/consent")
    public ResponseEntity<String> consent(@PathVariable String id, @CookieValue(name = COOKIE, required = false) String secret,
                                          @RequestParam(required = false) String skill,
                                          @RequestHeader(name = "Accept-Language", required = false) String accept) {
        ConnectService.View v = connect.pending(id, secret);
        Texts t = Texts.of(v.flow().language(), accept);
        Skill s = connect.skill(v, Objects.requireNonNullElse(skill, ""));
        Servicer bank = servicer(s).orElseThrow();
        String title;
        StringBuilder main = new StringBuilder();
        if (v.payment() != null) {
            title = t.get("title.pay", v.appName());
            var info = v.payment().path("payment_info").path(0);
            var tr = info.path("credit_transfer_transaction_info").path(0);
            String amount = new BigDecimal(tr.path("instructed_amount").path("amount").asString()).setScale(2).toPlainString();
            main.append("<h1>").append(esc(title)).append("</h1><p>").append(esc(t.get("pay.lead", v.appName(), bank.name()))).append("</p>")
                    .append("<dl class=\"pay\"><dt>").append(esc(t.get("amount"))).append("</dt><dd>").append(esc(amount)).append(' ')
                    .append(esc(tr.path("instructed_amount").path("currency").asString())).append("</dd><dt>").append(esc(t.get("creditor")))
                    .append("</dt><dd>").append(esc(tr.path("creditor_name").asString())).append("<br><span class=\"muted\">")
                    .append(esc(tr.path("creditor_account").path("iban").asString())).append("</span></dd>");
            String reference = tr.path("remittance_information_unstructured").asString("");
            if (!reference.isEmpty()) {
                main.append("<dt>").append(esc(t.get("reference"))).append("</dt><dd>").append(esc(reference)).append("</dd>");
            }
            main.append("</dl>");
        } else {
            title = t.get("title.consent", v.appName());
            main.append("<h1>").append(esc(title)).append("</h1><p>").append(esc(t.get("consent.lead", v.appName(), bank.name())))
                    .append("</p><ul class=\"shared\"><li>").append(esc(t.get("accounts"))).append("</li><li>").append(esc(t.get("balances")))
                    .append("</li><li>").append(esc(t.get("transactions"))).append("</li></ul><p>")
                    .append(esc(t.get("duration", ConnectService.consentDays(v, s)))).append("</p>");
        }
        main.append("<p class=\"muted\">").append(esc(t.get("bank.next", bank.name(), v.appName()))).append("</p>")
                .append("<div class=\"actions\"><form method=\"post\" action=\"/connect/f/").append(v.flow().id()).append("/authorize\">")
                .append("<input type=\"hidden\" name=\"skill\" value=\"").append(esc(s.id())).append("\">")
                .append("<button type=\"submit\">").append(esc(t.get("continue.bank", bank.name()))).append("</button></form>")
                .append(v.skills(connect.catalog()).size() > 1 ? "<a class=\"button secondary\" href=\"/connect/f/" + v.flow().id() + "\">"
                        + esc(t.get("back")) + "</a>" : "")
                .append("</div>").append(cancelForm(v, t));
        return Html.ok(200, Html.page(t.lang(), title, brandCss(v), header(v), main.toString(), false));
    }

    @PostMapping("/connect/f/{id}/authorize")
    public ResponseEntity<String> authorize(@PathVariable String id, @CookieValue(name = COOKIE, required = false) String secret,
                                            @RequestParam(required = false) String skill, HttpServletRequest request) {
        ConnectService.Started started = connect.authorize(id, secret, Objects.requireNonNullElse(skill, ""), request.getRemoteAddr());
        if (started.failure() != null) {
            // a page, not a redirect: the form-action policy also covers redirects of a form's answer
            ConnectService.View v = connect.view(id, secret);
            Texts t = Texts.of(v.flow().language(), request.getHeader("Accept-Language"));
            return ending(v, t, false, t.get("failed.lead", queryValue(started.failure(), "message")), started.failure());
        }
        return ResponseEntity.status(303).header(HttpHeaders.LOCATION, "/connect/f/" + id + "/bank").build();
    }

    @GetMapping("/connect/f/{id}/bank")
    public ResponseEntity<String> bank(@PathVariable String id, @CookieValue(name = COOKIE, required = false) String secret,
                                       @RequestHeader(name = "Accept-Language", required = false) String accept) {
        ConnectService.View v = connect.view(id, secret);
        Texts t = Texts.of(v.flow().language(), accept);
        String url = connect.bankUrl(v);
        String main = "<h1>" + esc(t.get("title.bank")) + "</h1><p>" + esc(t.get("bank.lead")) + "</p>"
                + "<div class=\"actions\"><a class=\"button\" data-auto-follow href=\"" + esc(url) + "\">"
                + esc(t.get("open.bank")) + "</a></div>";
        return Html.ok(200, Html.page(t.lang(), t.get("title.bank"), brandCss(v), header(v), main, true));
    }

    @GetMapping("/connect/f/{id}/return")
    public ResponseEntity<String> result(@PathVariable String id, @CookieValue(name = COOKIE, required = false) String secret,
                                         @RequestParam Map<String, String> params,
                                         @RequestHeader(name = "Accept-Language", required = false) String accept) {
        ConnectService.View v = connect.view(id, secret);
        Texts t = Texts.of(v.flow().language(), accept);
        String next = connect.finish(v, params);
        boolean ok = params.get("error") == null;
        return ending(v, t, ok, ok ? t.get("done.lead", v.appName()) : t.get("failed.lead", params.getOrDefault("message", "")), next);
    }

    /** The last page: the outcome and the link on to the tenant app (followed by the script after a moment). */
    private ResponseEntity<String> ending(ConnectService.View v, Texts t, boolean ok, String message, String next) {
        String title = t.get(ok ? "title.done" : "title.failed");
        String main = "<h1>" + esc(title) + "</h1><p class=\"status " + (ok ? "ok" : "bad") + "\" role=\"status\">"
                + esc(message) + "</p><div class=\"actions\"><a class=\"button\" data-auto-follow href=\"" + esc(next) + "\">"
                + esc(t.get("continue.app", v.appName())) + "</a></div>";
        return Html.ok(200, Html.page(t.lang(), title, brandCss(v), header(v), main, true));
    }

    /**
     * Cancel answers a page with the link to the tenant app rather than a redirect to it: the pages' form-action
     * policy ('self') also applies to redirects that answer a form.
     */
    @PostMapping("/connect/f/{id}/cancel")
    public ResponseEntity<String> cancel(@PathVariable String id, @CookieValue(name = COOKIE, required = false) String secret,
                                         @RequestHeader(name = "Accept-Language", required = false) String accept) {
        ConnectService.View v = connect.pending(id, secret);
        Texts t = Texts.of(v.flow().language(), accept);
        String next = connect.cancel(id, secret);
        return ending(v, t, false, t.get("cancelled"), next);
    }

    @ExceptionHandler(ConnectService.Refused.class)
    public ResponseEntity<String> refused(ConnectService.Refused e, HttpServletRequest request) {
        Texts t = Texts.of(null, request.getHeader("Accept-Language"));
        return refusedPage(t, e.status, t.get("refused." + e.key));
    }

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<String> apiError(ApiException e, HttpServletRequest request) {
        Texts t = Texts.of(null, request.getHeader("Accept-Language"));
        return refusedPage(t, e.http() >= 500 ? 503 : 400, e.getMessage());
    }

    private static ResponseEntity<String> refusedPage(Texts t, int status, String message) {
        String main = "<h1>" + esc(t.get("title.refused")) + "</h1><p>" + esc(message) + "</p>";
        return Html.ok(status, Html.page(t.lang(), t.get("title.refused"), null, "<span class=\"app\">openfinq Connect</span>", main, false));
    }

    private String cancelForm(ConnectService.View v, Texts t) {
        return "<form class=\"actions\" method=\"post\" action=\"/connect/f/" + v.flow().id() + "/cancel\">"
                + "<button type=\"submit\" class=\"secondary\">" + esc(t.get("cancel", v.appName())) + "</button></form>";
    }

    private static String queryValue(String url, String name) {
        String q = java.net.URI.create(url).getRawQuery();
        for (String pair : q == null ? new String[0] : q.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static String brandCss(ConnectService.View v) {
        return "/connect/f/" + v.flow().id() + "/brand.css";
    }

    private static String header(ConnectService.View v) {
        String logo = v.settings().logoUrl();
        return (logo == null ? "" : "<img src=\"" + esc(logo) + "\" alt=\"\">") + "<span class=\"app\">" + esc(v.appName()) + "</span>";
    }

    private java.util.Optional<Servicer> servicer(Skill s) {
        return connect.catalog().servicer(s.servicerId());
    }
}
