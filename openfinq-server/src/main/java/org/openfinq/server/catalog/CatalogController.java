package org.openfinq.server.catalog;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantAuth;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The Catalogs API: which servicers and skills exist and which the tenant subscribes to. Authenticated
 * with {@code client_id} and either {@code client_app_key} (so a tenant's front end can build its bank picker)
 * or {@code client_secret} (from the tenant's server).
 */
@RestController
@Tag(name = "Catalogs")
public class CatalogController {

    private static final List<String> OPTIONAL = List.of("client_app_key", "client_secret", "filter");

    private final Catalog catalog;
    private final TenantAuth auth;

    public CatalogController(Catalog catalog, TenantAuth auth) {
        this.catalog = catalog;
        this.auth = auth;
    }

    @PostMapping({"/v1/catalogs/skills/get", "/v1s/catalogs/skills/get"})
    @Operation(summary = "List skills", description = "Every skill of the catalog, with the tenant's subscription "
            + "settings where it subscribes. Ordered by skill id.")
    @ApiDoc(request = CatalogApi.SkillsRequest.class, response = CatalogApi.SkillView.class, array = true)
    public List<CatalogApi.SkillView> skills(JsonBody body) {
        Tenant tenant = authenticate(body);
        Predicate<CatalogApi.SkillView> filter = skillFilter(body.optObject("filter"));
        return catalog.skills().stream()
                .map(s -> view(s, tenant))
                .filter(filter)
                .sorted(Comparator.comparing(CatalogApi.SkillView::id))
                .toList();
    }

    @PostMapping({"/v1/catalogs/servicers/get", "/v1s/catalogs/servicers/get"})
    @Operation(summary = "List servicers", description = "The banks and providers behind the skills. Ordered by name.")
    @ApiDoc(request = CatalogApi.ServicersRequest.class, response = CatalogApi.ServicerView.class, array = true)
    public List<CatalogApi.ServicerView> servicers(JsonBody body) {
        authenticate(body);
        Optional<JsonBody> filter = body.optObject("filter");
        Optional<String> country = Optional.empty();
        if (filter.isPresent()) {
            filter.get().expect(List.of(), List.of("country"));
            country = filter.get().optText("country");
        }
        Optional<String> c = country;
        return catalog.servicers().stream()
                .filter(s -> c.isEmpty() || countryMatches(s, c.get()))
                .map(CatalogApi.ServicerView::of)
                .sorted(Comparator.comparing(CatalogApi.ServicerView::name).thenComparing(v -> v.id().toString()))
                .toList();
    }

    private Tenant authenticate(JsonBody body) {
        body.expect(List.of("client_id"), OPTIONAL);
        boolean appKey = body.present("client_app_key");
        boolean secret = body.present("client_secret");
        if (appKey == secret) {
            throw appKey ? ApiException.invalidField("client_secret", "send client_app_key or client_secret, not both")
                    : ApiException.invalid("missing_fields", "Missing required fields: client_app_key or client_secret");
        }
        return appKey ? auth.withAppKey(body.text("client_id"), body.text("client_app_key"))
                : auth.withSecret(body.text("client_id"), body.text("client_secret"));
    }

    private Predicate<CatalogApi.SkillView> skillFilter(Optional<JsonBody> filter) {
        if (filter.isEmpty()) {
            return s -> true;
        }
        JsonBody f = filter.get().expect(List.of(), List.of("country", "type", "environment", "servicer_id", "subscribed"));
        Predicate<CatalogApi.SkillView> p = s -> true;
        Optional<String> country = f.optText("country");
        if (country.isPresent()) {
            p = p.and(s -> s.country().equalsIgnoreCase(country.get()) || s.countryCode().equalsIgnoreCase(country.get()));
        }
        Optional<String> type = f.optText("type");
        if (type.isPresent()) {
            if (!Catalog.TYPES.contains(type.get())) {
                throw ApiException.invalidField("filter.type", "must be one of aisp, pisp, marketplace");
            }
            p = p.and(s -> s.type().equals(type.get()));
        }
        Optional<String> env = f.optText("environment");
        if (env.isPresent()) {
            if (!Catalog.ENVIRONMENTS.contains(env.get())) {
                throw ApiException.invalidField("filter.environment", "must be sandbox or production");
            }
            p = p.and(s -> s.environment().equals(env.get()));
        }
        Optional<String> servicer = f.optText("servicer_id");
        if (servicer.isPresent()) {
            UUID id = JsonBody.uuid(servicer.get(), ApiException.invalidField("filter.servicer_id", "must be a UUID"));
            p = p.and(s -> s.servicerId().equals(id));
        }
        Optional<Boolean> subscribed = f.optBoolean("subscribed");
        if (subscribed.isPresent()) {
            p = p.and(s -> s.subscribed() == subscribed.get());
        }
        return p;
    }

    private static boolean countryMatches(Servicer s, String country) {
        String c = country.toLowerCase(Locale.ROOT);
        return s.country().toLowerCase(Locale.ROOT).equals(c) || s.countryCode().toLowerCase(Locale.ROOT).equals(c);
    }

    private CatalogApi.SkillView view(Skill skill, Tenant tenant) {
        Servicer servicer = catalog.servicer(skill.servicerId()).orElseThrow();
        Optional<Tenant.Subscription> sub = tenant.subscription(skill.id());
        return new CatalogApi.SkillView(skill.id(), skill.name(), skill.type(), skill.environment(), servicer.id(),
                servicer.name(), servicer.country(), servicer.countryCode(),
                skill.steps().stream().map(st -> new CatalogApi.StepView(st.name(), st.order())).toList(),
                sub.isPresent(), sub.map(Tenant.Subscription::consentDuration).orElse(null),
                sub.map(Tenant.Subscription::cacheMaxDataRetention).orElse(null));
    }
}
