package org.openfinq.connector.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted browser for HTML form pages: keeps cookies, reads forms, submits them, and follows redirects on
 * the page's own origin. A redirect to another origin (the TPP's redirect URI) ends the walk and is handed back
 * unfetched, as the TPP's app would receive it.
 */
public final class Browser {

    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern BUTTON = Pattern.compile("<button\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTR = Pattern.compile("([a-zA-Z-]+)(?:=\"([^\"]*)\")?");

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** A page, or the URI the browser was sent to outside the page's origin. */
    public record Page(URI uri, int status, String html, URI leftTo) {
        public boolean left() {
            return leftTo != null;
        }
    }

    /** A form on a page: where it posts, its fields with their current values, and its submit buttons. */
    public record Form(URI action, Map<String, List<String>> fields, List<Map<String, String>> buttons) {
    }

    public Page get(URI uri) {
        return follow(uri, send(HttpRequest.newBuilder(uri).GET(), uri));
    }

    /** Submits a form with these field values and the button {@code buttonName=buttonValue}. */
    public Page submit(Form form, Map<String, String> values, String buttonName, String buttonValue) {
        List<String> pairs = new ArrayList<>();
        form.fields().forEach((name, vals) -> {
            if (values.containsKey(name)) {
                pairs.add(enc(name) + "=" + enc(values.get(name)));
            } else {
                vals.forEach(v -> pairs.add(enc(name) + "=" + enc(v)));
            }
        });
        values.forEach((k, v) -> {
            if (!form.fields().containsKey(k)) {
                pairs.add(enc(k) + "=" + enc(v));
            }
        });
        if (buttonName != null) {
            pairs.add(enc(buttonName) + "=" + enc(buttonValue));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(form.action())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs)));
        return follow(form.action(), send(b, form.action()));
    }

    private HttpResponse<String> send(HttpRequest.Builder b, URI uri) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("browser could not load " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Page follow(URI from, HttpResponse<String> r) {
        for (int hops = 0; hops < 10; hops++) {
            int s = r.statusCode();
            if (s < 300 || s >= 400) {
                return new Page(r.uri(), s, r.body(), null);
            }
            URI next = from.resolve(r.headers().firstValue("Location").orElseThrow());
            if (!sameOrigin(from, next)) {
                return new Page(r.uri(), s, null, next);
            }
            r = send(HttpRequest.newBuilder(next).GET(), next);
            from = next;
        }
        throw new IllegalStateException("too many redirects from " + from);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getAuthority().equalsIgnoreCase(b.getAuthority());
    }

    /** The forms of a page, in order. */
    public static List<Form> forms(Page page) {
        List<Form> forms = new ArrayList<>();
        Matcher f = FORM.matcher(page.html() == null ? "" : page.html());
        while (f.find()) {
            Map<String, String> formAttrs = attrs(f.group(1));
            URI action = page.uri().resolve(unescape(formAttrs.getOrDefault("action", page.uri().toString())));
            Map<String, List<String>> fields = new LinkedHashMap<>();
            Matcher i = INPUT.matcher(f.group(2));
            while (i.find()) {
                Map<String, String> a = attrs(i.group(1));
                String type = a.getOrDefault("type", "text");
                if (!a.containsKey("name") || ((type.equals("checkbox") || type.equals("radio")) && !a.containsKey("checked"))) {
                    continue;
                }
                fields.computeIfAbsent(a.get("name"), k -> new ArrayList<>()).add(unescape(a.getOrDefault("value", "")));
            }
            List<Map<String, String>> buttons = new ArrayList<>();
            Matcher b = BUTTON.matcher(f.group(2));
            while (b.find()) {
                buttons.add(attrs(b.group(1)));
            }
            forms.add(new Form(action, fields, buttons));
        }
        return forms;
    }

    private static Map<String, String> attrs(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTR.matcher(raw);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(), m.group(2) == null ? "" : m.group(2));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
