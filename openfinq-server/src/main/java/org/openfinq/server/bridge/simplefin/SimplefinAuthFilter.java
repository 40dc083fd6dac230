package org.openfinq.server.bridge.simplefin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.security.Bearer;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ErrorWriter;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The access URL's Basic credentials check, in the security chain of {@code /simplefin/**} (see
 * {@code SecurityConfig}). On {@code /simplefin/accounts} a request with the right user name and password of a
 * grant that is not revoked is granted {@link #AUTHORITY}, which that route requires; anything else gets 403, the
 * answer SimpleFIN clients read as "access URL no longer valid". Failures count towards the per-address lockout.
 * The claim and info routes need no credentials.
 */
public class SimplefinAuthFilter extends OncePerRequestFilter {

    public static final String AUTHORITY = "openfinq:simplefin";
    public static final String ACCOUNTS = SimplefinBridge.ROOT + "/accounts";
    static final String CALLER = "openfinq.simplefin.caller";

    private final SimplefinBridge bridge;
    private final AuthGuard guard;
    private final ObjectMapper json;

    public SimplefinAuthFilter(SimplefinBridge bridge, AuthGuard guard, ObjectMapper json) {
        this.bridge = bridge;
        this.guard = guard;
        this.json = json;
    }

    /** The answer to a request without valid credentials. */
    public static ApiException refused() {
        return SimplefinBridge.forbidden("The access URL's credentials are wrong or were revoked");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!ACCOUNTS.equals(org.openfinq.server.web.RoutedPath.of(request))) {
            chain.doFilter(request, response);
            return;
        }
        try {
            guard.check(request.getRemoteAddr(), null);
            String[] credentials = basic(request.getHeader("Authorization"));
            Optional<SimplefinBridge.Caller> caller = credentials == null ? Optional.empty()
                    : bridge.authenticate(credentials[0], credentials[1]);
            if (caller.isEmpty()) {
                throw guard.failed(request.getRemoteAddr(), null, refused());
            }
            request.setAttribute(CALLER, caller.get());
            Bearer.grant("simplefin:" + caller.get().grantId(), AUTHORITY);
        } catch (ApiException e) {
            ErrorWriter.write(request, response, e, json);
            return;
        }
        chain.doFilter(request, response);
    }

    /** User name and password of {@code Authorization: Basic ...}, or null. */
    static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon <= 0 ? null : new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
