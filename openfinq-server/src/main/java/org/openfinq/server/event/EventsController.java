package org.openfinq.server.event;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openfinq.server.crypto.Cursors;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantAuth;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.openfinq.server.web.Paging;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/events/get}: a tenant's events in order, for replay and polling. */
@RestController
@Tag(name = "Events")
public class EventsController {

    private final TenantAuth tenants;
    private final Events events;
    private final Cursors cursors;

    public EventsController(TenantAuth tenants, Events events, Cursors cursors) {
        this.tenants = tenants;
        this.events = events;
        this.cursors = cursors;
    }

    @PostMapping({"/v1/events/get", "/v1s/events/get"})
    @Operation(summary = "List events", description = "The tenant's events, oldest first, kept 30 days. Page on with next_cursor; "
            + "polling with the last next_cursor returns only newer events. Events of one tenant are listed in the order "
            + "their changes were committed.")
    @ApiDoc(request = EventApi.EventsRequest.class, response = EventApi.EventsPage.class)
    public EventApi.EventsPage get(JsonBody body) {
        body.expect(List.of("client_id", "client_secret"), List.of("cursor", "count", "types"));
        Tenant tenant = tenants.withSecret(body.text("client_id"), body.text("client_secret"));
        int count = Paging.count(body);
        List<String> types = types(body);
        String context = "events:" + tenant.clientId();
        long after = body.optText("cursor").map(c -> cursors.open(context, c, "cursor", 1)[0]).orElse(0L);
        List<Event> page = events.list(tenant.clientId(), after, count + 1, types);
        boolean more = page.size() > count;
        List<Event> shown = more ? page.subList(0, count) : page;
        long last = shown.isEmpty() ? after : shown.getLast().seq();
        List<EventApi.EventItem> items = new ArrayList<>(shown.size());
        for (Event e : shown) {
            items.add(EventApi.EventItem.of(e));
        }
        return new EventApi.EventsPage(items, cursors.seal(context, last), more);
    }

    private static List<String> types(JsonBody body) {
        if (!body.present("types")) {
            return List.of();
        }
        JsonNode v = body.node().get("types");
        if (!v.isArray()) {
            throw ApiException.invalidField("types", "must be an array of event types");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : v) {
            if (!t.isString() || !Event.TYPES.contains(t.stringValue())) {
                throw ApiException.invalidField("types", "must hold only " + String.join(", ", Event.TYPES));
            }
            out.add(t.stringValue());
        }
        return out;
    }
}
