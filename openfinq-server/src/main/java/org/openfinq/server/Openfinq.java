package org.openfinq.server;

import org.openfinq.server.admin.AdminCli;
import org.openfinq.server.startup.StartupFailures;
import org.openfinq.server.db.EmbeddedDatabase;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

import java.nio.file.Path;

import java.util.Arrays;

/**
 * The one entry point of the jar: {@code run} (the default) starts the server,
 * {@code admin ...} runs the admin CLI against the same database.
 */
public final class Openfinq {

    private Openfinq() {
    }

    /** The version of this build (from the jar's manifest), or {@code development} when run from classes. */
    public static String version() {
        String v = Openfinq.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** {@code --version} of the admin CLI. */
    public static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"openfinq " + version()};
        }
    }

    /**
     * On the embedded default, starts the embedded PostgreSQL as soon as the configuration is known, in parallel with
     * building the application context (its DataSource then takes the running database).
     */
    static final ApplicationListener<ApplicationEnvironmentPreparedEvent> EARLY_DATABASE = event -> {
        if (Boolean.getBoolean("spring.aot.processing")) {
            return; // the build computing bean definitions ahead of time: nothing to start
        }
        Binder binder = Binder.get(event.getEnvironment());
        if (binder.bind("openfinq.db.url", String.class).map(String::isBlank).orElse(true)) {
            Path dataDir = binder.bind("openfinq.data-dir", Path.class).orElse(Path.of("./data"));
            EmbeddedDatabase.startEarly(dataDir.resolve("postgres"));
        }
    };

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            // stdout carries only the command's output: log lines (console appenders write to System.out) go to stderr
            java.io.PrintStream stdout = System.out;
            System.setOut(System.err);
            System.exit(AdminCli.run(Arrays.copyOfRange(args, 1, args.length), stdout, System.err));
        }
        String[] rest = args.length > 0 && args[0].equals("run") ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (Arrays.asList(rest).contains("--version") || args.length > 0 && args[0].equals("version")) {
            System.out.println("openfinq " + version());
            return;
        }
        StartupFailures.debug(Arrays.asList(rest).contains("--debug"));
        SpringApplication app = new SpringApplication(OpenfinqApplication.class);
        app.addListeners(EARLY_DATABASE);
        app.run(rest);
    }
}
