package org.openfinq.client.model;

import java.util.List;
import java.util.Map;

/** One page of {@code events/get}, oldest first; poll again with {@code nextCursor}. */
public record Events(List<Event> events, String nextCursor, boolean hasMore) {

    /** A change told to the tenant; {@code id} is unique and stable. */
    public record Event(String id, String type, String createdAt, String clientId, String tenantUserId, String credentialsId,
                        String paymentId, Map<String, Object> data) {
    }
}
