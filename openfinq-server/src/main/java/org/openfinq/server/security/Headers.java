package org.openfinq.server.security;

import jakarta.servlet.http.HttpServletResponse;

/** The response headers every answer carries (see the security chains), for answers written outside them. */
public final class Headers {

    /** JSON answers and redirects: nothing may be loaded, framed or submitted. */
    public static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /**
     * The Swagger UI at {@code /docs}: its own scripts, styles and the API description only. Swagger UI sets
     * inline style attributes, so styles also allow {@code 'unsafe-inline'}; scripts do not.
     */
    public static final String DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'";

    /**
     * The server-rendered pages (Connect, the demo app, the index): their own stylesheet and script only, images from
     * here, data URIs or https (tenant logos); forms post only here; no framing, no inline code.
     */
    public static final String PAGES_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static final String NO_STORE = "no-cache, no-store, max-age=0, must-revalidate";

    private Headers() {
    }

    public static void apply(HttpServletResponse response) {
        response.setHeader("Cache-Control", NO_STORE);
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Expires", "0");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", API_CSP);
        response.setHeader("Referrer-Policy", "no-referrer");
    }
}
