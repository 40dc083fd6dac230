package org.openfinq.server.onboarding;

import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.catalog.Skill;
import tools.jackson.databind.JsonNode;

import java.util.UUID;

/**
 * What a step handler gets.
 *
 * @param session the session as checked (locked during a local step; claimed, not locked, while a {@link BankStep} calls the bank)
 * @param stepId  the id this step will have
 * @param data    the step's validated data
 * @param psuIp   the end-user's IP address (the step is sent from their device)
 */
public record StepContext(SessionStore.Session session, Skill skill, Servicer servicer, UUID stepId, JsonNode data,
                          String psuIp) {
}
