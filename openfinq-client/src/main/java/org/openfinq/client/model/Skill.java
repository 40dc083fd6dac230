package org.openfinq.client.model;

import java.util.List;

/** A skill of the catalog. */
public record Skill(String id, String name, String type, String environment, String servicerId, String servicerName, String country,
                    String countryCode, List<Step> steps, boolean subscribed, Integer consentDuration, Integer cacheMaxDataRetention) {

    public record Step(String name, int order) {
    }
}
