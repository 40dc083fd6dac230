package org.openfinq.server;

import org.openfinq.server.admin.AdminCli;
import org.openfinq.server.startup.StartupFailures;
import org.springframework.boot.SpringApplication;

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
        SpringApplication.run(OpenfinqApplication.class, rest);
    }
}
