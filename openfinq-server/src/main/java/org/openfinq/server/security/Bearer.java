package org.openfinq.server.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Bearer credentials of the operator endpoints, and what a passed check grants for the rest of the request. */
public final class Bearer {

    /** Granted by the admin token check; the only way into {@code /admin/**}. */
    public static final String ADMIN = "openfinq:admin";
    /** Granted by a verified JWS (or, for an upload, a well-formed one the upload verifies itself). */
    public static final String SIGNED = "openfinq:signed";
    /** Granted by the metrics token check. */
    public static final String METRICS = "openfinq:metrics";

    private Bearer() {
    }

    /** The token of {@code Authorization: Bearer <token>}, or null. */
    public static String token(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    }

    /** Constant-time comparison; false when either side is missing. */
    public static boolean matches(String expected, String presented) {
        return expected != null && presented != null && MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /** Records on this request that a check passed, for the filter chain's authorization rule. */
    public static void grant(String principal, String authority) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new PreAuthenticatedAuthenticationToken(principal, "n/a",
                List.of(new SimpleGrantedAuthority(authority))));
        SecurityContextHolder.setContext(context);
    }
}
