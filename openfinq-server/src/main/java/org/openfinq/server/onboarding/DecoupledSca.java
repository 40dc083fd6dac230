package org.openfinq.server.onboarding;

import org.openfinq.connector.BankException;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Psu;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decoupled SCA of AIS sessions: the end-user approves in the bank's app, so no browser comes back. The step
 * records the session here; the {@code decoupled-sca-poll} job reads the consent's status at the bank (claimed rows,
 * SKIP LOCKED, no connection held during the bank call) until the bank decides, then completes or fails the
 * session. The tenant reads the outcome with {@code POST /v1/sessions/{id}/status}, which hands out the temp_token
 * once.
 */
@Component
public class DecoupledSca {

    private static final Logger log = LoggerFactory.getLogger(DecoupledSca.class);

    /** How long a claimed row is this node's; longer than one status read with its retries. */
    static final Duration CLAIM = Duration.ofMinutes(2);

    private final JdbcClient jdbc;
    private final SessionStore sessions;
    private final Completion completion;
    private final Connectors connectors;
    private final Catalog catalog;
    private final DataCipher cipher;
    private final TransactionTemplate tx;
    private final Clock clock;

    public DecoupledSca(JdbcClient jdbc, SessionStore sessions, Completion completion, Connectors connectors, Catalog catalog,
                        DataCipher cipher, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.sessions = sessions;
        this.completion = completion;
        this.connectors = connectors;
        this.catalog = catalog;
        this.cipher = cipher;
        this.tx = tx;
        this.clock = clock;
    }

    /** Records a session waiting for a decoupled approval; runs in the step's commit transaction. */
    public void insert(UUID sessionId, String bankConsentId, String psuIp, Instant now) {
        jdbc.sql("insert into sca_decoupled (session_id, bank_reference, psu_ip, next_poll_at, created_at, updated_at) "
                        + "values (?, ?, ?, ?, ?, ?)")
                .params(sessionId, cipher.encrypt(bankConsentId, "session:" + sessionId), psuIp,
                        Timestamp.from(now.plus(firstPoll())), Timestamp.from(now), Timestamp.from(now))
                .update();
    }

    static Duration firstPoll() {
        return Duration.ofSeconds(1);
    }

    /** The wait after poll {@code polls}: 1 s doubling, at most 30 s (the end-user is waiting). */
    static Duration backoff(int polls) {
        Duration d = Duration.ofSeconds(1).multipliedBy(1L << Math.min(Math.max(polls, 0), 5));
        return d.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : d;
    }

    private record Row(UUID sessionId, byte[] bankReference, String psuIp, int polls) {
    }

