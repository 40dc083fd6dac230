package org.openfinq.server.tenant;

import org.openfinq.server.web.ApiException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A tenant app's settings for the hosted pages, redirects and browser calls.
 *
 * @param displayName    the app's name as end-users see it (hosted pages, the bank's pages); the tenant name if unset
 * @param logoUrl        an https URL or a {@code data:image/...;base64,} URI of at most {@link #MAX_LOGO} characters
 * @param brandColor     {@code #rrggbb}
 * @param redirectUrls   allowed {@code psu_redirect_link}s: an exact URL (its query is ignored), or a prefix ending in
 *                       {@code /*}; empty allows any absolute URI
 * @param allowedOrigins origins ({@code scheme://host[:port]}) whose browser calls to the client_app_key endpoints may
 *                       read the answers (CORS)
 */
public record TenantSettings(String displayName, String logoUrl, String brandColor, List<String> redirectUrls,
                             List<String> allowedOrigins) {

    public static final int MAX_LOGO = 65_536;
    public static final TenantSettings NONE = new TenantSettings(null, null, null, List.of(), List.of());
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern DATA_LOGO = Pattern.compile("data:image/(png|jpeg|gif|webp|svg\\+xml);base64,[A-Za-z0-9+/=]+");

    /** Whether {@code link} (an absolute URI already checked as such) may receive the end-user's browser. */
    public boolean allowsRedirect(String link) {
        if (redirectUrls.isEmpty()) {
            return true;
        }
        String bare = withoutQuery(link);
        for (String entry : redirectUrls) {
            if (entry.endsWith("*") ? bare.startsWith(entry.substring(0, entry.length() - 1)) : bare.equals(withoutQuery(entry))) {
                return true;
            }
        }
        return false;
    }

    public boolean allowsOrigin(String origin) {
        return origin != null && allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    private static String withoutQuery(String link) {
        int cut = link.length();
        for (char c : new char[]{'?', '#'}) {
            int i = link.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return link.substring(0, cut);
    }

    static String checkDisplayName(String v) {
        if (v != null && (v.isBlank() || v.length() > 100)) {
            throw ApiException.invalidField("display_name", "must be 1 to 100 characters");
        }
        return v == null ? null : v.strip();
    }

    static String checkLogo(String v) {
        if (v == null) {
            return null;
        }
        if (v.length() > MAX_LOGO) {
            throw ApiException.invalidField("logo_url", "must be at most " + MAX_LOGO + " characters");
        }
        if (v.startsWith("data:")) {
            if (!DATA_LOGO.matcher(v).matches()) {
                throw ApiException.invalidField("logo_url", "a data URI must be data:image/(png|jpeg|gif|webp|svg+xml);base64,...");
            }
            return v;
        }
        URI uri = uri(v, "logo_url");
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw ApiException.invalidField("logo_url", "must be an https URL or a data:image URI");
        }
        return v;
    }

    static String checkColor(String v) {
        if (v != null && !COLOR.matcher(v).matches()) {
            throw ApiException.invalidField("brand_color", "must be a colour as #rrggbb");
        }
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    static List<String> checkRedirects(List<String> v) {
        if (v.size() > 50) {
            throw ApiException.invalidField("redirect_urls", "may hold at most 50 entries");
        }
        for (String entry : v) {
            String url = entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry;
            URI uri = uri(url, "redirect_urls");
            if (uri.getScheme() == null || uri.getHost() == null || url.length() > 2048) {
                throw ApiException.invalidField("redirect_urls", "'" + entry + "' is not an absolute URL");
            }
            if (entry.endsWith("*") && (!url.endsWith("/") || uri.getRawPath() == null || uri.getRawPath().isEmpty()
                    || url.contains("?") || url.contains("#"))) {
                throw ApiException.invalidField("redirect_urls", "a prefix must end with '/*', after the host (got '" + entry + "')");
            }
        }
        return List.copyOf(v);
    }

    static List<String> checkOrigins(List<String> v) {
        if (v.size() > 50) {
            throw ApiException.invalidField("allowed_origins", "may hold at most 50 entries");
        }
        return v.stream().map(o -> {
            URI uri = uri(o, "allowed_origins");
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw ApiException.invalidField("allowed_origins", "'" + o + "' is not an origin (scheme://host[:port])");
            }
            return o.toLowerCase(Locale.ROOT);
        }).distinct().toList();
    }

    private static URI uri(String v, String field) {
        try {
            return new URI(v);
        } catch (URISyntaxException e) {
            throw ApiException.invalidField(field, "'" + v + "' is not a URL");
        }
    }
}
