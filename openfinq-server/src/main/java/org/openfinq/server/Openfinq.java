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

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            // stdout carries only the command's output: log lines (console appenders write to System.out) go to stderr
            java.io.PrintStream stdout = System.out;
            System.setOut(System.err);
            System.exit(AdminCli.run(Arrays.copyOfRange(args, 1, args.length), stdout, System.err));
        }
        String[] rest = args.length > 0 && args[0].equals("run") ? Arrays.copyOfRange(args, 1, args.length) : args;
        StartupFailures.debug(Arrays.asList(rest).contains("--debug"));
        SpringApplication.run(OpenfinqApplication.class, rest);
    }
}
