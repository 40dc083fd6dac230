package org.openfinq.server.admin;

import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fast path of {@code openfinq admin}: a command the admin HTTP API serves is sent to the running server
 * ({@code OPENFINQ_ADMIN_URL}, default {@code http://127.0.0.1:$OPENFINQ_PORT}) with the admin token
 * ({@code OPENFINQ_ADMIN_TOKEN}, or the one the embedded default wrote to {@code $OPENFINQ_DATA_DIR/admin-token}),
 * so no application context starts. Without a token or a server answering, {@link AdminCli} runs the command
 * in-process against the database. Commands not listed here always run in-process.
 */
final class AdminRemote {

    /** Where the server is and the token to present; empty when no token is known. */
    record Target(URI base, String token) {
    }

    record Call(String method, String path, Map<String, Object> body) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static final Map<String, Function<Object, Call>> CALLS = new LinkedHashMap<>();

    static {
        CALLS.put("create", c -> {
            AdminCli.Create x = (AdminCli.Create) c;
            return new Call("POST", "/admin/tenants", body("name", x.name, "skills", x.skills));
        });
        CALLS.put("list", c -> new Call("GET", "/admin/tenants", null));
        CALLS.put("show", c -> new Call("GET", tenant(((AdminCli.Show) c).clientId), null));
        CALLS.put("rotate-secret", c -> {
            AdminCli.RotateSecret x = (AdminCli.RotateSecret) c;
            return new Call("POST", tenant(x.clientId) + "/rotate-secret", grace(x.grace));
        });
        CALLS.put("rotate-app-key", c -> {
            AdminCli.RotateAppKey x = (AdminCli.RotateAppKey) c;
            return new Call("POST", tenant(x.clientId) + "/rotate-app-key", grace(x.grace));
        });
        CALLS.put("subscribe", c -> {
            AdminCli.Subscribe x = (AdminCli.Subscribe) c;
            return new Call("PUT", tenant(x.clientId) + "/skills/" + segment(x.skill),
                    body("consent_duration", x.consentDuration, "cache_max_data_retention", x.cacheMaxDataRetention));
        });
        CALLS.put("unsubscribe", c -> {
            AdminCli.Unsubscribe x = (AdminCli.Unsubscribe) c;
            return new Call("DELETE", tenant(x.clientId) + "/skills/" + segment(x.skill), null);
        });
        CALLS.put("delete", c -> new Call("DELETE", tenant(((AdminCli.Delete) c).clientId), null));
        CALLS.put("signers", c -> new Call("GET", tenant(((AdminCli.Signers) c).clientId) + "/signers", null));
        CALLS.put("signer-add", c -> {
            AdminCli.SignerAdd x = (AdminCli.SignerAdd) c;
            return new Call("POST", tenant(x.clientId) + "/signers", body("identity", x.identity, "key_url", x.keyUrl));
        });
        CALLS.put("key-remove", c -> {
            AdminCli.KeyRemove x = (AdminCli.KeyRemove) c;
            return new Call("DELETE", tenant(x.clientId) + "/signers/" + segment(x.identity) + "/keys/" + segment(x.kid), null);
        });
    }

    private AdminRemote() {
    }

    private static String tenant(String clientId) {
        return "/admin/tenants/" + segment(clientId);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Map<String, Object> grace(java.time.Duration grace) {
        return grace == null || grace.isZero() ? null : body("grace_seconds", grace.toSeconds());
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }

    /** The server to talk to: settings (tests) first, then the environment. */
    static Optional<Target> target(Map<String, Object> settings) {
        Function<String, String> get = name -> {
            Object v = settings.get("openfinq." + name.toLowerCase().replace('_', '-'));
            String s = v != null ? v.toString() : System.getenv("OPENFINQ_" + name);
            return s == null || s.isBlank() ? null : s.strip();
        };
        String token = get.apply("ADMIN_TOKEN");
        if (token == null) {
            Path file = Path.of(Optional.ofNullable(get.apply("DATA_DIR")).orElse("./data")).resolve("admin-token");
            try {
                token = Files.isReadable(file) ? Files.readString(file).strip() : null;
            } catch (IOException e) {
                token = null;
            }
        }
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String url = Optional.ofNullable(get.apply("ADMIN_URL"))
                .orElse("http://127.0.0.1:" + Optional.ofNullable(get.apply("PORT")).orElse("8080"));
        return Optional.of(new Target(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), token));
    }

    /**
     * Runs the parsed command over HTTP.
     *
     * @return the exit code, or empty when this command or this server cannot be reached over HTTP
     */
    static Optional<Integer> run(CommandLine.ParseResult parsed, Target target, boolean json, PrintStream out, PrintStream err) {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested() || leaf.commandSpec().parent() == null
                || !"tenant".equals(leaf.commandSpec().parent().name())) {
            return Optional.empty();
        }
        Function<Object, Call> how = CALLS.get(leaf.commandSpec().name());
        if (how == null) {
            return Optional.empty();
        }
        Call call = how.apply(leaf.commandSpec().userObject());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.base() + call.path()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + target.token());
        if (call.body() != null) {
            request.header("Content-Type", "application/json")
                    .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(call.body())));
        } else {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException down) {
            return Optional.empty();
        } catch (IOException e) {
            err.println("error: the server at " + target.base() + " did not answer: " + e.getMessage());
            return Optional.of(AdminCli.EXIT_UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(AdminCli.EXIT_UNAVAILABLE);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403 || status == 404 && !call.path().startsWith("/admin/tenants/")) {
            return Optional.empty(); // not this server's admin token (or no admin API): the in-process path decides
        }
        if (status >= 400) {
            JsonNode error = readOrNull(response.body());
            String code = error == null || error.get("code") == null ? "http_" + status : error.get("code").asString();
            String message = error == null || error.get("message") == null ? "" : error.get("message").asString();
            err.println("error: " + code + ": " + message);
            return Optional.of(status >= 500 ? AdminCli.EXIT_UNAVAILABLE : AdminCli.EXIT_REFUSED);
        }
        if (response.body().length == 0) {
            AdminCli.confirm(out, json, leaf.commandSpec().name(), leaf.commandSpec().userObject());
        } else {
            out.println(JSON.writeValueAsString(JSON.readTree(response.body())));
        }
        return Optional.of(AdminCli.EXIT_OK);
    }

    private static JsonNode readOrNull(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
