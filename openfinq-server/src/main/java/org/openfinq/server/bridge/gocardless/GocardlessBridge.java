package org.openfinq.server.bridge.gocardless;

import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.bank.BankProfiles;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.catalog.Skill;
import org.openfinq.server.connect.ConnectService;
import org.openfinq.server.consent.ConsentService;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.data.CachedData;
import org.openfinq.server.sync.SyncStatus;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantService;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.PublicUrl;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.openfinq.server.consent.ConsentService.utc;

/**
 * The GoCardless Bank Account Data v2 API over the existing tenants, Connect flows, consents and account-data cache.
 * A secret pair belongs to one tenant_user_id of a tenant; its agreements and requisitions belong to that user. A
 * requisition's link opens a Connect flow (the same pages, session and consent as {@code /v1/connect/sessions}) whose
 * end links the requisition to the new consent; accounts, balances and transactions are read from the cache through
 * {@link CachedData}, never from the bank (the sync feature's refresh schedule keeps the cache within the bank's
 * unattended allowance, which the {@code http_x_ratelimit_account_success_*} headers report).
 */
@Service
public class GocardlessBridge {

    public static final String ROOT = "/api/v2";
    static final Duration ACCESS_TTL = Duration.ofHours(24);
    static final Duration REFRESH_TTL = Duration.ofDays(30);
    /** A pair that mints no token for this long is revoked by the retention job. */
    static final Duration UNUSED_LIMIT = Duration.ofDays(400);
    /** Revoked pairs are kept this long (for the operator's list), then deleted. */
    static final Duration REVOKED_KEPT = Duration.ofDays(30);
    /** A requisition never linked is deleted this long after its creation; an agreement no requisition uses, too. */
    static final Duration UNLINKED_KEPT = Duration.ofDays(7);
    /** A linked requisition is deleted this long after its consent's expiry. */
    static final Duration EXPIRED_KEPT = Duration.ofDays(30);
    static final List<String> SCOPES = List.of("balances", "details", "transactions");
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** The holder of a valid access token. */
    record Caller(UUID secretId, UUID clientId, String tenantUserId) {
    }

    /** An institution this tenant can connect: the GoCardless id, its skill and bank. */
    record Bank(String institutionId, Skill skill, Servicer servicer, int historyDays, int accessDays) {
    }

    /** An account of a linked requisition. */
    record Owned(GocardlessStore.Requisition requisition, ConsentStore.Consent consent, CachedData.Account account) {
    }

