package org.openfinq.server.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The served OpenAPI description ({@code /openapi.json}). Endpoints carry {@link ApiDoc}; this turns it into
 * request, response and error schemas, with snake_case property names as on the wire.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static final String[] COMMON_ERRORS = {"invalid_body", "invalid_headers", "missing_fields", "unknown_fields", "invalid_field"};

    private static final ModelConverters CONVERTERS = new ModelConverters();

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(JsonBody.class);
        CONVERTERS.addConverter(new ModelResolver(Json.mapper().copy()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)));
    }

    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    @Bean
    public OperationCustomizer apiDocOperations() {
        return (operation, handler) -> {
            ApiDoc doc = handler.getMethodAnnotation(ApiDoc.class);
            if (doc == null) {
                return operation;
            }
            if (doc.request() != Void.class) {
                operation.requestBody(new RequestBody().required(true).content(new Content()
                        .addMediaType(doc.requestType(), new MediaType().schema(ref(doc.request(), false)))));
            }
            ApiResponses responses = new ApiResponses();
            ApiResponse ok = new ApiResponse().description("Success");
            if (doc.response() != Void.class) {
                ok.content(json(ref(doc.response(), doc.array())));
            }
            for (String header : doc.headers()) {
                int colon = header.indexOf(':');
                ok.addHeaderObject(header.substring(0, colon), new io.swagger.v3.oas.models.headers.Header()
                        .description(header.substring(colon + 1).trim()).schema(new io.swagger.v3.oas.models.media.StringSchema()));
            }
            responses.addApiResponse(Integer.toString(doc.status()), ok);
            Schema<?> error = ref(ApiError.class, false);
            String extra = doc.errors().length == 0 ? "" : ", " + String.join(", ", doc.errors());
            String common = doc.request() == Void.class ? "" : String.join(", ", COMMON_ERRORS);
            responses.addApiResponse("400", errorResponse("Invalid request (type `invalid_request`); codes: "
                    + (common + extra).replaceFirst("^, ", "") + "; on any route: invalid_path (path not in normal "
                    + "form), invalid_parameter, invalid_request (refused by the HTTP server)", error));
            responses.addApiResponse("401", errorResponse("Bad credentials (type `unauthorized`); codes: "
                    + "invalid_client_id, invalid_client_secret, invalid_client_app_key, and others per endpoint", error));
            responses.addApiResponse("404", errorResponse("Unknown route or resource (code `not_found`)", error));
            responses.addApiResponse("405", errorResponse("A method the API never answers, e.g. TRACE or OPTIONS "
                    + "(code `method_not_allowed`)", error));
            responses.addApiResponse("429", errorResponse("Too many requests (type `invalid_request`, code `too_many_requests`): "
                    + "too many failed authentications from this address or for this client_id, or the tenant's request "
                    + "rate limit is used up", error)
                    .addHeaderObject("Retry-After", header("Seconds to wait before retrying"))
                    .addHeaderObject("RateLimit-Limit", header("The tenant's requests per minute (tenant rate limit only)"))
                    .addHeaderObject("RateLimit-Remaining", header("Requests left in the tenant's bucket"))
                    .addHeaderObject("RateLimit-Reset", header("Seconds until the tenant's bucket is full again")));
            if (doc.request() != Void.class) {
                responses.addApiResponse("413", errorResponse("Body over the size limit (code `invalid_body`)", error));
            }
            responses.addApiResponse("500", errorResponse("Unexpected failure (type `server_error`, code "
                    + "`internal_server_error`); the id is in the server log", error));
            responses.addApiResponse("503", errorResponse("Temporarily unavailable (type `api_error`, code "
                    + "`service_unavailable`: the database cannot be reached); retry the same request after the "
                    + "`Retry-After` header's seconds", error)
                    .addHeaderObject("Retry-After", new io.swagger.v3.oas.models.headers.Header()
                            .description("Seconds to wait before retrying").schema(new io.swagger.v3.oas.models.media.IntegerSchema())));
            operation.setResponses(responses);
            return operation;
        };
    }

    /** The tags in the order a user meets them, each with what it is for; /docs shows them in this order. */
    static final Map<String, String> TAGS = tags(
            "Catalogs", "Start here: the banks (servicers) and the skills (what a connection to a bank can do) your tenant may use.",
            "Sessions", "Onboard an end-user: create a session for a skill, then submit its steps (the sca step gives the "
                    + "bank's login link); the last step gives a temp_token.",
            "Connect", "The hosted alternative to building the session screens: your server asks for a single-use connect_url, "
                    + "the end-user picks a bank and consents on our pages, and comes back to your link with a temp_token.",
            "Tokens and consents", "Exchange the temp_token for the consent's access token; read, refresh or revoke the consent.",
            "Account data", "Accounts, balances and transactions of a consent, from the platform's cache, and the change feed.",
            "Events", "What happened since your cursor: syncs completed, transactions changed, consents expiring, payments.",
            "Payments", "Payment initiation through a payment skill's session, and the payment's status.",
            "Admin: tenants", "Operator only (admin token): tenant apps, their secrets and skill subscriptions.",
            "Admin: signers", "Operator only (admin token): the identities and public keys that sign a tenant's /v1s requests.",
            "Admin: webhooks", "Operator only (admin token): a tenant's webhook endpoints, their signing secrets and re-sends.",
            "Admin: audit log", "Operator only (admin token): who did what and when (admin actions, consent deletions, lockouts).");

    private static Map<String, String> tags(String... pairs) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            tags.put(pairs[i], pairs[i + 1]);
        }
        return tags;
    }

    /** Tags in {@link #TAGS} order; any other tag after the known ones of its kind, admin tags (named "Admin...") last. */
    @Bean
    public OpenApiCustomizer tagOrder() {
        return openApi -> {
            Map<String, io.swagger.v3.oas.models.tags.Tag> ordered = new java.util.LinkedHashMap<>();
            TAGS.forEach((name, description) -> ordered.put(name, new io.swagger.v3.oas.models.tags.Tag().name(name).description(description)));
            if (openApi.getTags() != null) {
                openApi.getTags().forEach(t -> ordered.putIfAbsent(t.getName(), t));
            }
            if (openApi.getPaths() != null) {
                openApi.getPaths().values().forEach(item -> item.readOperations().forEach(op -> {
                    if (op.getTags() != null) {
                        op.getTags().forEach(t -> ordered.putIfAbsent(t, new io.swagger.v3.oas.models.tags.Tag().name(t)));
                    }
                }));
            }
            List<String> known = List.copyOf(TAGS.keySet());
            List<io.swagger.v3.oas.models.tags.Tag> tags = new java.util.ArrayList<>(ordered.values());
            tags.sort(java.util.Comparator.comparing((io.swagger.v3.oas.models.tags.Tag t) -> t.getName().startsWith("Admin"))
                    .thenComparing(t -> known.contains(t.getName()) ? known.indexOf(t.getName()) : known.size()));
            openApi.setTags(tags);
        };
    }

    @Bean
    public OpenApiCustomizer apiDocSchemas() {
        return openApi -> {
            openApi.info(new Info().title("openfinq API")
                    .description("Self-hostable open-banking API, wire-compatible with the Finqware API v1. Every "
                            + "endpoint is POST with a JSON body; /v1s takes the same calls with a signed JWS.")
                    .version("v1")
                    .license(new License().name("Apache-2.0")));
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            Map<String, Schema> all = new TreeMap<>();
            if (openApi.getComponents().getSchemas() != null) {
                all.putAll(openApi.getComponents().getSchemas());
            }
            all.putAll(schemas);
            if (openApi.getOpenapi() != null && openApi.getOpenapi().startsWith("3.1")) {
                all.values().forEach(OpenApiConfig::nullableAsType);
            }
            openApi.getComponents().setSchemas(all);
        };
    }

    /** OpenAPI 3.1 has no {@code nullable}: a property marked nullable gets {@code "null"} among its types. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void nullableAsType(Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        for (Object o : schema.getProperties().values()) {
            Schema p = (Schema) o;
            if (Boolean.TRUE.equals(p.getNullable())) {
                java.util.Set<String> types = new java.util.LinkedHashSet<>();
                if (p.getTypes() != null) {
                    types.addAll(p.getTypes());
                } else if (p.getType() != null) {
                    types.add(p.getType());
                }
                types.add("null");
                p.setTypes(types);
            }
        }
    }

    private static io.swagger.v3.oas.models.headers.Header header(String description) {
        return new io.swagger.v3.oas.models.headers.Header().description(description)
                .schema(new io.swagger.v3.oas.models.media.IntegerSchema());
    }

    private static ApiResponse errorResponse(String description, Schema<?> error) {
        return new ApiResponse().description(description).content(json(error));
    }

    private static Content json(Schema<?> schema) {
        return new Content().addMediaType("application/json", new MediaType().schema(schema));
    }

    private Schema<?> ref(Class<?> type, boolean array) {
        ResolvedSchema resolved = CONVERTERS.resolveAsResolvedSchema(new AnnotatedType(type).resolveAsRef(true));
        if (resolved.referencedSchemas != null) {
            schemas.putAll(resolved.referencedSchemas);
        }
        Schema<?> schema = resolved.schema;
        return array ? new ArraySchema().items(schema) : schema;
    }
}
