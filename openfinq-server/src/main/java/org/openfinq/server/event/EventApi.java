package org.openfinq.server.event;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** Request and response shapes of the Events API. */
public final class EventApi {

    private EventApi() {
    }

    @Schema(name = "EventsRequest")
    public record EventsRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                                @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                                @Schema(description = "next_cursor of the previous page; absent = from the oldest event kept (30 days)") String cursor,
                                @Schema(description = "Events per page, 1 to 500", defaultValue = "100") Integer count,
                                @Schema(description = "Only these event types") List<String> types) {
    }

    @Schema(name = "EventsPage")
    public record EventsPage(List<EventItem> events,
                             @Schema(description = "Pass it back to continue after the last event of this page; opaque") String nextCursor,
                             @Schema(description = "Whether more events follow right now") boolean hasMore) {
    }

    @Schema(name = "Event")
    public record EventItem(@Schema(format = "uuid", description = "Unique; the same event always has the same id") String id,
                            @Schema(allowableValues = {"sync.initial_completed", "transactions.updated", "sync.failed",
                                    "sync.rate_limited", "consent.expiring", "consent.expired", "consent.deleted",
                                    "payment.status_changed"}) String type,
                            @Schema(example = "2026-11-30T14:00:00Z") String createdAt,
                            @Schema(format = "uuid") String clientId,
                            @Schema(nullable = true) String tenantUserId,
                            @Schema(format = "uuid", nullable = true, description = "Set for consent and sync events") String credentialsId,
                            @Schema(format = "uuid", nullable = true, description = "Set for payment events") String paymentId,
                            @Schema(description = "Per type: sync.initial_completed {accounts, transactions}; transactions.updated "
                                    + "{added, modified, removed}; sync.failed and sync.rate_limited {state, rate_limited_until, "
                                    + "last_error}; consent.expiring {consent_exp, days_left}; consent.expired and consent.deleted "
                                    + "{status, consent_exp, max_data_retention}; payment.status_changed {status, previous_status, "
                                    + "bank_status}") Map<String, Object> data) {

        public static EventItem of(Event e) {
            return new EventItem(e.id().toString(), e.type(), e.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                    e.clientId().toString(), e.tenantUserId(), e.credentialsId() == null ? null : e.credentialsId().toString(),
                    e.paymentId() == null ? null : e.paymentId().toString(), e.data());
        }
    }
}
