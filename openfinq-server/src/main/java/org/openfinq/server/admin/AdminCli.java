package org.openfinq.server.admin;

import org.openfinq.server.OpenfinqApplication;
import org.openfinq.server.abuse.RateLimits;
import org.openfinq.server.audit.AuditController;
import org.openfinq.server.audit.AuditStore;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.tenant.TenantAdminApi;
import org.openfinq.server.tenant.TenantService;
import org.openfinq.server.web.ApiException;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code openfinq admin ...}: tenant management. A command the admin HTTP API serves goes to the running
 * server when the admin token is known ({@link AdminRemote}: no application context, well under two seconds);
 * otherwise, and for the other commands, it runs straight against the database (the external one, or the
 * embedded one under the data directory, attached to if a server is running on it). Prints JSON on stdout;
 * logs go to stderr. Exit codes: {@link #EXIT_OK}, {@link #EXIT_REFUSED}, {@link #EXIT_FAILED},
 * {@link #EXIT_UNAVAILABLE}.
 */
@Command(name = "openfinq admin", mixinStandardHelpOptions = true, versionProvider = org.openfinq.server.Openfinq.Version.class,
        description = "Manage tenant apps, their skill subscriptions, webhook endpoints and bridge tokens; list and check banks.",
        subcommands = {AdminCli.TenantCmd.class, AdminCli.SkillsCmd.class, AdminCli.AuditCmd.class, AdminCli.BanksCmd.class,
                WebhookCmd.class, BridgeCmd.class})
public final class AdminCli implements Runnable {

    /** Done. */
    public static final int EXIT_OK = 0;
    /** Refused: unknown tenant, invalid value, ... (the API's error code and message on stderr). */
    public static final int EXIT_REFUSED = 1;
    /** A usage error or an unexpected failure. */
    public static final int EXIT_FAILED = 2;
    /** The server answered with a 5xx or did not answer in time. */
    public static final int EXIT_UNAVAILABLE = 3;

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
            description = "Only JSON on stdout (confirmations too); the output is JSON anyway otherwise")
    boolean json;

    private final Map<String, Object> properties;
    private final PrintStream out;
    private ConfigurableApplicationContext context;

    private AdminCli(Map<String, Object> properties, PrintStream out) {
        this.properties = properties;
        this.out = out;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Map.of());
    }

    /** Runs one admin command; {@code properties} override the environment (used by tests). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, Object> properties) {
        AdminCli cli = new AdminCli(properties, out);
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            String message = e instanceof ApiException api ? api.code() + ": " + api.getMessage() : e.toString();
            c.getErr().println("error: " + message);
            return e instanceof ApiException ? EXIT_REFUSED : EXIT_FAILED;
        });
        try {
            var target = AdminRemote.target(properties);
            if (target.isPresent()) {
                CommandLine.ParseResult parsed;
                try {
                    parsed = cmd.parseArgs(args);
                } catch (CommandLine.ParameterException usage) {
                    parsed = null; // execute() below reports it
                }
                if (parsed != null) {
                    var remote = AdminRemote.run(parsed, target.get(), cli.json, out, err);
                    if (remote.isPresent()) {
                        return remote.get();
                    }
                }
            }
            return cmd.execute(args);
        } finally {
            if (cli.context != null) {
                cli.context.close();
            }
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    <T> T bean(Class<T> type) {
        if (context == null) {
            Map<String, Object> defaults = new HashMap<>();
            defaults.put("spring.main.banner-mode", "off");
            defaults.put("logging.level.root", "WARN");
            defaults.put("openfinq.require-encryption-keys", "false");
            defaults.put("openfinq.audit.actor", "cli:" + System.getProperty("user.name", "unknown"));
            defaults.put("openfinq.sandbox-bank.url", "http://127.0.0.1:9/not-used-by-the-cli");
            defaults.put("openfinq.jobs.enabled", "false");
            List<String> args = new ArrayList<>();
            args.add("--openfinq.demo-tenant=false");
            properties.forEach((k, v) -> args.add("--" + k + "=" + v));
            context = new SpringApplicationBuilder(OpenfinqApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties(defaults)
                    .run(args.toArray(String[]::new));
        }
        return context.getBean(type);
    }

    /** The line a command that returns nothing prints: text, or with {@code --json} a JSON object. */
    static void confirm(PrintStream out, boolean json, String command, Object parsed) {
        if (parsed instanceof Delete d) {
            out.println(json ? JSON.writeValueAsString(Map.of("deleted", d.clientId)) : "deleted " + d.clientId);
        } else if (parsed instanceof Toggle t) {
            boolean on = "on".equals(t.state);
            out.println(json ? JSON.writeValueAsString(Map.of("client_id", t.clientId, t.name().replace(' ', '_'), on))
                    : t.name() + " " + (on ? "on" : "off") + " for " + t.clientId);
        } else {
            out.println(json ? "{}" : "done: " + command);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    PrintStream out() {
        return out;
    }

    void print(Object value) {
        out.println(JSON.writeValueAsString(value));
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No tenant with client_id " + value);
        }
    }

    @Command(name = "tenant", mixinStandardHelpOptions = true, description = "Tenant apps.",
            subcommands = {Create.class, ListCmd.class, Show.class, RotateSecret.class, RotateAppKey.class,
                    Subscribe.class, Unsubscribe.class, Delete.class, SetCmd.class, SignerAdd.class, KeyAdd.class, KeyRemove.class,
                    Signers.class, ReplayGuard.class, EndpointBinding.class, RateLimit.class})
    static final class TenantCmd implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        TenantCmd parent;

        AdminCli cli() {
            return (AdminCli) parent.spec.parent().userObject();
        }

        TenantService tenants() {
            return cli().bean(TenantService.class);
        }
    }

    @Command(name = "create", description = "Create a tenant app; prints its secrets once.")
    static final class Create extends Sub {
        @Option(names = "--name", required = true, description = "Display name")
        String name;
        @Option(names = "--skill", description = "Subscribe to this skill (repeatable)")
        List<String> skills = new ArrayList<>();

        @Override
        public Integer call() {
            cli().print(TenantAdminApi.TenantView.of(tenants().createSubscribed(name, skills)));
            return 0;
        }
    }

    @Command(name = "list", description = "List tenant apps.")
    static final class ListCmd extends Sub {
        @Override
        public Integer call() {
            cli().print(tenants().list().stream().map(TenantAdminApi.TenantView::of).toList());
            return 0;
        }
    }

    @Command(name = "show", description = "Show a tenant app.")
    static final class Show extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        public Integer call() {
            cli().print(TenantAdminApi.TenantView.of(tenants().get(uuid(clientId))));
            return 0;
        }
    }

    @Command(name = "rotate-secret", description = "Issue a new client_secret; the old one stops working at once, "
            + "or when the grace period ends (client_secret_grace_until).")
    static final class RotateSecret extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--grace", description = "How long the old secret keeps working, e.g. PT1H or P1D (default: none)")
        java.time.Duration grace = java.time.Duration.ZERO;

        @Override
        public Integer call() {
            cli().print(TenantAdminApi.TenantView.of(tenants().rotateSecret(uuid(clientId), grace)));
            return 0;
        }
    }

    @Command(name = "rotate-app-key", description = "Issue a new client_app_key; the old one stops working at once, "
            + "or when the grace period ends (client_app_key_grace_until).")
    static final class RotateAppKey extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--grace", description = "How long the old key keeps working, e.g. PT1H or P1D (default: none)")
        java.time.Duration grace = java.time.Duration.ZERO;

        @Override
        public Integer call() {
            cli().print(TenantAdminApi.TenantView.of(tenants().rotateAppKey(uuid(clientId), grace)));
            return 0;
        }
    }

    @Command(name = "subscribe", description = "Subscribe to a skill, or change its settings.")
    static final class Subscribe extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Parameters(index = "1", paramLabel = "SKILL")
        String skill;
        @Option(names = "--consent-duration", description = "Minutes (default 129600)")
        Integer consentDuration;
        @Option(names = "--cache-max-data-retention", description = "Minutes (default 172800)")
        Integer cacheMaxDataRetention;

        @Override
        public Integer call() {
            cli().print(TenantAdminApi.TenantView.of(
                    tenants().subscribe(uuid(clientId), skill, consentDuration, cacheMaxDataRetention)));
            return 0;
        }
    }

    @Command(name = "set", description = "Change a tenant app's settings (hosted pages, redirect allow-list, CORS); "
            + "an empty value clears a setting. Prints all settings.")
    static final class SetCmd extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--display-name", description = "The app's name on the hosted pages")
        String displayName;
        @Option(names = "--logo-url", description = "An https URL or a data:image/...;base64 URI")
        String logoUrl;
        @Option(names = "--brand-color", description = "#rrggbb")
        String brandColor;
        @Option(names = "--redirect-urls", description = "Comma-separated allowed psu_redirect_link values (exact, or prefixes ending in /*)")
        String redirectUrls;
        @Option(names = "--allowed-origins", description = "Comma-separated CORS origins (scheme://host[:port])")
        String allowedOrigins;

        @Override
        public Integer call() {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            scalar(fields, "display_name", displayName);
            scalar(fields, "logo_url", logoUrl);
            scalar(fields, "brand_color", brandColor);
            if (redirectUrls != null) {
                fields.put("redirect_urls", split(redirectUrls));
            }
            if (allowedOrigins != null) {
                fields.put("allowed_origins", split(allowedOrigins));
            }
            cli().print(TenantAdminApi.SettingsView.of(tenants().updateSettings(uuid(clientId), new TenantService.SettingsChange(fields))));
            return 0;
        }

        private static void scalar(Map<String, Object> fields, String name, String value) {
            if (value != null) {
                fields.put(name, value.isEmpty() ? null : value);
            }
        }

        private static List<String> split(String csv) {
            return java.util.Arrays.stream(csv.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        }
    }

    @Command(name = "unsubscribe", description = "Unsubscribe from a skill.")
    static final class Unsubscribe extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Parameters(index = "1", paramLabel = "SKILL")
        String skill;

        @Override
        public Integer call() {
            cli().print(TenantAdminApi.TenantView.of(tenants().unsubscribe(uuid(clientId), skill)));
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a tenant app.")
    static final class Delete extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        public Integer call() {
            tenants().delete(uuid(clientId));
            confirm(cli().out, cli().json, "delete", this);
            return 0;
        }
    }

    org.openfinq.server.signing.SignerService signerService() {
        return bean(org.openfinq.server.signing.SignerService.class);
    }

    @Command(name = "signer-add", description = "Register a signer identity for /v1s (the JWS iss/sub/email).")
    static final class SignerAdd extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Parameters(index = "1", paramLabel = "IDENTITY")
        String identity;
        @Option(names = "--key-url", description = "JWKS or Google X.509 URL to fetch keys from")
        String keyUrl;

        @Override
        public Integer call() {
            var s = cli().signerService();
            cli().print(s.view(s.addSigner(uuid(clientId), identity, keyUrl)));
            return 0;
        }
    }

    @Command(name = "key-add", description = "Add a public key (PEM, X.509 certificate or JWK file) to a signer.")
    static final class KeyAdd extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Parameters(index = "1", paramLabel = "IDENTITY")
        String identity;
        @Option(names = "--file", required = true, description = "The key file")
        java.nio.file.Path file;
        @Option(names = "--kid", description = "Key id (default: the JWK's kid or the key's thumbprint)")
        String kid;

        @Override
        public Integer call() throws java.io.IOException {
            cli().print(cli().signerService().addKey(uuid(clientId), identity, kid, java.nio.file.Files.readString(file)));
            return 0;
        }
    }

    @Command(name = "key-remove", description = "Remove a signer's key; refused at once on every node.")
    static final class KeyRemove extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Parameters(index = "1", paramLabel = "IDENTITY")
        String identity;
        @Parameters(index = "2", paramLabel = "KID")
        String kid;

        @Override
        public Integer call() {
            cli().print(cli().signerService().removeKey(uuid(clientId), identity, kid));
            return 0;
        }
    }

    @Command(name = "signers", description = "List a tenant's signers and keys.")
    static final class Signers extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        public Integer call() {
            cli().print(cli().signerService().list(uuid(clientId)));
            return 0;
        }
    }

    /** A tenant setting switched {@code on} or {@code off}. */
    abstract static class Toggle extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Parameters(index = "1", paramLabel = "on|off")
        String state;

        abstract String name();

        abstract void apply(UUID clientId, boolean on);

        @Override
        public Integer call() {
            apply(uuid(clientId), "on".equals(state));
            confirm(cli().out, cli().json, name(), this);
            return 0;
        }
    }

    @Command(name = "replay-guard", description = "Require a single-use jti on the tenant's /v1s requests (on|off).")
    static final class ReplayGuard extends Toggle {
        @Override
        String name() {
            return "replay guard";
        }

        @Override
        void apply(UUID clientId, boolean on) {
            cli().signerService().replayGuard(clientId, on);
        }
    }

    @Command(name = "endpoint-binding", description = "Require htm/htu claims naming the endpoint on the tenant's /v1s requests (on|off).")
    static final class EndpointBinding extends Toggle {
        @Override
        String name() {
            return "endpoint binding";
        }

        @Override
        void apply(UUID clientId, boolean on) {
            cli().signerService().endpointBinding(clientId, on);
        }
    }

    @Command(name = "rate-limit", description = "Show or set the tenant's request rate limit (requests per minute).")
    static final class RateLimit extends Sub {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--requests-per-minute", description = "The tenant's own limit")
        Integer perMinute;
        @Option(names = "--default", description = "Return to the server's default")
        boolean reset;

        @Override
        public Integer call() {
            RateLimits limits = cli().bean(RateLimits.class);
            cli().print(perMinute == null && !reset ? limits.show(uuid(clientId)) : limits.set(uuid(clientId), reset ? null : perMinute));
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Read the audit log, newest first.")
    static final class AuditCmd implements Callable<Integer> {
        @CommandLine.ParentCommand
        AdminCli cli;
        @Option(names = "--client-id", description = "Only this tenant")
        String clientId;
        @Option(names = "--action", description = "Only this action, or a prefix ending in '.' (e.g. tenant.)")
        String action;
        @Option(names = "--actor", description = "Only this actor (admin:<id>, cli:<user>, client:<client_id>, system)")
        String actor;
        @Option(names = "--since", description = "From this time (ISO-8601)")
        String since;
        @Option(names = "--until", description = "Before this time (ISO-8601)")
        String until;
        @Option(names = "--before", description = "Only events with a smaller id (paging)")
        String before;
        @Option(names = "--limit", description = "At most this many (1-1000, default 100)")
        String limit;

        @Override
        public Integer call() {
            AuditStore.Filter filter = AuditController.filter(clientId, action, actor, since, until, before, limit);
            cli.print(cli.bean(AuditStore.class).find(filter).stream().map(AuditController.EventView::of).toList());
            return 0;
        }
    }

    @Command(name = "skills", mixinStandardHelpOptions = true, description = "List the catalog's skills.")
    static final class SkillsCmd implements Callable<Integer> {
        @CommandLine.ParentCommand
        AdminCli cli;

        @Override
        public Integer call() {
            cli.print(cli.bean(Catalog.class).skills());
            return 0;
        }
    }

    @Command(name = "banks", mixinStandardHelpOptions = true,
            description = "List the bank profiles with their certificates' status and expiry.",
            subcommands = {BankCheckCmd.class})
    static final class BanksCmd implements Callable<Integer> {
        @CommandLine.ParentCommand
        AdminCli cli;

        @Override
        public Integer call() {
            cli.print(cli.bean(org.openfinq.server.bank.BankCheck.class).list());
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "TLS handshake and a harmless call to one bank; prints what worked. Exit 0: pass, 1: fail.")
    static final class BankCheckCmd implements Callable<Integer> {
        @CommandLine.ParentCommand
        BanksCmd banks;

        @Parameters(index = "0", paramLabel = "PROFILE", description = "bank profile id")
        String profile;

        @Override
        public Integer call() {
            org.openfinq.server.bank.BankCheck.Result r = banks.cli.bean(org.openfinq.server.bank.BankCheck.class).check(profile);
            r.lines().forEach(banks.cli.out::println);
            banks.cli.out.println(r.passed() ? "PASS" : "FAIL");
            return r.passed() ? 0 : 1;
        }
    }
}
