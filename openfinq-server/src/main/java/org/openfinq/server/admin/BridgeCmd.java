package org.openfinq.server.admin;

import org.openfinq.server.bridge.gocardless.GocardlessApi;
import org.openfinq.server.bridge.gocardless.GocardlessBridge;
import org.openfinq.server.bridge.simplefin.SimplefinApi;
import org.openfinq.server.bridge.simplefin.SimplefinBridge;
import org.openfinq.server.web.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code openfinq admin bridge ...}: bridges for personal-finance apps (SimpleFIN setup tokens, GoCardless secret pairs). */
@Command(name = "bridge", mixinStandardHelpOptions = true, description = "Bridges for personal-finance apps.",
        subcommands = {BridgeCmd.SimplefinToken.class, BridgeCmd.SimplefinList.class, BridgeCmd.SimplefinRevoke.class,
                BridgeCmd.GocardlessSecret.class, BridgeCmd.GocardlessList.class, BridgeCmd.GocardlessRevoke.class})
final class BridgeCmd implements Runnable {

    @CommandLine.ParentCommand
    AdminCli cli;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static UUID id(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No " + what + " " + value);
        }
    }

    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        BridgeCmd parent;
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        GocardlessBridge gocardless() {
            return parent.cli.bean(GocardlessBridge.class);
        }

        SimplefinBridge simplefin() {
            return parent.cli.bean(SimplefinBridge.class);
        }

        UUID tenant() {
            return id(clientId, "tenant with client_id");
        }
    }

    @Command(name = "simplefin-token", description = "Issue a SimpleFIN setup token for an end-user of the tenant and print it "
            + "(shown once; with --json: the token, its claim URL and id). Paste it into the app's SimpleFIN setting.")
    static final class SimplefinToken extends Sub {
        @Parameters(index = "1", paramLabel = "TENANT_USER_ID")
        String tenantUserId;

        @Override
        public Integer call() {
            SimplefinApi.Token token = simplefin().issue(tenant(), tenantUserId);
            if (parent.cli.json) {
                parent.cli.print(token);
            } else {
                parent.cli.out().println(token.setupToken());
            }
            return 0;
        }
    }

    @Command(name = "simplefin-list", description = "List the tenant's SimpleFIN setup tokens and access URLs (no secrets).")
    static final class SimplefinList extends Sub {
        @Override
        public Integer call() {
            parent.cli.print(simplefin().list(tenant()));
            return 0;
        }
    }

    @Command(name = "simplefin-revoke", description = "Revoke a SimpleFIN setup token or access URL (it answers 403 from now on).")
    static final class SimplefinRevoke extends Sub {
        @Parameters(index = "1", paramLabel = "GRANT_ID")
        String grantId;

        @Override
        public Integer call() {
            simplefin().revoke(tenant(), id(grantId, "SimpleFIN grant"));
            parent.cli.print(Map.of("revoked", grantId));
            return 0;
        }
    }

    @Command(name = "gocardless-secret", description = "Issue a GoCardless Bank Account Data secret pair for an end-user of the "
            + "tenant and print it (the secret_key is shown once). Give secret_id and secret_key to the app, with "
            + "<public URL>/api/v2 as its GoCardless base URL. Needs the server's encryption keys (OPENFINQ_ENCRYPTION_KEYS, or "
            + "the data directory's key file): the pair's token-signing key is stored encrypted.")
    static final class GocardlessSecret extends Sub {
        @Parameters(index = "1", paramLabel = "TENANT_USER_ID")
        String tenantUserId;

        @Override
        public Integer call() {
            GocardlessApi.Secret secret = gocardless().issue(tenant(), tenantUserId);
            if (parent.cli.json) {
                parent.cli.print(secret);
            } else {
                parent.cli.out().println("secret_id:  " + secret.secretId());
                parent.cli.out().println("secret_key: " + secret.secretKey());
            }
            return 0;
        }
    }

    @Command(name = "gocardless-list", description = "List the tenant's GoCardless secret pairs (no secrets).")
    static final class GocardlessList extends Sub {
        @Override
        public Integer call() {
            parent.cli.print(gocardless().list(tenant()));
            return 0;
        }
    }

    @Command(name = "gocardless-revoke", description = "Revoke a GoCardless secret pair (its tokens answer 401 from now on).")
    static final class GocardlessRevoke extends Sub {
        @Parameters(index = "1", paramLabel = "SECRET_ID")
        String secretId;

        @Override
        public Integer call() {
            gocardless().revoke(tenant(), id(secretId, "GoCardless secret"));
            parent.cli.print(Map.of("revoked", secretId));
            return 0;
        }
    }
}
