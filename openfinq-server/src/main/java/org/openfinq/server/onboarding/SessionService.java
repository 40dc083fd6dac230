package org.openfinq.server.onboarding;

import org.openfinq.connector.BankException;
import org.openfinq.server.bank.BankErrors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.catalog.Skill;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.tenant.RedirectPolicy;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantAuth;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The session engine: a session walks its skill's steps in order. Each step call carries a single-use
 * nonce bound to the session; the engine checks credentials, nonce, session state, skill, step order and
 * the step's data, runs the step, and answers with the next nonce. A step that fails changes nothing:
 * its nonce stays usable.
 */
@Service
public class SessionService {

    private final SessionStore store;
    private final TenantAuth tenants;
    private final Catalog catalog;
    private final Map<String, StepHandler> handlers;
    private final DataCipher cipher;
    private final OpenfinqProperties props;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final IdempotencyStore idempotency;
    private final RedirectPolicy redirects;
    private final org.openfinq.server.bank.Connectors connectors;

    public SessionService(SessionStore store, TenantAuth tenants, Catalog catalog, List<StepHandler> handlers,
                          DataCipher cipher, OpenfinqProperties props, TransactionTemplate tx, Clock clock,
                          IdempotencyStore idempotency, RedirectPolicy redirects,
                          org.openfinq.server.bank.Connectors connectors) {
        this.connectors = connectors;
        this.redirects = redirects;
        this.idempotency = idempotency;
        this.store = store;
        this.tenants = tenants;
        this.catalog = catalog;
        this.handlers = handlers.stream().collect(Collectors.toMap(StepHandler::name, Function.identity()));
        this.cipher = cipher;
        this.props = props;
        this.tx = tx;
        this.clock = clock;
        for (Skill skill : catalog.skills()) {
            for (Skill.Step step : skill.steps()) {
                if (!this.handlers.containsKey(step.name())) {
                    throw new IllegalStateException("Skill " + skill.id() + " has step '" + step.name() + "', which no handler runs");
                }
            }
        }
    }

    public SessionApi.CreateResponse create(JsonBody body) {
        body.expect(List.of("tenant_user_id", "client_id", "client_app_key", "skill"), List.of());
        String userId = body.text("tenant_user_id");
        if (userId.length() > 255) {
            throw ApiException.invalidField("tenant_user_id", "must be at most 255 characters");
        }
        String skillId = body.text("skill");
        Tenant tenant = tenants.withAppKey(body.text("client_id"), body.text("client_app_key"));
        return create(tenant, userId, skillId);
    }

    /** A new session for a tenant already authenticated (by its app key, or by Connect's single-use link). */
    public SessionApi.CreateResponse create(Tenant tenant, String userId, String skillId) {
        Skill skill = catalog.skill(skillId)
                .orElseThrow(() -> ApiException.invalid("invalid_skill_name", "No skill '" + skillId + "'"));
        if (tenant.subscription(skill.id()).isEmpty()) {
            throw ApiException.unauthorized("unauthorized_tenant", "The tenant app is not subscribed to " + skill.id());
        }
        catalog.servicer(skill.servicerId()).flatMap(connectors::unavailable).ifPresent(why -> {
            throw ApiException.invalid("invalid_skill_name", "Skill '" + skill.id() + "' cannot be used: " + why);
        });
        return tx.execute(status -> {
            Instant now = clock.instant();
            UUID id = UUID.randomUUID();
            store.insert(new SessionStore.Session(id, tenant.clientId(), userId, skill.id(), "SESSION_CREATED", 1, null,
                    now, now.plus(props.onboarding().sessionTtl()), now));
            return new SessionApi.CreateResponse(issueNonce(id, now), id.toString(), "SESSION_CREATED");
        });
    }

    private String issueNonce(UUID sessionId, Instant now) {
        String nonce = Secrets.newSecret();
        store.insertNonce(Secrets.hash(nonce), sessionId, now.plus(props.onboarding().nonceTtl()));
        return nonce;
    }

