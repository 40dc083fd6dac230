package org.openfinq.server.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.util.UrlPathHelper;

/**
 * The path a request is routed by: decoded, without {@code ;} parameters, as the handler mapping sees it. Every
 * decision made on a path (which check applies, which routes are open) reads this, never the raw request URI.
 */
public final class RoutedPath {

    private RoutedPath() {
    }

    public static String of(HttpServletRequest request) {
        return UrlPathHelper.defaultInstance.getLookupPathForRequest(request);
    }
}
