package org.openfinq.server.connect;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Server-rendered pages: escaping and the shared layout (one stylesheet, an optional small script, no inline code). */
public final class Html {

    private Html() {
    }

    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Up to two initials of a name, for a bank without a logo. */
    public static String initials(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("\\s+")) {
            if (!word.isEmpty() && Character.isLetterOrDigit(word.charAt(0)) && out.length() < 2) {
                out.append(Character.toUpperCase(word.charAt(0)));
            }
        }
        return out.toString();
    }

    /**
     * A whole page.
     *
     * @param brandCss the stylesheet with the tenant's colours, or null
     * @param header   the header's content (already escaped HTML)
     * @param script   whether the page loads the small script (progressive: the page works without it)
     */
    public static String page(String lang, String title, String brandCss, String header, String main, boolean script) {
        return "<!doctype html>\n<html lang=\"" + esc(lang) + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + "</title>"
                + "<link rel=\"stylesheet\" href=\"/connect/assets/connect.css\">"
                + (brandCss == null ? "" : "<link rel=\"stylesheet\" href=\"" + esc(brandCss) + "\">")
                + (script ? "<script src=\"/connect/assets/connect.js\" defer></script>" : "")
                + "</head><body><header class=\"bar\">" + header + "</header>"
                + "<main id=\"main\" class=\"card\">" + main + "</main>"
                + "<footer class=\"foot\"><p>" + (lang.equals("ro") ? "Securizat de openfinq" : "Secured by openfinq") + "</p></footer>"
                + "</body></html>\n";
    }

    public static ResponseEntity<String> ok(int status, String html) {
        return ResponseEntity.status(status).contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8)).body(html);
    }

    /** {@code #rrggbb} → a readable text colour on it (black or white, whichever contrasts more). */
    public static String textOn(String hex) {
        int r = Integer.parseInt(hex.substring(1, 3), 16);
        int g = Integer.parseInt(hex.substring(3, 5), 16);
        int b = Integer.parseInt(hex.substring(5, 7), 16);
        double l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
        return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
    }

    private static double lin(int c) {
        double s = c / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }
}
