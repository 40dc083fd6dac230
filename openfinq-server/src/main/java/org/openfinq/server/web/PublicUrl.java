package org.openfinq.server.web;

import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Where browsers and banks reach this server, and URL building for redirects. */
@Component
public class PublicUrl {

    private final OpenfinqProperties props;
    private final Environment env;

    public PublicUrl(OpenfinqProperties props, Environment env) {
        this.props = props;
        this.env = env;
    }

    /** {@code OPENFINQ_PUBLIC_URL}, or {@code http://127.0.0.1:<port>}. */
    public String base() {
        String configured = props.publicUrl().strip();
        if (!configured.isEmpty()) {
            return configured.replaceAll("/+$", "");
        }
        return "http://127.0.0.1:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }

    /** {@code link} with these query parameters added, before any fragment. */
    public static String withQuery(String link, Map<String, String> params) {
        int hash = link.indexOf('#');
        String head = hash < 0 ? link : link.substring(0, hash);
        String fragment = hash < 0 ? "" : link.substring(hash);
        StringBuilder out = new StringBuilder(head);
        char sep = head.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            out.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return out.append(fragment).toString();
    }
}
