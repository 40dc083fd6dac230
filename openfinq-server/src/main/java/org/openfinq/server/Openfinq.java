package org.openfinq.server;

import org.openfinq.server.admin.AdminCli;
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
            System.exit(AdminCli.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        String[] rest = args.length > 0 && args[0].equals("run") ? Arrays.copyOfRange(args, 1, args.length) : args;
        SpringApplication.run(OpenfinqApplication.class, rest);
    }
}