    private final GocardlessStore store;
    private final TenantService tenants;
    private final Catalog catalog;
    private final BankProfiles profiles;
    private final Connectors connectors;
    private final ConnectService connect;
    private final ConsentService consentService;
    private final CachedData data;
    private final SyncStatus sync;
    private final DataCipher cipher;
    private final PublicUrl publicUrl;
    private final AuthGuard guard;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public GocardlessBridge(GocardlessStore store, TenantService tenants, Catalog catalog, BankProfiles profiles,
                            Connectors connectors, ConnectService connect, ConsentService consentService,
                            CachedData data, SyncStatus sync, DataCipher cipher, PublicUrl publicUrl, AuthGuard guard,
                            AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.catalog = catalog;
        this.profiles = profiles;
        this.connectors = connectors;
        this.connect = connect;
        this.consentService = consentService;
        this.data = data;
        this.sync = sync;
        this.cipher = cipher;
        this.publicUrl = publicUrl;
        this.guard = guard;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    // --- errors ----------------------------------------------------------------------------------------------

    /** An error in GoCardless's shape: the code is GoCardless's summary, the message its detail. */
    static ApiException error(int status, String summary, String detail) {
        return new ApiException(GocardlessErrors.TYPE, status, summary, detail);
    }

    static ApiException notFound() {
        return error(404, "Not found.", "Not found.");
    }

    public static ApiException invalidToken() {
        return error(401, "Invalid token", "Token is invalid or expired");
    }

    static ApiException invalid(String field, String detail) {
        return error(400, "Invalid " + field, detail);
    }

    // --- secret pairs (admin) --------------------------------------------------------------------------------

    /** Issues a secret pair for {@code tenantUserId} of the tenant; the key is shown only in this answer. */
    public GocardlessApi.Secret issue(UUID clientId, String tenantUserId) {
        tenants.get(clientId);
        if (tenantUserId == null || tenantUserId.isBlank()) {
            throw ApiException.invalidField("tenant_user_id", "must not be empty");
        }
        if (tenantUserId.length() > 255) {
            throw ApiException.invalidField("tenant_user_id", "must be at most 255 characters");
        }
        UUID id = UUID.randomUUID();
        String key = Secrets.newSecret();
        byte[] tokenKey = new byte[32];
        RANDOM.nextBytes(tokenKey);
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            store.insertSecret(id, clientId, tenantUserId, Secrets.hash(key),
                    cipher.encrypt(Base64.getEncoder().encodeToString(tokenKey), "gocardless:" + id), now);
            audit.admin("gocardless.secret.issue", clientId, id.toString(), Map.of("tenant_user_id", tenantUserId));
        });
        return new GocardlessApi.Secret(id.toString(), key, tenantUserId, utc(now));
    }

    public List<GocardlessApi.SecretInfo> list(UUID clientId) {
        tenants.get(clientId);
        return store.secrets(clientId).stream().map(s -> new GocardlessApi.SecretInfo(s.id().toString(), s.tenantUserId(),
                s.revokedAt() == null ? "active" : "revoked", utc(s.createdAt()), utc(s.lastUsedAt()), utc(s.revokedAt()))).toList();
    }

    /** Revokes a pair: token/new refuses it and every token it minted is refused from now on. */
    public void revoke(UUID clientId, UUID id) {
        tenants.get(clientId);
        tx.executeWithoutResult(s -> {
            if (!store.revokeSecret(clientId, id, clock.instant())) {
                throw ApiException.notFound("No active GoCardless secret " + id + " for this tenant");
            }
            audit.admin("gocardless.secret.revoke", clientId, id.toString(), Map.of());
        });
    }

    // --- tokens ----------------------------------------------------------------------------------------------

    GocardlessApi.Tokens newToken(JsonNode body, String address) {
        guard.check(address, null);
        String secretId = text(body, "secret_id");
        String secretKey = text(body, "secret_key");
        ApiException refused = error(401, "Authentication failed", "No active account found with the given credentials");
        GocardlessStore.Secret s = uuid(secretId).flatMap(store::secret)
                .filter(x -> x.revokedAt() == null && Secrets.matches(secretKey, x.secretKeyHash()))
                .orElseThrow(() -> guard.failed(address, null, refused));
        Instant now = clock.instant();
        store.touchSecret(s.id(), now);
        return new GocardlessApi.Tokens(jwt(s, "access", now, ACCESS_TTL), ACCESS_TTL.toSeconds(),
                jwt(s, "refresh", now, REFRESH_TTL), REFRESH_TTL.toSeconds());
    }

    GocardlessApi.Tokens refresh(JsonNode body, String address) {
        guard.check(address, null);
        String refresh = text(body, "refresh");
        GocardlessStore.Secret s = verify(refresh, "refresh").orElseThrow(() -> guard.failed(address, null,
                error(401, "Invalid token", "Token is invalid or expired")));
        Instant now = clock.instant();
        store.touchSecret(s.id(), now);
        return new GocardlessApi.Tokens(jwt(s, "access", now, ACCESS_TTL), ACCESS_TTL.toSeconds(), null, null);
    }

    /** The caller of an access token, or empty (wrong, expired, or its pair revoked). */
    Optional<Caller> authenticate(String accessToken) {
        return verify(accessToken, "access").map(s -> new Caller(s.id(), s.clientId(), s.tenantUserId()));
    }

    private String jwt(GocardlessStore.Secret s, String type, Instant now, Duration ttl) {
        ObjectNode header = JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode().put("token_type", type).put("exp", now.plus(ttl).getEpochSecond())
                .put("iat", now.getEpochSecond()).put("jti", UUID.randomUUID().toString().replace("-", ""))
                .put("secret_id", s.id().toString());
        String signed = B64.encodeToString(JSON.writeValueAsBytes(header)) + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
        return signed + "." + B64.encodeToString(mac(s, signed));
    }

    private Optional<GocardlessStore.Secret> verify(String token, String type) {
        if (token == null || token.length() > 2048) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!type.equals(claims.path("token_type").asString(null))
                || claims.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return uuid(claims.path("secret_id").asString(null)).flatMap(store::secret)
                .filter(s -> s.revokedAt() == null)
                .filter(s -> {
                    byte[] presented;
                    try {
                        presented = Base64.getUrlDecoder().decode(parts[2]);
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                    return MessageDigest.isEqual(presented, mac(s, parts[0] + "." + parts[1]));
                });
    }

    private byte[] mac(GocardlessStore.Secret s, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = Base64.getDecoder().decode(cipher.decryptString(s.tokenKey(), "gocardless:" + s.id()));
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- institutions ----------------------------------------------------------------------------------------

    /** The AIS banks the caller's tenant subscribes to, one per institution id, in catalog order. */
    List<Bank> banks(Caller caller) {
        Tenant tenant = tenants.get(caller.clientId());
        Map<String, Bank> out = new LinkedHashMap<>();
        for (Tenant.Subscription sub : tenant.skills()) {
            Optional<Skill> skill = catalog.skill(sub.skill()).filter(s -> s.type().equals("aisp"));
            Optional<Servicer> servicer = skill.flatMap(s -> catalog.servicer(s.servicerId()));
            if (servicer.isEmpty() || connectors.unavailable(servicer.get()).isPresent()) {
                continue;
            }
            String id = profiles.institutionId(servicer.get().bankProfile(), "gocardless")
                    .orElse("OPENFINQ_" + skill.get().id().replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT)
                            .replaceAll("_+$", ""));
            int history = connectors.forServicer(servicer.get()).profile().maxHistoryDays();
            int access = (sub.consentDuration() + 1439) / 1440;
            out.putIfAbsent(id, new Bank(id, skill.get(), servicer.get(), history > 0 ? history : 90, access));
        }
        return List.copyOf(out.values());
    }

    Bank bank(Caller caller, String institutionId) {
        return banks(caller).stream().filter(b -> b.institutionId().equals(institutionId)).findFirst()
                .orElseThrow(() -> error(404, "Not found.", "Institution " + institutionId + " is not available"));
    }

    List<GocardlessApi.Institution> institutions(Caller caller, String country) {
        if (country != null && !country.isBlank() && !country.strip().matches("[A-Za-z]{2}")) {
            throw error(400, "Invalid country", "'" + country + "' is not a valid ISO 3166 two-letter country code");
        }
        return banks(caller).stream()
                .filter(b -> country == null || country.isBlank() || b.servicer().countryCode().equalsIgnoreCase(country.strip()))
                .map(GocardlessBridge::institution).toList();
    }

    GocardlessApi.Institution institution(Caller caller, String id) {
        return institution(bank(caller, id));
    }

    private static GocardlessApi.Institution institution(Bank b) {
        int underscore = b.institutionId().lastIndexOf('_');
        String bic = b.institutionId().startsWith("OPENFINQ_") || underscore < 0 ? null : b.institutionId().substring(underscore + 1);
        return new GocardlessApi.Institution(b.institutionId(), b.servicer().name(), bic, Integer.toString(b.historyDays()),
                Integer.toString(b.accessDays()), List.of(b.servicer().countryCode().toUpperCase(Locale.ROOT)), null, List.of(),
                List.of(), List.of());
    }

    // --- agreements ------------------------------------------------------------------------------------------

    GocardlessApi.Agreement createAgreement(Caller caller, JsonNode body) {
        Bank bank = bank(caller, text(body, "institution_id"));
        int history = number(body, "max_historical_days", 90);
        int access = number(body, "access_valid_for_days", 90);
        if (history < 1 || history > bank.historyDays()) {
            throw invalid("max_historical_days", "max_historical_days must be > 0 and <= " + bank.historyDays()
                    + " for " + bank.institutionId());
        }
        if (access < 1 || access > 180) {
            throw invalid("access_valid_for_days", "access_valid_for_days must be > 0 and <= 180");
        }
        List<String> scope = new ArrayList<>();
        JsonNode s = body.path("access_scope");
        if (s.isMissingNode() || s.isNull()) {
            scope.addAll(SCOPES);
        } else if (s.isArray() && !s.isEmpty()) {
            s.forEach(x -> scope.add(x.asString("")));
            if (!SCOPES.containsAll(scope)) {
                throw invalid("access_scope", "access_scope must be a list of " + SCOPES);
            }
        } else {
            throw invalid("access_scope", "access_scope must be a list of " + SCOPES);
        }
        GocardlessStore.Agreement a = new GocardlessStore.Agreement(UUID.randomUUID(), caller.clientId(), caller.tenantUserId(),
                bank.institutionId(), history, access, List.copyOf(scope), null, clock.instant());
        store.insertAgreement(a);
        return agreement(a);
    }

    GocardlessStore.Agreement ownAgreement(Caller caller, String id) {
        return uuid(id).flatMap(u -> store.agreement(caller.clientId(), caller.tenantUserId(), u)).orElseThrow(GocardlessBridge::notFound);
    }

    GocardlessApi.Agreement getAgreement(Caller caller, String id) {
        return agreement(ownAgreement(caller, id));
    }

    GocardlessApi.AgreementPage agreements(Caller caller, int limit, int offset) {
        int count = store.countAgreements(caller.clientId(), caller.tenantUserId());
        List<GocardlessApi.Agreement> results = store.agreements(caller.clientId(), caller.tenantUserId(), limit, offset).stream()
                .map(GocardlessBridge::agreement).toList();
        return new GocardlessApi.AgreementPage(count, page("agreements/enduser/", limit, offset + limit, offset + limit < count),
                page("agreements/enduser/", limit, Math.max(0, offset - limit), offset > 0), results);
    }

    GocardlessApi.Agreement accept(Caller caller, String id, JsonNode body) {
        GocardlessStore.Agreement a = ownAgreement(caller, id);
        text(body, "user_agent");
        text(body, "ip_address");
        if (a.acceptedAt() != null) {
            throw error(405, "EUA cannot be accepted more than once", "End User Agreement " + id + " has already been accepted");
        }
        store.acceptAgreement(a.id(), clock.instant());
        return agreement(ownAgreement(caller, id));
    }

    GocardlessApi.Deleted deleteAgreement(Caller caller, String id) {
        GocardlessStore.Agreement a = ownAgreement(caller, id);
        store.deleteAgreement(a.id());
        return new GocardlessApi.Deleted("End User Agreement deleted", "End User Agreement " + id + " deleted");
    }

    private static GocardlessApi.Agreement agreement(GocardlessStore.Agreement a) {
        return new GocardlessApi.Agreement(a.id().toString(), utc(a.createdAt()), a.institutionId(), a.maxHistoricalDays(),
                a.accessValidForDays(), a.accessScope(), utc(a.acceptedAt()), false);
    }

    // --- requisitions ----------------------------------------------------------------------------------------

    GocardlessApi.Requisition createRequisition(Caller caller, JsonNode body) {
        String redirect = text(body, "redirect");
        URI uri;
        try {
            uri = new URI(redirect);
        } catch (java.net.URISyntaxException e) {
            throw invalid("redirect", "redirect must be an absolute http(s) URL");
        }
        if (!uri.isAbsolute() || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                || redirect.length() > 2048) {
            throw invalid("redirect", "redirect must be an absolute http(s) URL");
        }
        Bank bank = bank(caller, text(body, "institution_id"));
        UUID agreement = null;
        String given = optText(body, "agreement");
        if (given != null) {
            GocardlessStore.Agreement a = uuid(given).flatMap(u -> store.agreement(caller.clientId(), caller.tenantUserId(), u))
                    .orElseThrow(() -> invalid("agreement", "Agreement " + given + " does not exist"));
            if (!a.institutionId().equals(bank.institutionId())) {
                throw invalid("agreement", "Provided institution_id is different from the one in the agreement");
            }
            agreement = a.id();
        }
        String reference = Optional.ofNullable(optText(body, "reference")).orElse(UUID.randomUUID().toString());
        if (reference.length() > 255) {
            throw invalid("reference", "reference must be at most 255 characters");
        }
        String language = optText(body, "user_language");
        if (language != null && !language.matches("[A-Za-z]{2}")) {
            throw invalid("user_language", "user_language must be an ISO 639-1 code");
        }
        Instant now = clock.instant();
        GocardlessStore.Requisition r = new GocardlessStore.Requisition(UUID.randomUUID(), caller.clientId(), caller.tenantUserId(),
                bank.institutionId(), bank.skill().id(), agreement, redirect, reference,
                language == null ? null : language.toUpperCase(Locale.ROOT), "CR", null, null, null, now, now);
        if (!store.insertRequisition(r)) {
            throw error(400, "Invalid reference", "Client reference '" + reference + "' is not unique");
        }
        audit.record("gocardless:" + caller.secretId(), "gocardless.requisition.create", caller.clientId(), r.id().toString(),
                null, Map.of("tenant_user_id", caller.tenantUserId(), "institution_id", bank.institutionId()));
        return requisition(r);
    }

    GocardlessStore.Requisition ownRequisition(Caller caller, String id) {
        return uuid(id).flatMap(u -> store.requisition(caller.clientId(), caller.tenantUserId(), u))
                .orElseThrow(GocardlessBridge::notFound);
    }

    GocardlessApi.Requisition getRequisition(Caller caller, String id) {
        return requisition(ownRequisition(caller, id));
    }

    GocardlessApi.RequisitionPage requisitions(Caller caller, int limit, int offset) {
        int count = store.countRequisitions(caller.clientId(), caller.tenantUserId());
        List<GocardlessApi.Requisition> results = store.requisitions(caller.clientId(), caller.tenantUserId(), limit, offset)
                .stream().map(this::requisition).toList();
        return new GocardlessApi.RequisitionPage(count, page("requisitions/", limit, offset + limit, offset + limit < count),
                page("requisitions/", limit, Math.max(0, offset - limit), offset > 0), results);
    }

    /** Deletes the requisition, its agreement and its consent (revoked at the bank, as DELETE /v1/consents does). */
    GocardlessApi.Deleted deleteRequisition(Caller caller, String id) {
        GocardlessStore.Requisition r = ownRequisition(caller, id);
        if (r.consentId() != null) {
            consentService.find(r.consentId()).filter(c -> !c.status().equals("DELETED"))
                    .ifPresent(c -> consentService.delete(tenants.get(caller.clientId()), c.id(), null));
        }
        tx.executeWithoutResult(s -> {
            store.deleteRequisition(r.id());
            if (r.agreementId() != null) {
                store.deleteAgreement(r.agreementId());
            }
            audit.record("gocardless:" + caller.secretId(), "gocardless.requisition.delete", caller.clientId(), r.id().toString(),
                    null, Map.of("tenant_user_id", caller.tenantUserId()));
        });
        return new GocardlessApi.Deleted("Requisition deleted", "Requisition '" + r.id() + "' deleted with all its End User Agreements");
    }

    private GocardlessApi.Requisition requisition(GocardlessStore.Requisition r) {
        String status = status(r);
        // clients take the accounts of a linked requisition as final: none until the first sync has written them all
        List<String> accounts = r.consentId() == null || status.equals("GA") ? List.of()
                : data.accounts(r.consentId()).stream().map(a -> a.id().toString()).toList();
        return new GocardlessApi.Requisition(r.id().toString(), utc(r.createdAt()), r.redirect(), status, r.institutionId(),
                r.agreementId() == null ? null : r.agreementId().toString(), r.reference(), accounts, r.userLanguage(),
                publicUrl.base() + ROOT + "/link/" + r.id(), null, false, false);
    }

    /**
     * CR, then GC (Connect pages open), UA (at the bank), GA (back from the bank, until the consent's first sync has
     * written its accounts), LN; RJ (denied or cancelled); EX once the consent has expired or was deleted.
     */
    String status(GocardlessStore.Requisition r) {
        return switch (r.status()) {
            case "LN" -> consentService.find(r.consentId()).map(c -> !c.statusAt(clock.instant()).equals("ACTIVE") ? "EX"
                    : sync.of(c.id()).map(st -> st.initialSyncCompletedAt() == null && !st.state().equals("failed") ? "GA" : "LN")
                    .orElse("LN")).orElse("EX");
            case "CR" -> r.connectFlow() == null ? "CR" : connect.stage(r.connectFlow()).map(stage -> switch (stage) {
                case "opened" -> "GC";
                case "at_bank" -> "UA";
                case "finished" -> "GA";
                default -> "CR";
            }).orElse("CR");
            default -> r.status();
        };
    }

    // --- the link: Connect, then back to the client's redirect ------------------------------------------------

    /** Opens a Connect flow for the requisition's bank; answers the connect_url to send the browser to. */
    String openLink(String id) {
        GocardlessStore.Requisition r = uuid(id).flatMap(store::requisition).orElseThrow(GocardlessBridge::notFound);
        if (!r.status().equals("CR")) {
            throw error(400, "Link used", "This requisition was already " + (r.status().equals("LN") ? "linked" : "rejected")
                    + "; create a new requisition");
        }
        if (r.createdAt().plus(UNLINKED_KEPT).isBefore(clock.instant())) {
            throw error(400, "Link expired", "This requisition's link has expired; create a new requisition");
        }
        ConnectService.Created flow = connect.createFor(tenants.get(r.clientId()), r.tenantUserId(),
                publicUrl.base() + ROOT + "/link/" + r.id() + "/return", r.skill(),
                r.userLanguage() == null ? null : r.userLanguage().toLowerCase(Locale.ROOT));
        if (!store.opened(r.id(), flow.flowId(), clock.instant())) {
            throw error(400, "Link used", "This requisition was already linked or rejected; create a new requisition");
        }
        return flow.connectUrl();
    }

    /**
     * Connect came back: a temp_token links the requisition to the new consent (LN), an error rejects it (RJ). Either
     * way the browser goes to the client's redirect with {@code ?ref=<reference>}.
     */
    String linkReturned(String id, Map<String, String> params) {
        GocardlessStore.Requisition r = uuid(id).flatMap(store::requisition).orElseThrow(GocardlessBridge::notFound);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("ref", r.reference());
        if (!r.status().equals("CR") || r.connectFlow() == null) {
            if (r.status().equals("RJ")) {
                q.put("error", "UserCancelledSession");
            }
            return PublicUrl.withQuery(r.redirect(), q);
        }
        String tempToken = params.get("temp_token");
        Instant now = clock.instant();
        if (tempToken != null) {
            Tenant tenant = tenants.get(r.clientId());
            try {
                UUID consentId = UUID.fromString(consentService.exchange(tenant, tempToken).credentialsId());
                ConsentStore.Consent c = consentService.find(consentId).orElseThrow();
                if (c.tenantUserId().equals(r.tenantUserId()) && store.finish(r.id(), "LN", c.id(), c.consentExp(), now)) {
                    audit.record("gocardless:requisition", "gocardless.requisition.link", r.clientId(), r.id().toString(), null,
                            Map.of("consent_id", c.id().toString()));
                }
                return PublicUrl.withQuery(r.redirect(), q);
            } catch (ApiException e) {
                q.put("error", "UserCancelledSession");
                q.put("details", e.getMessage());
            }
        } else if (!connect.stage(r.connectFlow()).map("finished"::equals).orElse(false)) {
            // only Connect's own end rejects a requisition, not a request to this URL while the flow is under way
            throw error(400, "Link in progress", "This requisition's Connect flow has not ended");
        } else {
            q.put("error", "UserCancelledSession");
            q.put("details", Optional.ofNullable(params.get("message")).orElse("The end-user did not authorise at the bank"));
        }
        store.finish(r.id(), "RJ", null, null, now);
        return PublicUrl.withQuery(r.redirect(), q);
    }

    // --- accounts --------------------------------------------------------------------------------------------

    /** The account if it belongs to a linked requisition of the caller. */
    Owned account(Caller caller, String id) {
        UUID accountId = uuid(id).orElseThrow(() -> accountNotFound(id));
        for (GocardlessStore.Requisition r : store.linked(caller.clientId(), caller.tenantUserId())) {
            for (CachedData.Account a : data.accounts(r.consentId())) {
                if (a.id().equals(accountId)) {
                    ConsentStore.Consent c = consentService.find(r.consentId()).orElseThrow(() -> accountNotFound(id));
                    return new Owned(r, c, a);
                }
            }
        }
        throw accountNotFound(id);
    }

    private static ApiException accountNotFound(String id) {
        return error(404, "Account ID " + id + " not found", "Please check whether you specified a valid Account ID");
    }

    /** The data endpoints answer 401 "End User Agreement (EUA) ... has expired" once the consent has ended. */
    void requireActive(Owned o) {
        Instant now = clock.instant();
        String status = o.consent().statusAt(now);
        if (status.equals("ACTIVE")) {
            return;
        }
        String eua = o.requisition().agreementId() == null ? o.requisition().id().toString() : o.requisition().agreementId().toString();
        if (status.equals("EXPIRED")) {
            long days = Duration.between(o.consent().createdAt(), o.consent().consentExp()).toDays();
            throw error(401, "End User Agreement (EUA) " + eua + " has expired", "EUA was valid for " + days
                    + " days and it expired at " + utc(o.consent().consentExp()) + ". The end user must connect the account "
                    + "once more with new EUA and Requisition");
        }
        throw error(401, "Access has expired or it has been revoked", "The end user's consent was withdrawn. To restore "
                + "access reconnect the account (new End User Agreement and Requisition)");
    }

    /** The bank's unattended allowance of the account's consent (what refreshes the cache these reads come from). */
    SyncStatus.Allowance allowance(Owned o) {
        int perDay = catalog.servicer(o.consent().servicerId()).map(s -> connectors.forServicer(s).profile().unattendedCallsPerDay())
                .orElse(0);
        return sync.allowance(o.consent().id(), perDay, clock.instant());
    }

    GocardlessApi.Account metadata(Owned o) {
        CachedData.Account a = o.account();
        String last = sync.of(o.consent().id()).map(s -> utc(s.lastSuccessAt())).orElse(null);
        return new GocardlessApi.Account(a.id().toString(), utc(o.consent().createdAt()), last, blank(a.iban()),
                o.requisition().institutionId(), o.consent().statusAt(clock.instant()).equals("ACTIVE") ? "READY" : "EXPIRED", null);
    }

    GocardlessApi.Details details(Owned o) {
        CachedData.Account a = o.account();
        return new GocardlessApi.Details(new GocardlessApi.AccountDetail(a.id().toString(), blank(a.iban()), blank(a.currency()),
                blank(a.name()), blank(a.product()), null));
    }

    GocardlessApi.Balances balances(Owned o) {
        List<GocardlessApi.Balance> out = data.balances(o.consent().id()).stream()
                .filter(b -> b.accountId().equals(o.account().id()))
                .map(b -> new GocardlessApi.Balance(new GocardlessApi.Amount(b.amount().toPlainString(), b.currency()), b.type(),
                        b.nativeDate() == null ? null : b.nativeDate().toString(),
                        b.nativeTimestamp() == null ? null : utc(b.nativeTimestamp())))
                .toList();
        return new GocardlessApi.Balances(out);
    }

    GocardlessApi.Transactions transactions(Owned o, String dateFrom, String dateTo) {
        LocalDate from = date("date_from", dateFrom);
        LocalDate to = date("date_to", dateTo);
        if (from != null && to != null && from.isAfter(to)) {
            throw error(400, "Invalid date range", "date_from must be on or before date_to");
        }
        List<GocardlessApi.Transaction> booked = new ArrayList<>();
        List<GocardlessApi.Transaction> pending = new ArrayList<>();
        for (CachedData.Transaction t : data.transactions(o.consent().id(), from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), true)) {
            if (!t.accountId().equals(o.account().id())) {
                continue;
            }
            boolean isPending = t.status().equals("pending");
            boolean debit = t.creditDebitIndicator().equals("debit");
            BigDecimal signed = debit ? t.amount().negate() : t.amount();
            String counterparty = blank(t.counterparty());
            GocardlessApi.Transaction g = new GocardlessApi.Transaction(isPending ? null : t.utxId(), t.utxId(),
                    t.bookingDateTime() == null ? null : LocalDate.ofInstant(t.bookingDateTime(), ZoneOffset.UTC).toString(),
                    t.bookingDateTime() == null ? null : utc(t.bookingDateTime()),
                    t.valueDate() == null ? null : t.valueDate().toString(),
                    new GocardlessApi.Amount(signed.toPlainString(), t.currency()),
                    debit ? counterparty : null, debit ? null : counterparty, blank(t.info()));
            (isPending ? pending : booked).add(g);
        }
        return new GocardlessApi.Transactions(new GocardlessApi.TransactionLists(booked, pending));
    }

    // --- retention -------------------------------------------------------------------------------------------

    /** Enforces V95's lifetimes: revokes long-unused pairs; deletes old revoked pairs, stale requisitions and agreements. */
    int[] retention() {
        Instant now = clock.instant();
        int revoked = tx.execute(s -> {
            int n = store.revokeUnusedSecrets(now.minus(UNUSED_LIMIT), now);
            if (n > 0) {
                audit.record("system", "gocardless.secret.revoke_unused", null, null, null, Map.of("count", n));
            }
            return n;
        });
        int secrets = store.purgeSecrets(now.minus(REVOKED_KEPT));
        int requisitions = store.purgeRequisitions(now.minus(UNLINKED_KEPT), now.minus(EXPIRED_KEPT));
        int agreements = store.purgeAgreements(now.minus(UNLINKED_KEPT));
        return new int[]{revoked, secrets, requisitions, agreements};
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private String page(String path, int limit, int offset, boolean exists) {
        return exists ? publicUrl.base() + ROOT + "/" + path + "?limit=" + limit + "&offset=" + offset : null;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Optional<UUID> uuid(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(UUID.fromString(s.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String text(JsonNode body, String field) {
        String v = optText(body, field);
        if (v == null) {
            throw invalid(field, "This field is required.");
        }
        return v;
    }

    static String optText(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isString() && !n.isNumber()) {
            throw invalid(field, field + " must be a string");
        }
        String v = n.asString().strip();
        return v.isEmpty() ? null : v;
    }

    /** A whole number given as a number or a numeric string (clients send both). */
    static int number(JsonNode body, String field, int absent) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return absent;
        }
        try {
            if (n.isIntegralNumber()) {
                return n.asInt();
            }
            if (n.isString()) {
                return Integer.parseInt(n.asString().strip());
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid(field, field + " must be a whole number");
    }

    static int paging(String value, String field, int absent, int max) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid(field, field + " must be a whole number from 0 to " + max);
    }

    private static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw error(400, "Invalid date", field + " must be a date as YYYY-MM-DD");
        }
    }
}
