package org.openfinq.server.catalog;

import java.util.List;
import java.util.UUID;

/**
 * A connector to one servicer's API, e.g. {@code sandbox_ro_aisp_sbx_#1.0}.
 *
 * @param type        {@code aisp}, {@code pisp} or {@code marketplace}
 * @param environment {@code sandbox} or {@code production}
 * @param steps       the session steps in order; steps with the same {@code order} are alternatives
 */
public record Skill(String id, String name, String type, String environment, UUID servicerId, List<Step> steps) {

    public record Step(String name, int order) {
    }
}
