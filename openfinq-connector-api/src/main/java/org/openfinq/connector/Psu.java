package org.openfinq.connector;

import java.net.URI;
import java.util.Optional;

/**
 * Who the call is made for and whether they are present. A call with an IP address is made while the PSU
 * is present (it does not count against the bank's unattended allowance); without one it is unattended.
 *
 * @param psuId     the PSU's login at the bank, when the bank needs it
 * @param ipAddress the PSU's IP address when present, else null
 */
public record Psu(String psuId, String ipAddress) {

    public static final Psu UNATTENDED = new Psu(null, null);

    public static Psu present(String ipAddress) {
        return new Psu(null, ipAddress);
    }

    public boolean isPresent() {
        return ipAddress != null;
    }

    public Optional<String> id() {
        return Optional.ofNullable(psuId);
    }

    /**
     * Where the bank sends the PSU's browser after SCA, and who asks. Both URIs carry a {@code state} query
     * parameter; a connector whose protocol has a state of its own (OAuth2) may send that value as the protocol's
     * state and the ok URI without it ({@link #okWithoutState()}): the receiver reads {@code state} either way, and
     * takes an {@code error} parameter as a failed authorisation.
     *
     * @param ok            after success
     * @param nok           after denial or failure
     * @param requestingApp the display name of the app the PSU uses (the tenant's), for banks that show it on their
     *                      SCA pages; null when unknown. Real banks show the TPP's name from its eIDAS certificate.
     */
    public record Redirects(URI ok, URI nok, String requestingApp) {

        public Redirects(URI ok, URI nok) {
            this(ok, nok, null);
        }

        /** The {@code state} query parameter of the ok URI, or null. */
        public String state() {
            return query(ok).get("state");
        }

        /** The ok URI without its {@code state} parameter (an OAuth2 {@code redirect_uri}). */
        public URI okWithoutState() {
            java.util.Map<String, String> q = query(ok);
            q.remove("state");
            StringBuilder s = new StringBuilder();
            q.forEach((k, v) -> s.append(s.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
            String base = ok.toString().replaceFirst("\\?.*$", "");
            return URI.create(s.isEmpty() ? base : base + "?" + s);
        }

        private static String enc(String v) {
            return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The decoded query parameters of {@code uri}, in order. */
        public static java.util.Map<String, String> query(URI uri) {
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            String raw = uri.getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    String k = eq < 0 ? pair : pair.substring(0, eq);
                    String v = eq < 0 ? "" : pair.substring(eq + 1);
                    out.put(java.net.URLDecoder.decode(k, java.nio.charset.StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }
}
