package org.openfinq.server.connect;

import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.catalog.Skill;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.onboarding.SessionApi;
import org.openfinq.server.onboarding.SessionService;
import org.openfinq.server.payment.PaymentIntent;
import org.openfinq.server.tenant.RedirectPolicy;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantAuth;
import org.openfinq.server.tenant.TenantSettings;
import org.openfinq.server.tenant.TenantStore;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.openfinq.server.web.PublicUrl;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Connect: a tenant's server asks for a single-use, short-lived {@code connect_url}; the end-user's browser opens it
 * once (binding the flow to that browser with a cookie), picks a bank, confirms what is shared, and is sent to the
 * bank through the session engine's own steps ({@code sca} or {@code payment_intent}), whose redirect comes back to
 * {@code /connect/f/{id}/return} and is passed on to the tenant's {@code psu_redirect_link}.
 */
@Service
public class ConnectService {

    /** How long a connect_url and the flow it opens last. */
    public static final Duration TTL = Duration.ofMinutes(15);
    public static final Set<String> LANGUAGES = Set.of("en", "ro");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Why a page cannot be shown: an HTTP status and a text key. */
    public static final class Refused extends RuntimeException {
        final int status;
        final String key;

        Refused(int status, String key) {
            super(key);
            this.status = status;
            this.key = key;
        }
    }

    /** A checked flow with what its pages show. */
    public record View(ConnectStore.Flow flow, Tenant tenant, TenantSettings settings, ObjectNode payment) {
        public String appName() {
            return settings.displayName() == null ? tenant.name() : settings.displayName();
        }

        /** The skills this flow may use: the tenant's subscriptions of its type, country and skill. */
        public List<Skill> skills(Catalog catalog) {
            return tenant.skills().stream().map(s -> catalog.skill(s.skill()).orElse(null))
                    .filter(s -> s != null && s.type().equals(flow.type()))
                    .filter(s -> flow.skill() == null || s.id().equals(flow.skill()))
                    .filter(s -> flow.country() == null || catalog.servicer(s.servicerId()).map(Servicer::countryCode)
                            .map(c -> c.equalsIgnoreCase(flow.country())).orElse(false))
                    .toList();
        }
    }

    public record Created(String connectUrl, Instant expiresAt, UUID flowId) {
    }

    public record Opened(UUID flowId, String browserSecret) {
    }

    private final ConnectStore store;
    private final TenantAuth auth;
    private final TenantStore tenants;
    private final RedirectPolicy redirects;
    private final SessionService sessions;
    private final Catalog catalog;
    private final DataCipher cipher;
    private final PublicUrl publicUrl;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final org.openfinq.server.bank.Connectors connectors;

    public ConnectService(ConnectStore store, TenantAuth auth, TenantStore tenants, RedirectPolicy redirects,
                          SessionService sessions, Catalog catalog, DataCipher cipher, PublicUrl publicUrl,
                          TransactionTemplate tx, Clock clock, org.openfinq.server.bank.Connectors connectors) {
        this.connectors = connectors;
        this.store = store;
        this.auth = auth;
        this.tenants = tenants;
        this.redirects = redirects;
        this.sessions = sessions;
        this.catalog = catalog;
        this.cipher = cipher;
        this.publicUrl = publicUrl;
        this.tx = tx;
        this.clock = clock;
    }

