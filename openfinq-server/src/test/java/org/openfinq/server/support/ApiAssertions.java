package org.openfinq.server.support;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks a whole Finqware error object and its HTTP status. */
public final class ApiAssertions {

    private ApiAssertions() {
    }

    public static JsonNode assertError(Api.Response r, int http, String type, String code, String messagePart) {
        assertThat(r.status()).as("HTTP status of %s", r.body()).isEqualTo(http);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode e = r.json();
        assertThat(e).as("JSON body").isNotNull();
        assertThat(fieldNames(e)).containsExactlyInAnyOrder("id", "type", "http", "code", "message");
        assertThat(UUID.fromString(e.get("id").asString())).isNotNull();
        assertThat(e.get("type").asString()).isEqualTo(type);
        assertThat(e.get("http").isInt()).isTrue();
        assertThat(e.get("http").asInt()).isEqualTo(http);
        assertThat(e.get("code").asString()).isEqualTo(code);
        assertThat(e.get("message").asString()).contains(messagePart);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return e;
    }

    public static List<String> fieldNames(JsonNode node) {
        return new ArrayList<>(node.propertyNames());
    }
}