    /** One run of the poll job: every due row, claimed so that each is polled on one node. @return rows polled */
    public int run() {
        Instant now = clock.instant();
        List<Row> due = jdbc.sql("""
                        update sca_decoupled set claimed_until = ? where session_id in (
                            select session_id from sca_decoupled where next_poll_at <= ? and (claimed_until is null or claimed_until < ?)
                            order by next_poll_at limit 50 for update skip locked)
                        returning session_id, bank_reference, psu_ip, polls""")
                .params(Timestamp.from(now.plus(CLAIM)), Timestamp.from(now), Timestamp.from(now))
                .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getBytes(2), rs.getString(3), rs.getInt(4))).list();
        due.forEach(this::poll);
        return due.size();
    }

    private void poll(Row row) {
        SessionStore.Session s = sessions.find(row.sessionId()).orElse(null);
        if (s == null || !s.open() || !"bank".equals(s.awaiting())) {
            jdbc.sql("update sca_decoupled set next_poll_at = null, claimed_until = null where session_id = ?").param(row.sessionId()).update();
            return;
        }
        Servicer servicer = catalog.servicer(catalog.skill(s.skill()).orElseThrow().servicerId()).orElseThrow();
        String bankConsentId = cipher.decryptString(row.bankReference(), "session:" + s.id());
        ConsentStatus status = null;
        try {
            // the bank is called with no connection held
            status = connectors.forServicer(servicer).accountInformation().consentStatus(bankConsentId, new Psu(null, row.psuIp()));
        } catch (BankException e) {
            log.warn("Decoupled SCA of session {}: status at {} unavailable: {}", s.id(), servicer.name(), e.getMessage());
        }
        ConsentStatus read = status;
        tx.executeWithoutResult(t -> {
            Instant now = clock.instant();
            if (read == ConsentStatus.VALID) {
                SessionStore.Session locked = sessions.lock(s.id()).orElseThrow();
                if (locked.open() && "bank".equals(locked.awaiting()) && now.isBefore(locked.expiresAt())) {
                    UUID consentId = completion.createConsent(locked, servicer, bankConsentId, row.psuIp());
                    sessions.settleAwaitingBank(locked.id(), true, null, null, now);
                    jdbc.sql("update sca_decoupled set consent_id = ?, next_poll_at = null, claimed_until = null, polls = polls + 1, "
                            + "updated_at = ? where session_id = ?").params(consentId, Timestamp.from(now), s.id()).update();
                    return;
                }
            } else if (read != null && read != ConsentStatus.RECEIVED && read != ConsentStatus.PARTIALLY_AUTHORISED) {
                sessions.settleAwaitingBank(s.id(), false, "tpp_redirect_error",
                        "The end-user did not approve in the bank's app (the bank reports the consent as " + read.code() + ")", now);
            } else {
                jdbc.sql("update sca_decoupled set next_poll_at = ?, claimed_until = null, polls = polls + 1, updated_at = ? "
                                + "where session_id = ?")
                        .params(Timestamp.from(now.plus(backoff(row.polls()))), Timestamp.from(now), s.id()).update();
                return;
            }
            jdbc.sql("update sca_decoupled set next_poll_at = null, claimed_until = null, polls = polls + 1, updated_at = ? "
                    + "where session_id = ?").params(Timestamp.from(now), s.id()).update();
        });
    }

    /**
     * The session's status for the tenant ({@code POST /v1/sessions/{id}/status}): checked with the session's last
     * nonce, which stays valid for reads. A session completed by a decoupled approval answers its temp_token once
     * (that read uses up the nonce).
     */
    public SessionApi.StatusResponse status(String id, String clientId, String nonce) {
        UUID sid = JsonBody.uuid(id, new ApiException("invalid_request", 404, "invalid_session_id", "No session " + id));
        JsonBody.requireStorable("client_id", clientId);
        JsonBody.requireStorable("nonce", nonce);
        return tx.execute(t -> {
            Instant now = clock.instant();
            SessionStore.Session s = sessions.lock(sid)
                    .orElseThrow(() -> new ApiException("invalid_request", 404, "invalid_session_id", "No session " + sid));
            UUID client = JsonBody.uuid(clientId, ApiException.unauthorized("invalid_client_id", "Unknown client_id"));
            if (!client.equals(s.clientId())) {
                throw ApiException.unauthorized("invalid_client_id", "This session belongs to another tenant app");
            }
            SessionStore.Nonce n = nonce == null ? null : sessions.nonce(Secrets.hash(nonce)).filter(x -> x.sessionId().equals(s.id()))
                    .orElse(null);
            if (n == null || n.usedAt() != null || !now.isBefore(n.expiresAt())) {
                throw ApiException.unauthorized("invalid_api_keys", "Use the nonce of the session's last answer");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            String status = s.open() && !now.isBefore(s.expiresAt()) ? "SESSION_EXPIRED" : s.status();
            if (status.equals("SESSION_COMPLETED")) {
                UUID consentId = jdbc.sql("select consent_id from sca_decoupled where session_id = ? and consent_id is not null")
                        .param(s.id()).query(UUID.class).optional().orElse(null);
                if (consentId != null) {
                    data.put("temp_token", completion.tempToken(s, consentId));
                    jdbc.sql("update sca_decoupled set consent_id = null, updated_at = ? where session_id = ?")
                            .params(Timestamp.from(now), s.id()).update();
                    sessions.useNonce(Secrets.hash(nonce), now);
                }
            } else if (status.equals("SESSION_FAILED")) {
                sessions.error(s.id()).ifPresent(e -> {
                    data.put("error", e[0]);
                    data.put("message", e[1]);
                });
            } else if (s.open() && "bank".equals(s.awaiting())) {
                data.put("awaiting", "bank");
            }
            return new SessionApi.StatusResponse(s.id().toString(), status, data);
        });
    }
}
