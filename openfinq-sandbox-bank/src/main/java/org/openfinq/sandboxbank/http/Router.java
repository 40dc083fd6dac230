package org.openfinq.sandboxbank.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes requests by method and path pattern; turns {@link BankError}s into NextGenPSD2 error bodies. */
public final class Router implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(Router.class.getName());

    private record Route(String method, Pattern path, Consumer<Exchange> handler) {
    }

    private static final Pattern VARIANT = Pattern.compile("/(explicit|decoupled|oauth)(/v1/.*)");

    private final List<Route> routes = new ArrayList<>();

    public Router route(String method, String pathRegex, Consumer<Exchange> handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    @Override
    public void handle(HttpExchange http) {
        String path = http.getRequestURI().getRawPath();
        // the same API under /explicit, /decoupled and /oauth answers with that authorisation variant
        Matcher variant = VARIANT.matcher(path);
        String prefix = "";
        if (variant.matches()) {
            prefix = "/" + variant.group(1);
            path = variant.group(2);
        }
        boolean pathKnown = false;
        for (Route r : routes) {
            Matcher m = r.path().matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathKnown = true;
            if (!r.method().equals(http.getRequestMethod())) {
                continue;
            }
            Exchange ex = new Exchange(http, m, prefix);
            try {
                r.handler().accept(ex);
            } catch (BankError e) {
                error(ex, e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "sandbox bank failure on " + path, e);
                error(ex, new BankError(500, "INTERNAL_SERVER_ERROR", "Unexpected error"));
            }
            return;
        }
        Exchange ex = new Exchange(http, null);
        error(ex, pathKnown ? new BankError(405, "SERVICE_INVALID", "Method not allowed")
                : BankError.unknownResource("No resource at " + path));
    }

    private static void error(Exchange ex, BankError e) {
        if (ex.started()) {
            return; // the answer's status is sent and its body cut off: nothing more can be said
        }
        if (e.retryAfterSeconds() != null) {
            ex.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        ex.json(e.status(), Map.of("tppMessages", List.of(Map.of("category", "ERROR", "code", e.code(), "text", e.getMessage()))));
    }
}