    public SessionApi.StepResponse submit(String sessionId, JsonBody body, String psuIp) {
        return submit(sessionId, body, psuIp, null);
    }

    /**
     * @param idempotencyKey the {@code Idempotency-Key} header, honoured by {@link Idempotent} steps: the same key with
     *                       the same request answers the first answer again (with a fresh nonce) and does nothing else;
     *                       with another request it is refused
     */
    public SessionApi.StepResponse submit(String sessionId, JsonBody body, String psuIp, String idempotencyKey) {
        body.expect(List.of("client_id", "nonce", "skill", "step", "data"), List.of());
        String clientId = body.text("client_id");
        String nonce = body.text("nonce");
        String skillId = body.text("skill");
        String stepName = body.text("step");
        JsonNode data = body.object("data").node();
        UUID sid = sessionId(sessionId);
        StepHandler keyed = handlers.get(stepName) instanceof Idempotent ? handlers.get(stepName) : null;
        String key = keyed == null ? null : idempotencyKey;
        if (key != null && (key.isBlank() || key.length() > 255)) {
            throw ApiException.invalidHeaders("Idempotency-Key must be 1 to 255 characters");
        }
        if (!(handlers.get(stepName) instanceof BankStep bankStep)) {
            return tx.execute(status -> {
                Instant now = clock.instant();
                Checked c = check(sid, clientId, nonce, skillId, stepName, data, key, body, psuIp, now);
                if (c.replay() != null) {
                    return c.replay();
                }
                if (c.busy()) {
                    throw stepConflict();
                }
                StepOutcome outcome = handlers.get(stepName).handle(c.context());
                return record(c, nonce, key, body, outcome, now);
            });
        }
        Checked claimed = claim(sid, clientId, nonce, skillId, stepName, data, key, body, psuIp);
        if (claimed.replay() != null) {
            return claimed.replay();
        }
        UUID stepId = claimed.context().stepId();
        try {
            BankStep.Commit commit;
            try {
                commit = bankStep.call(claimed.context());
            } catch (BankException e) {
                throw BankErrors.toApi(e);
            }
            return tx.execute(status -> {
                Instant now = clock.instant();
                SessionStore.Session s = store.lock(sid).orElseThrow();
                if (!("step:" + stepId).equals(s.awaiting())) {
                    throw new ApiException("invalid_request", 409, "step_conflict", "The session changed while the bank was "
                            + "called (the session expired, or its claim lapsed and another call took over); nothing was recorded");
                }
                return record(claimed, nonce, key, body, commit.commit(), now);
            });
        } catch (RuntimeException e) {
            tx.executeWithoutResult(status -> store.releaseStep(sid, stepId));
            throw e;
        }
    }

    /** A step call that passed every check: its context, or the stored answer of an idempotent repeat, or "wait". */
    private record Checked(StepContext context, Skill.Step step, SessionApi.StepResponse replay, boolean busy) {
    }

    private static ApiException stepConflict() {
        return new ApiException("invalid_request", 409, "step_conflict",
                "Another step call of this session is running at the bank; retry once it has answered");
    }

    /**
     * Checks a bank step call and claims the session for it (committed, so no lock is held while the bank answers).
     * A repeat with the same {@code Idempotency-Key} that finds the first call still at the bank waits for it
     * (holding no connection) and answers the first answer.
     */
    private Checked claim(UUID sid, String clientId, String nonce, String skillId, String stepName, JsonNode data, String key,
                          JsonBody body, String psuIp) {
        long deadline = System.nanoTime() + props.onboarding().stepClaimTtl().toNanos(); // wall time, whatever the clock
        while (true) {
            Checked c = tx.execute(status -> {
                Instant now = clock.instant();
                Checked checked = check(sid, clientId, nonce, skillId, stepName, data, key, body, psuIp, now);
                if (checked.replay() == null && !checked.busy()) {
                    store.claimForStep(sid, checked.context().stepId(), now);
                }
                return checked;
            });
            if (!c.busy()) {
                return c;
            }
            if (key == null || System.nanoTime() - deadline > 0) {
                throw stepConflict();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw stepConflict();
            }
        }
    }

