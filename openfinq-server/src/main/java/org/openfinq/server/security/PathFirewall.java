package org.openfinq.server.security;

import jakarta.servlet.http.HttpServletRequest;
import org.openfinq.server.web.ContainerErrors;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import java.util.Set;

/**
 * The firewall every request passes before any check or routing: only paths in normal form get through, so
 * the path the security matchers see is byte for byte the path the router matches. Spring Security's strict
 * firewall already refuses {@code ;} path parameters, encoded {@code /}, {@code \}, {@code .}, {@code %},
 * NUL, CR and LF, {@code //}, {@code /./} and {@code /../} segments, and control characters; on top of that a
 * percent-encoded unreserved character ({@code %61} for {@code a}, in either hex case) is refused, as it only
 * ever serves to spell a path differently. Methods outside {@link ContainerErrors#METHODS} are refused, and
 * so are HTTP/0.9 requests and OPTIONS requests other than CORS preflights under {@code /v1/} (see {@link BrowserOrigins}),
 * and so are HTTP/0.9 requests (no headers, so no credentials; Tomcat still answers them).
 */
public final class PathFirewall extends StrictHttpFirewall {

    private static final Set<String> VERSIONS = Set.of("HTTP/1.0", "HTTP/1.1", "HTTP/2.0");

    private PathFirewall() {
    }

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) throws RequestRejectedException {
        if (!VERSIONS.contains(request.getProtocol())) {
            throw new RequestRejectedException("The request was rejected because its HTTP version is not supported");
        }
        FirewalledRequest checked = super.getFirewalledRequest(request);
        if ("OPTIONS".equals(request.getMethod())
                && !(BrowserOrigins.isPreflight(request) && request.getRequestURI().startsWith("/v1/"))) {
            throw new RequestRejectedException("The request was rejected because OPTIONS is only answered as a CORS preflight");
        }
        return checked;
    }

    public static StrictHttpFirewall create() {
        PathFirewall firewall = new PathFirewall();
        java.util.List<String> methods = new java.util.ArrayList<>(ContainerErrors.METHODS);
        methods.add("OPTIONS"); // CORS preflights of /v1 only, see getFirewalledRequest
        firewall.setAllowedHttpMethods(methods);
        firewall.setAllowSemicolon(false);
        firewall.setAllowUrlEncodedSlash(false);
        firewall.setAllowUrlEncodedDoubleSlash(false);
        firewall.setAllowUrlEncodedPeriod(false);
        firewall.setAllowBackSlash(false);
        firewall.setAllowNull(false);
        firewall.setAllowUrlEncodedPercent(false);
        // the strict firewall's own rule for header names and values (assigned code points, no control characters),
        // checked without a regular expression: it runs on every header read of every request
        firewall.setAllowedHeaderNames(PathFirewall::assignedNoControl);
        firewall.setAllowedHeaderValues(PathFirewall::assignedNoControl);
        Set<String> encoded = firewall.getEncodedUrlBlocklist();
        for (char c : unreserved()) {
            String hex = String.format("%02X", (int) c);
            encoded.add("%" + hex);
            encoded.add("%" + hex.toLowerCase());
        }
        return firewall;
    }

    /** Every code point assigned and none a control character (the strict firewall's {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}). */
    static boolean assignedNoControl(String text) {
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) { // printable ASCII, the usual case
                i++;
                continue;
            }
            int cp = text.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.UNASSIGNED || type == Character.CONTROL) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** RFC 3986 unreserved characters: ALPHA, DIGIT, '-', '.', '_', '~'. */
    static char[] unreserved() {
        StringBuilder s = new StringBuilder("-._~");
        for (char c = 'a'; c <= 'z'; c++) {
            s.append(c).append(Character.toUpperCase(c));
        }
        for (char c = '0'; c <= '9'; c++) {
            s.append(c);
        }
        return s.toString().toCharArray();
    }
}
