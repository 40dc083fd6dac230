package org.openfinq.client.model;

import java.util.Map;

/** A payment and its lifecycle status (initiated, accepted, pending, settled, rejected, cancelled). */
public record Payment(String paymentId, String status, String bankStatus, String skill, String sessionId, String tenantUserId,
                      String createdAt, String updatedAt, String paymentProduct, Map<String, Object> paymentInfo) {
}