    public Created create(JsonBody body) {
        body.expect(List.of("client_id", "tenant_user_id", "psu_redirect_link"),
                List.of("client_secret", "client_app_key", "skill", "country", "type", "language", "payment_intent"));
        boolean appKey = body.present("client_app_key");
        if (appKey == body.present("client_secret")) {
            throw appKey ? ApiException.invalidField("client_secret", "send client_app_key or client_secret, not both")
                    : ApiException.invalid("missing_fields", "Missing required fields: client_secret or client_app_key");
        }
        Tenant tenant = appKey ? auth.withAppKey(body.text("client_id"), body.text("client_app_key"))
                : auth.withSecret(body.text("client_id"), body.text("client_secret"));
        String userId = body.text("tenant_user_id");
        if (userId.length() > 255) {
            throw ApiException.invalidField("tenant_user_id", "must be at most 255 characters");
        }
        String link = body.text("psu_redirect_link");
        java.net.URI uri;
        try {
            uri = new java.net.URI(link);
        } catch (java.net.URISyntaxException e) {
            throw ApiException.invalidField("psu_redirect_link", "must be an absolute URI");
        }
        if (!uri.isAbsolute() || link.length() > 2048) {
            throw ApiException.invalidField("psu_redirect_link", "must be an absolute URI");
        }
        if (link.startsWith(publicUrl.base() + "/connect/")) {
            throw ApiException.invalidField("psu_redirect_link", "must be the tenant app's own page");
        }
        if (appKey && tenants.settings(tenant.clientId()).orElse(TenantSettings.NONE).redirectUrls().isEmpty()) {
            // the app key is public: without an allow-list any page could start a flow that ends on its own link
            throw ApiException.invalidField("psu_redirect_link", "a Connect flow started with the client_app_key needs the "
                    + "tenant app's redirect_urls to be set (admin tenant set <client_id> redirect_urls=...)");
        }
        redirects.check(tenant.clientId(), "psu_redirect_link", link);
        String language = body.optText("language").map(l -> l.toLowerCase(Locale.ROOT)).orElse(null);
        if (language != null && !LANGUAGES.contains(language)) {
            throw ApiException.invalidField("language", "must be one of " + LANGUAGES.stream().sorted().toList());
        }
        String skill = body.optText("skill").orElse(null);
        String country = body.optText("country").map(c -> c.toUpperCase(Locale.ROOT)).orElse(null);
        if (country != null && !country.matches("[A-Z]{2}")) {
            throw ApiException.invalidField("country", "must be an ISO 3166 two-letter country code");
        }
        byte[] payment = null;
        String type = body.optText("type").orElse(null);
        if (body.present("payment_intent")) {
            ObjectNode intent = body.object("payment_intent").node().deepCopy();
            if (intent.has("psu_redirect_link")) {
                throw ApiException.invalidField("payment_intent.psu_redirect_link", "is set by Connect; leave it out");
            }
            ObjectNode check = intent.deepCopy();
            check.put("psu_redirect_link", link);
            PaymentIntent.read(check, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
            if (type != null && !type.equals("pisp")) {
                throw ApiException.invalidField("type", "must be pisp (or left out) with a payment_intent");
            }
            type = "pisp";
            payment = JSON.writeValueAsBytes(intent);
        }
        if (type == null) {
            type = "aisp";
        }
        if (!type.equals("aisp") && !type.equals("pisp")) {
            throw ApiException.invalidField("type", "must be aisp or pisp");
        }
        if (type.equals("pisp") && payment == null) {
            throw ApiException.missingFields(List.of("payment_intent"));
        }
        if (skill != null) {
            Skill s = catalog.skill(skill).orElseThrow(() -> ApiException.invalid("invalid_skill_name", "No skill '" + skill + "'"));
            if (tenant.subscription(skill).isEmpty()) {
                throw ApiException.unauthorized("unauthorized_tenant", "The tenant app is not subscribed to " + skill);
            }
            if (!s.type().equals(type)) {
                throw ApiException.invalidField("skill", "is a " + s.type() + " skill; this Connect session is " + type);
            }
        }
        return insert(tenant, userId, link, skill, country, type, language, payment);
    }

    /**
     * An AIS flow for another feature (a bridge) that has already authenticated the tenant and whose own page is
     * {@code returnLink}: the same pages, session and consent as {@code POST /v1/connect/sessions}.
     */
    public Created createFor(Tenant tenant, String userId, String returnLink, String skill, String language) {
        if (skill != null && tenant.subscription(skill).isEmpty()) {
            throw ApiException.unauthorized("unauthorized_tenant", "The tenant app is not subscribed to " + skill);
        }
        return insert(tenant, userId, returnLink, skill, null, "aisp",
                language != null && LANGUAGES.contains(language.toLowerCase(Locale.ROOT)) ? language.toLowerCase(Locale.ROOT) : null,
                null);
    }

    private Created insert(Tenant tenant, String userId, String link, String skill, String country, String type,
                           String language, byte[] payment) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Instant expires = now.plus(TTL).truncatedTo(ChronoUnit.SECONDS);
        byte[] sealed = payment == null ? null : cipher.encrypt(payment, "connect:" + id);
        String token = Secrets.newSecret();
        ConnectStore.Flow flow = new ConnectStore.Flow(id, tenant.clientId(), userId, link, skill, country, type, language,
                sealed, null, null, null, null, null, expires);
        View probe = new View(flow, tenant, TenantSettings.NONE, null);
        if (probe.skills(catalog).isEmpty()) {
            throw ApiException.invalid("invalid_skill_name", "The tenant app subscribes to no " + type + " skill"
                    + (country == null ? "" : " in " + country));
        }
        tx.executeWithoutResult(status -> store.insert(flow, Secrets.hash(token), now));
        return new Created(publicUrl.base() + "/connect/s/" + token, expires, id);
    }