    /** Everything about a step call but the step itself, under the session's row lock. */
    private Checked check(UUID sid, String clientId, String nonce, String skillId, String stepName, JsonNode data, String key,
                          JsonBody body, String psuIp, Instant now) {
        if (key != null) {
            store.lock(sid);
            Optional<SessionApi.StepResponse> replay = replay(clientId, key, sid, body, now);
            if (replay.isPresent()) {
                return new Checked(null, null, replay.get(), false);
            }
        }
        SessionStore.Session s = checkedSession(sid, clientId, nonce, now);
        if (!s.skill().equals(skillId)) {
            throw ApiException.invalid("invalid_skill_name", "This session is for " + s.skill() + ", not " + skillId);
        }
        Skill skill = catalog.skill(s.skill()).orElseThrow();
        Skill.Step step = skill.steps().stream().filter(x -> x.name().equals(stepName)).findFirst()
                .orElseThrow(() -> ApiException.invalid("invalid_step", "Skill " + skill.id() + " has no step '" + stepName
                        + "'; its steps are " + skill.steps().stream().map(Skill.Step::name).toList()));
        if (s.claimedByStep(now, props.onboarding().stepClaimTtl())) {
            return new Checked(null, step, null, true);
        }
        if (s.awaiting() != null && !s.awaiting().startsWith("step:")) {
            throw ApiException.invalid("invalid_step", s.awaiting().equals("bank")
                    ? "The session waits for the end-user to come back from the bank"
                    : "The session waits for the upload of the previous step");
        }
        if (step.order() != s.nextOrder()) {
            throw ApiException.invalid("invalid_step", "Step '" + stepName + "' is step " + step.order()
                    + (step.order() < s.nextOrder() ? ", which is already done" : ", but step " + s.nextOrder() + " comes first"));
        }
        StepHandler handler = handlers.get(stepName);
        if (handler == null) {
            throw ApiException.invalid("invalid_step", "Step '" + stepName + "' is not available on this server");
        }
        handler.schema().validate(data);
        if (data.get("psu_redirect_link") instanceof JsonNode link && link.isString()) {
            redirects.check(s.clientId(), "data.psu_redirect_link", link.stringValue());
        }
        Servicer servicer = catalog.servicer(skill.servicerId()).orElseThrow();
        return new Checked(new StepContext(s, skill, servicer, UUID.randomUUID(), data, psuIp), step, null, false);
    }

    /** Records a step that succeeded: uses its nonce, stores it, moves the session on, keeps an idempotent answer. */
    private SessionApi.StepResponse record(Checked c, String nonce, String key, JsonBody body, StepOutcome outcome, Instant now) {
        SessionStore.Session s = c.context().session();
        UUID stepId = c.context().stepId();
        String stepName = c.step().name();
        JsonNode data = c.context().data();
        if (!store.useNonce(Secrets.hash(nonce), now)) {
            throw ApiException.unauthorized("invalid_api_keys", "The nonce was already used; use the one from the last answer");
        }
        boolean personal = handlers.get(stepName) instanceof PersonalData;
        store.insertStep(stepId, s.id(), stepName, c.step().order(), personal ? "{}" : data.toString(),
                personal ? cipher.encrypt(data.toString(), "step:" + stepId) : null, now);
        SessionApi.StepResponse answer = answer(s, stepId, outcome, now);
        if (key != null) {
            Map<String, Object> stored = new LinkedHashMap<>();
            stored.put("step_id", answer.stepId());
            stored.put("status", answer.status());
            stored.put("data", answer.data());
            idempotency.save(s.clientId(), key, requestHash(s.id(), body), JSON.writeValueAsString(stored), now,
                    now.plus(java.time.Duration.ofDays(7)));
        }
        return answer;
    }

