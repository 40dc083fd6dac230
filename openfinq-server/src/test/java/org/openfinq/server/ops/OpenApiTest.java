package org.openfinq.server.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.web.ApiDoc;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every public endpoint the server routes is in the served OpenAPI description with its schemas and errors. */
class OpenApiTest {

    static TestDatabase db;
    static TestServer server;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @Test
    void tagsComeInTheOrderAUserMeetsThemEachWithADescription() {
        JsonNode doc = server.api().send("GET", "/openapi.json", Map.of(), null).json();
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode tag : doc.path("tags")) {
            names.add(tag.path("name").asString());
            assertThat(tag.path("description").asString()).as("description of %s", tag).isNotBlank();
        }
        assertThat(names).containsSubsequence("Catalogs", "Sessions", "Tokens and consents", "Account data", "Payments",
                "Admin: tenants");
        assertThat(names.indexOf("Admin: tenants")).isGreaterThan(names.indexOf("Events")).isGreaterThan(names.indexOf("Payments"));
        java.util.Set<String> used = new java.util.HashSet<>();
        doc.path("paths").forEach(item -> item.forEach(op -> op.path("tags").forEach(t -> used.add(t.asString()))));
        assertThat(names).containsAll(used);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).startsWith("Admin")) {
                assertThat(names.subList(i, names.size())).as("admin tags last").allMatch(n -> n.startsWith("Admin"));
                break;
            }
        }
    }

    @Test
    void everyRoutedEndpointIsDescribed() {
        Api.Response r = server.api().send("GET", "/openapi.json", Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        JsonNode schemas = doc.path("components").path("schemas");
        int checked = 0;
        RequestMappingHandlerMapping mapping = server.bean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
            for (String path : e.getKey().getPatternValues()) {
                if (!(path.startsWith("/v1/") || path.startsWith("/v1s/") || path.startsWith("/admin/"))) {
                    continue;
                }
                assertThat(e.getValue().getMethodAnnotation(ApiDoc.class)).as("@ApiDoc on %s", path).isNotNull();
                for (var method : e.getKey().getMethodsCondition().getMethods()) {
                    JsonNode op = doc.path("paths").path(path).path(method.name().toLowerCase());
                    assertThat(op.isObject()).as("%s %s in openapi.json", method, path).isTrue();
                    assertThat(op.path("parameters").toString()).doesNotContain("\"body\"");
                    ApiDoc apiDoc = e.getValue().getMethodAnnotation(ApiDoc.class);
                    if (apiDoc.request() != Void.class) {
                        String ref = op.path("requestBody").path("content").path(apiDoc.requestType()).path("schema").path("$ref").asString();
                        assertThat(ref).as("request schema of %s", path).startsWith("#/components/schemas/");
                        assertThat(schemas.has(ref.substring(ref.lastIndexOf('/') + 1))).isTrue();
                    }
                    for (String status : new String[]{"400", "401", "404", "405", "500", "503"}) {
                        assertThat(op.path("responses").path(status).path("content").path("application/json")
                                .path("schema").path("$ref").asString()).as("%s of %s", status, path)
                                .isEqualTo("#/components/schemas/Error");
                    }
                    assertThat(op.path("responses").path("503").path("headers").has("Retry-After")).as("Retry-After of %s", path).isTrue();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
        assertThat(schemas.path("Error").path("properties").propertyNames())
                .containsExactlyInAnyOrder("id", "type", "http", "code", "message");
        assertThat(schemas.path("CatalogSkillsRequest").path("properties").has("client_id")).as("snake_case names").isTrue();
        assertThat(schemas.path("Skill").path("properties").has("cache_max_data_retention")).isTrue();
        assertThat(doc.path("paths").path("/v1/catalogs/skills/get").path("post").path("responses").path("200")
                .path("content").path("application/json").path("schema").path("type").asString()).isEqualTo("array");
    }
}