    /**
     * Where a flow stands: {@code created} (link not opened), {@code opened} (bank picker or consent page),
     * {@code at_bank} (sent to the bank's SCA), {@code finished}; empty when unknown or purged.
     */
    public java.util.Optional<String> stage(UUID flowId) {
        return store.find(flowId).map(f -> f.finishedAt() != null ? "finished" : f.sessionId() != null ? "at_bank"
                : f.openedAt() != null ? "opened" : "created");
    }

    /** The connect_url's first and only use. */
    public Opened open(String token) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            ConnectStore.Flow f = store.lockByToken(Secrets.hash(token)).orElseThrow(() -> new Refused(404, "unknown"));
            if (f.openedAt() != null) {
                throw new Refused(410, "used");
            }
            if (!now.isBefore(f.expiresAt())) {
                throw new Refused(410, "expired");
            }
            String secret = Secrets.newSecret();
            store.open(f.id(), Secrets.hash(secret), now);
            return new Opened(f.id(), secret);
        });
    }

    /** The flow behind a page, for the browser that opened it. */
    public View view(String flowId, String browserSecret) {
        UUID id;
        try {
            id = UUID.fromString(flowId);
        } catch (IllegalArgumentException e) {
            throw new Refused(404, "unknown");
        }
        ConnectStore.Flow f = store.find(id).orElseThrow(() -> new Refused(404, "unknown"));
        if (browserSecret == null || f.browserHash() == null || !Secrets.matches(browserSecret, f.browserHash())) {
            throw new Refused(403, "browser");
        }
        if (!clock.instant().isBefore(f.expiresAt())) {
            throw new Refused(410, "expired");
        }
        Tenant tenant = tenants.find(f.clientId()).orElseThrow(() -> new Refused(404, "unknown"));
        TenantSettings settings = tenants.settings(f.clientId()).orElse(TenantSettings.NONE);
        ObjectNode payment = f.payment() == null ? null
                : (ObjectNode) JSON.readTree(cipher.decrypt(f.payment(), "connect:" + f.id()));
        return new View(f, tenant, settings, payment);
    }

    /** A view of a flow the end-user has not sent to a bank yet. */
    public View pending(String flowId, String browserSecret) {
        View v = view(flowId, browserSecret);
        if (v.flow().finishedAt() != null || v.flow().sessionId() != null) {
            throw new Refused(410, "used");
        }
        return v;
    }

    public Skill skill(View v, String skillId) {
        return v.skills(catalog).stream().filter(s -> s.id().equals(skillId)).findFirst()
                .orElseThrow(() -> new Refused(404, "bank"));
    }

    /** What a bank step answered: the bank's page, or the tenant link with the error. */
    public record Started(String bankUrl, String failure) {
    }

    /**
     * Starts the engine's session for the chosen skill and runs its bank step ({@code sca} or {@code payment_intent})
     * with this flow's return page as {@code psu_redirect_link}.
     */
    public Started authorize(String flowId, String browserSecret, String skillId, String psuIp) {
        View v = pending(flowId, browserSecret);
        Skill skill = skill(v, skillId);
        if (catalog.servicer(skill.servicerId()).map(s -> connectors.forServicer(s).profile().scaApproach())
                .orElse(null) == org.openfinq.connector.BankProfile.ScaApproach.DECOUPLED) {
            // the hosted pages have no page that waits for an approval in the bank's app yet: refused before any bank call
            tx.executeWithoutResult(status -> store.finish(v.flow().id(), clock.instant()));
            Map<String, String> q = new LinkedHashMap<>();
            q.put("error", "tpp_redirect_error");
            q.put("message", "This bank confirms in its own app, which Connect does not support yet; use the sca or "
                    + "payment_intent step");
            return new Started(null, PublicUrl.withQuery(v.flow().psuRedirectLink(), q));
        }
        SessionApi.CreateResponse created = sessions.create(v.tenant(), v.flow().tenantUserId(), skill.id());
        UUID sessionId = UUID.fromString(created.sessionId());
        if (!Boolean.TRUE.equals(tx.execute(status -> store.start(v.flow().id(), sessionId)))) {
            throw new Refused(410, "used");
        }
        ObjectNode data = v.payment() == null ? JsonBody.newObject() : v.payment().deepCopy();
        data.put("psu_redirect_link", publicUrl.base() + "/connect/f/" + v.flow().id() + "/return");
        ObjectNode call = JsonBody.newObject();
        call.put("client_id", v.tenant().clientId().toString());
        call.put("nonce", created.nonce());
        call.put("skill", skill.id());
        call.put("step", v.flow().type().equals("pisp") ? "payment_intent" : "sca");
        call.set("data", data);
        try {
            SessionApi.StepResponse answer = sessions.submit(created.sessionId(), JsonBody.parse(JSON.writeValueAsBytes(call)), psuIp);
            String url = String.valueOf(answer.data().get("url"));
            tx.executeWithoutResult(status -> store.bankUrl(v.flow().id(), cipher.encrypt(url, "connect:" + v.flow().id())));
            return new Started(url, null);
        } catch (ApiException e) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("error", "tpp_redirect_error");
            q.put("message", e.getMessage());
            q.put("session_id", created.sessionId());
            tx.executeWithoutResult(status -> store.finish(v.flow().id(), clock.instant()));
            return new Started(null, PublicUrl.withQuery(v.flow().psuRedirectLink(), q));
        }
    }

    /** The bank page of a started flow. */
    public String bankUrl(View v) {
        if (v.flow().bankUrl() == null || v.flow().finishedAt() != null) {
            throw new Refused(410, "used");
        }
        return cipher.decryptString(v.flow().bankUrl(), "connect:" + v.flow().id());
    }

    /** The engine's redirect came back: ends the flow and answers the tenant link with the same parameters. */
    public String finish(View v, Map<String, String> params) {
        if (v.flow().sessionId() == null) {
            throw new Refused(410, "used");
        }
        if (!Boolean.TRUE.equals(tx.execute(status -> store.finish(v.flow().id(), clock.instant())))) {
            throw new Refused(410, "used");
        }
        Map<String, String> q = new LinkedHashMap<>();
        for (String name : List.of("temp_token", "payment_id", "status", "error", "message", "session_id")) {
            if (params.get(name) != null) {
                q.put(name, params.get(name));
            }
        }
        return PublicUrl.withQuery(v.flow().psuRedirectLink(), q);
    }

    /** The end-user cancelled before the bank: the tenant link with {@code error=user_cancelled}. */
    public String cancel(String flowId, String browserSecret) {
        View v = pending(flowId, browserSecret);
        if (!Boolean.TRUE.equals(tx.execute(status -> store.finish(v.flow().id(), clock.instant())))) {
            throw new Refused(410, "used");
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("error", "user_cancelled");
        q.put("message", "The end-user cancelled before choosing or authorising at a bank");
        return PublicUrl.withQuery(v.flow().psuRedirectLink(), q);
    }

    public int purge() {
        return store.purge(clock.instant().minus(Duration.ofDays(1)));
    }

    public Catalog catalog() {
        return catalog;
    }

    /** Days a consent of this skill lasts for the tenant (its consent_duration, rounded up). */
    public static long consentDays(View v, Skill skill) {
        int minutes = v.tenant().subscription(skill.id()).map(Tenant.Subscription::consentDuration)
                .orElse(Tenant.Subscription.DEFAULT_CONSENT_DURATION);
        return (minutes + 1439) / 1440;
    }
}
