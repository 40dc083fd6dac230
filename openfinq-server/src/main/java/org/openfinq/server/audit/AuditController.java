package org.openfinq.server.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The operator's read access to the audit log, newest first. */
@RestController
@Tag(name = "Admin: audit log")
@SecurityRequirement(name = "admin")
public class AuditController {

    public static final int MAX_LIMIT = 1000;

    @Schema(name = "AdminAuditEvent")
    public record EventView(long id, Instant at,
                            @Schema(description = "admin:<token id>, cli:<os user>, client:<client_id> or system") String actor,
                            @Schema(example = "tenant.rotate_secret") String action,
                            UUID clientId, String target, String address, Map<String, Object> details) {
        public static EventView of(AuditStore.Event e) {
            return new EventView(e.id(), e.at().truncatedTo(ChronoUnit.MILLIS), e.actor(), e.action(), e.clientId(),
                    e.target(), e.address(), e.details());
        }
    }

    private final AuditStore store;

    public AuditController(AuditStore store) {
        this.store = store;
    }

    @GetMapping("/admin/audit")
    @Operation(summary = "Read the audit log", description = "Admin actions, consent deletions and authentication "
            + "lockouts, newest first. Page with `before` = the last id received.")
    @ApiDoc(response = EventView.class, array = true)
    public List<EventView> list(
            @Parameter(description = "Only this tenant") @RequestParam(name = "client_id", required = false) String clientId,
            @Parameter(description = "Only this action, or a prefix ending in '.' (e.g. `tenant.`)") @RequestParam(required = false) String action,
            @Parameter(description = "Only this actor") @RequestParam(required = false) String actor,
            @Parameter(description = "From this time (ISO-8601, inclusive)") @RequestParam(required = false) String since,
            @Parameter(description = "Before this time (ISO-8601, exclusive)") @RequestParam(required = false) String until,
            @Parameter(description = "Only events with a smaller id") @RequestParam(required = false) String before,
            @Parameter(description = "At most this many (1-1000, default 100)") @RequestParam(required = false) String limit) {
        return store.find(filter(clientId, action, actor, since, until, before, limit)).stream().map(EventView::of).toList();
    }

    /** Parses the filters of the HTTP API and the CLI alike. */
    public static AuditStore.Filter filter(String clientId, String action, String actor, String since, String until,
                                           String before, String limit) {
        UUID client = null;
        if (clientId != null) {
            try {
                client = UUID.fromString(clientId);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidField("client_id", "must be a UUID");
            }
        }
        return new AuditStore.Filter(client, text("action", action), text("actor", actor), instant("since", since),
                instant("until", until), before == null ? null : (long) number("before", before, 1, Long.MAX_VALUE),
                limit == null ? 100 : (int) number("limit", limit, 1, MAX_LIMIT));
    }

    private static String text(String name, String value) {
        if (value != null && (value.length() > 200 || value.indexOf('\0') >= 0)) {
            throw ApiException.invalidField(name, "must be at most 200 characters, without NUL");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField(name, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw ApiException.invalidField(name, "must be a whole number from " + min + " to " + max);
    }
}