    private static final tools.jackson.databind.ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /** The request minus its nonce: a retry may carry the same or a new nonce. */
    private static String requestHash(UUID sid, JsonBody body) {
        ObjectNode copy = body.node().deepCopy();
        copy.remove("nonce");
        return Secrets.hash(sid + "|" + copy);
    }

    private Optional<SessionApi.StepResponse> replay(String clientId, String key, UUID sid, JsonBody body, Instant now) {
        UUID client;
        try {
            client = UUID.fromString(clientId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<IdempotencyStore.Entry> entry = idempotency.find(client, key, now);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (!entry.get().requestHash().equals(requestHash(sid, body))) {
            throw new ApiException("invalid_request", 409, "idempotency_key_conflict",
                    "This Idempotency-Key was used with a different request; use a new key for a new request");
        }
        JsonNode first = JSON.readTree(entry.get().response());
        SessionStore.Session s = store.find(sid).orElseThrow();
        String nonce = s.open() ? issueNonce(sid, now) : null;
        return Optional.of(new SessionApi.StepResponse(first.get("step_id").asString(), nonce, first.get("status").asString(),
                JsonBody.toMap((ObjectNode) first.get("data"))));
    }

    /** Steps that honour the {@code Idempotency-Key} header (their answers hold no secret but the nonce). */
    public interface Idempotent {
    }

    /** Checks everything about a step or upload call that is not the step itself; returns the locked session. */
    SessionStore.Session checkedSession(UUID sid, String clientId, String nonce, Instant now) {
        SessionStore.Session s = store.lock(sid)
                .orElseThrow(() -> new ApiException("invalid_request", 404, "invalid_session_id", "No session " + sid));
        UUID client = JsonBody.uuid(clientId, ApiException.unauthorized("invalid_client_id", "Unknown client_id"));
        if (!client.equals(s.clientId())) {
            throw ApiException.unauthorized("invalid_client_id", "This session belongs to another tenant app");
        }
        SessionStore.Nonce n = store.nonce(Secrets.hash(nonce)).filter(x -> x.sessionId().equals(s.id()))
                .orElseThrow(() -> ApiException.unauthorized("invalid_api_keys", "The nonce is not one of this session's"));
        if (n.usedAt() != null) {
            throw ApiException.unauthorized("invalid_api_keys", "The nonce was already used; use the one from the last answer");
        }
        if (!now.isBefore(n.expiresAt())) {
            throw ApiException.unauthorized("invalid_api_keys", "The nonce expired");
        }
        if (!s.open() || !now.isBefore(s.expiresAt())) {
            String state = s.open() ? "SESSION_EXPIRED" : s.status();
            throw ApiException.invalid("invalid_session_id", "The session is " + state + "; start a new one");
        }
        return s;
    }

    private SessionApi.StepResponse answer(SessionStore.Session s, UUID stepId, StepOutcome outcome, Instant now) {
        Instant expires = now.plus(props.onboarding().sessionTtl());
        return switch (outcome) {
            case StepOutcome.Next next -> {
                store.update(s.id(), "SESSION_IN_PROGRESS", s.nextOrder() + 1, null, now, expires);
                yield new SessionApi.StepResponse(stepId.toString(), issueNonce(s.id(), now), "SESSION_IN_PROGRESS", map(next.data()));
            }
            case StepOutcome.AwaitBank bank -> {
                store.update(s.id(), "SESSION_IN_PROGRESS", s.nextOrder() + 1, "bank", now, expires);
                yield new SessionApi.StepResponse(stepId.toString(), issueNonce(s.id(), now), "SESSION_IN_PROGRESS", map(bank.data()));
            }
            case StepOutcome.AwaitUpload upload -> {
                store.update(s.id(), "SESSION_IN_PROGRESS", s.nextOrder() + 1, "upload:" + stepId, now, expires);
                yield new SessionApi.StepResponse(stepId.toString(), issueNonce(s.id(), now), "SESSION_IN_PROGRESS", map(upload.data()));
            }
            case StepOutcome.Complete done -> new SessionApi.StepResponse(stepId.toString(), null, "SESSION_COMPLETED", map(done.data()));
        };
    }

    static UUID sessionId(String raw) {
        return JsonBody.uuid(raw, ApiException.invalid("invalid_session_id", "The session id is not a UUID"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(ObjectNode node) {
        return node == null ? Map.of() : org.openfinq.server.web.JsonBody.toMap(node);
    }

    /** Marks open sessions past their expiry as expired (any node may run it at any time). */
    public int expireOpenSessions() {
        return store.expireOpen(clock.instant());
    }

    /** For step handlers that collect personal data: their data is stored encrypted. */
    public interface PersonalData {
    }

    /** A file for a step that asked for one ({@code documents}); the upload ends the session. */
    public record Upload(String fileName, String contentType, byte[] content) {
    }

    public SessionApi.StepResponse upload(String sessionId, String stepId, String clientId, String nonce, Upload file,
                                          Completion completion) {
        UUID sid = sessionId(sessionId);
        UUID stid = JsonBody.uuid(stepId, ApiException.invalid("invalid_step", "The step id is not a UUID"));
        List<String> missing = new java.util.ArrayList<>();
        if (clientId == null || clientId.isBlank()) {
            missing.add("client_id");
        }
        if (nonce == null || nonce.isBlank()) {
            missing.add("nonce");
        }
        if (file == null) {
            missing.add("file");
        }
        if (!missing.isEmpty()) {
            throw ApiException.missingFields(missing);
        }
        checkFile(file);
        return tx.execute(status -> {
            Instant now = clock.instant();
            SessionStore.Session s = checkedSession(sid, clientId, nonce, now);
            if (!("upload:" + stid).equals(s.awaiting())) {
                throw ApiException.invalid("invalid_step", "Step " + stid + " of this session takes no upload now");
            }
            UUID docId = UUID.randomUUID();
            String sha = java.util.HexFormat.of().formatHex(sha256(file.content()));
            store.insertDocument(docId, s.id(), stid, file.fileName(), file.contentType(), file.content().length, sha,
                    cipher.encrypt(file.content(), "document:" + docId), now);
            store.useNonce(Secrets.hash(nonce), now);
            Servicer servicer = catalog.servicer(catalog.skill(s.skill()).orElseThrow().servicerId()).orElseThrow();
            UUID consentId = completion.createConsent(s, servicer, null, null);
            Completion.Done done = completion.finish(s, consentId);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", docId.toString());
            doc.put("content_type", file.contentType());
            doc.put("size_bytes", file.content().length);
            doc.put("sha256", sha);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("temp_token", done.tempToken());
            data.put("document", doc);
            return new SessionApi.StepResponse(stid.toString(), null, "SESSION_COMPLETED", data);
        });
    }

    private void checkFile(Upload file) {
        long max = props.onboarding().maxUploadBytes();
        if (file.content().length == 0) {
            throw ApiException.invalidField("file", "is empty");
        }
        if (file.content().length > max) {
            throw ApiException.invalidField("file", "is larger than " + max + " bytes");
        }
        String type = file.contentType() == null ? "" : file.contentType().toLowerCase(java.util.Locale.ROOT);
        if (!org.openfinq.server.onboarding.steps.DocumentsStep.CONTENT_TYPES.contains(type)) {
            throw ApiException.invalidField("file", "must be one of " + org.openfinq.server.onboarding.steps.DocumentsStep.CONTENT_TYPES
                    + " (got " + (type.isEmpty() ? "none" : type) + ")");
        }
        if (!FileSignatures.matches(type, file.content())) {
            throw ApiException.invalidField("file", "does not contain " + type);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
