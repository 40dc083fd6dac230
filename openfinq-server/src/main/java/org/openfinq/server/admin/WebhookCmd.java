package org.openfinq.server.admin;

import org.openfinq.server.web.ApiException;
import org.openfinq.server.webhook.WebhookApi;
import org.openfinq.server.webhook.Webhooks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code openfinq admin webhook ...}: a tenant's webhook endpoints (secrets printed once, on create and rotate). */
@Command(name = "webhook", mixinStandardHelpOptions = true, description = "A tenant's webhook endpoints.",
        subcommands = {WebhookCmd.Create.class, WebhookCmd.ListCmd.class, WebhookCmd.Delete.class,
                WebhookCmd.RotateSecret.class, WebhookCmd.Resend.class})
final class WebhookCmd implements Runnable {

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
        WebhookCmd parent;
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        Webhooks webhooks() {
            return parent.cli.bean(Webhooks.class);
        }

        UUID tenant() {
            return id(clientId, "tenant with client_id");
        }

        void print(Object value) {
            parent.cli.print(value);
        }
    }

    @Command(name = "create", description = "Register an endpoint; prints its signing secret once.")
    static final class Create extends Sub {
        @Option(names = "--url", required = true, description = "https URL (public address, or a host the operator allows)")
        String url;
        @Option(names = "--event", description = "Send only this event type (repeatable; default: every type)")
        List<String> events;

        @Override
        public Integer call() {
            print(WebhookApi.WebhookView.of(webhooks().create(tenant(), url, events == null || events.isEmpty() ? null : events)));
            return 0;
        }
    }

    @Command(name = "list", description = "List a tenant's endpoints.")
    static final class ListCmd extends Sub {
        @Override
        public Integer call() {
            print(webhooks().list(tenant()).stream().map(WebhookApi.WebhookView::of).toList());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an endpoint and its pending deliveries.")
    static final class Delete extends Sub {
        @Parameters(index = "1", paramLabel = "WEBHOOK_ID")
        String webhookId;

        @Override
        public Integer call() {
            webhooks().delete(tenant(), id(webhookId, "webhook endpoint"));
            print(Map.of("deleted", webhookId));
            return 0;
        }
    }

    @Command(name = "rotate-secret", description = "Issue a new signing secret; prints it once.")
    static final class RotateSecret extends Sub {
        @Parameters(index = "1", paramLabel = "WEBHOOK_ID")
        String webhookId;

        @Override
        public Integer call() {
            print(WebhookApi.WebhookView.of(webhooks().rotate(tenant(), id(webhookId, "webhook endpoint"))));
            return 0;
        }
    }

    @Command(name = "resend", description = "Queue one kept event for delivery to the endpoint again.")
    static final class Resend extends Sub {
        @Parameters(index = "1", paramLabel = "WEBHOOK_ID")
        String webhookId;
        @Option(names = "--event-id", required = true)
        String eventId;

        @Override
        public Integer call() {
            UUID queued = webhooks().resend(tenant(), id(webhookId, "webhook endpoint"), id(eventId, "event"));
            print(new WebhookApi.ResendResult(queued.toString(), true));
            return 0;
        }
    }
}
