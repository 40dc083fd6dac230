package org.openfinq.server.bridge.simplefin;

import org.openfinq.server.audit.AuditLog;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.consent.ConsentService;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.data.CachedData;
import org.openfinq.server.sync.SyncStatus;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.tenant.TenantService;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.PublicUrl;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.openfinq.server.consent.ConsentService.utc;

/**
 * The SimpleFIN Bridge protocol over the existing tenants, consents and account-data cache: setup tokens issued by
 * the operator for one tenant_user_id of a tenant, claimed once for an access URL with Basic credentials, and the
 * {@code /accounts} read, which answers every active consent of that tenant_user_id from the cache (never a bank
 * call: the sync feature's refresh schedule keeps the cache within the bank's unattended allowance).
 */
@Service
public class SimplefinBridge {

    /** How long a setup token can be claimed. */
    static final Duration CLAIM_WINDOW = Duration.ofDays(7);
    /** A claimed access URL not read for this long is revoked by the retention job. */
    static final Duration UNUSED_LIMIT = Duration.ofDays(400);
    /** A revoked grant is kept this long (for the operator's list), then deleted. */
    static final Duration REVOKED_KEPT = Duration.ofDays(30);
    /** The path under the public URL where the protocol is served. */
    public static final String ROOT = "/simplefin";

    /** Balance types, most wanted first, for SimpleFIN's {@code balance} (the ledger balance). */
    private static final List<String> BOOKED = List.of("interimBooked", "closingBooked", "expected", "openingBooked",
            "interimAvailable", "closingAvailable", "forwardAvailable");
    /** ... and for {@code available-balance}. */
    private static final List<String> AVAILABLE = List.of("interimAvailable", "closingAvailable", "forwardAvailable");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the /accounts query asks for. Dates are Unix seconds; null when absent. */
    record Query(Long startDate, Long endDate, boolean pending, boolean balancesOnly, Set<String> accounts) {
    }

    /** A grant that passed the Basic credentials check. */
    record Caller(UUID grantId, UUID clientId, String tenantUserId) {
    }

    private final SimplefinStore store;
    private final ConsentService consents;
    private final CachedData data;
    private final SyncStatus sync;
    private final Catalog catalog;
    private final TenantService tenants;
    private final PublicUrl publicUrl;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public SimplefinBridge(SimplefinStore store, ConsentService consents, CachedData data, SyncStatus sync, Catalog catalog,
                           TenantService tenants, PublicUrl publicUrl, AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.consents = consents;
        this.data = data;
        this.sync = sync;
        this.catalog = catalog;
        this.tenants = tenants;
        this.publicUrl = publicUrl;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Issues a setup token for {@code tenantUserId} of the tenant; the token is shown only in this answer. */
    public SimplefinApi.Token issue(UUID clientId, String tenantUserId) {
        tenants.get(clientId);
        if (tenantUserId == null || tenantUserId.isBlank()) {
            throw ApiException.invalidField("tenant_user_id", "must not be empty");
        }
        if (tenantUserId.length() > 255) {
            throw ApiException.invalidField("tenant_user_id", "must be at most 255 characters");
        }
        String claimToken = Secrets.newSecret();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Instant expires = now.plus(CLAIM_WINDOW);
        tx.executeWithoutResult(s -> {
            store.insert(id, clientId, tenantUserId, Secrets.hash(claimToken), expires, now);
            audit.admin("simplefin.token.issue", clientId, id.toString(), Map.of("tenant_user_id", tenantUserId));
        });
        String claimUrl = publicUrl.base() + ROOT + "/claim/" + claimToken;
        String setupToken = Base64.getEncoder().encodeToString(claimUrl.getBytes(StandardCharsets.UTF_8));
        return new SimplefinApi.Token(id.toString(), tenantUserId, setupToken, claimUrl, utc(expires));
    }

    public List<SimplefinApi.Grant> list(UUID clientId) {
        tenants.get(clientId);
        Instant now = clock.instant();
        return store.list(clientId).stream().map(g -> new SimplefinApi.Grant(g.id().toString(), g.tenantUserId(), g.state(now),
                utc(g.createdAt()), utc(g.claimExpiresAt()), utc(g.claimedAt()), utc(g.lastUsedAt()), utc(g.revokedAt()))).toList();
    }

    /** Revokes a grant: its setup token can no longer be claimed and its access URL answers 403 from now on. */
    public void revoke(UUID clientId, UUID id) {
        tenants.get(clientId);
        tx.executeWithoutResult(s -> {
            if (!store.revoke(clientId, id, clock.instant())) {
                throw ApiException.notFound("No active SimpleFIN grant " + id + " for this tenant");
            }
            audit.admin("simplefin.token.revoke", clientId, id.toString(), Map.of());
        });
    }

    /** Claims a setup token's claim URL: the access URL (with its password, shown only here), or 403. */
    String claim(String claimToken) {
        String username = HexFormat.of().formatHex(randomBytes(12));
        String password = Secrets.newSecret();
        Instant now = clock.instant();
        String hash = Secrets.hash(claimToken);
        SimplefinStore.Grant g = tx.execute(s -> {
            Optional<SimplefinStore.Grant> claimed = store.claim(hash, username, Secrets.hash(password), now);
            claimed.ifPresent(c -> audit.record("simplefin:" + c.id(), "simplefin.token.claim", c.clientId(), c.id().toString(),
                    null, Map.of("tenant_user_id", c.tenantUserId())));
            return claimed.orElse(null);
        });
        if (g == null) {
            String why = store.byClaimHash(hash).map(x -> switch (x.state(now)) {
                case "claimed" -> "was already claimed";
                case "revoked" -> "was revoked";
                default -> "has expired";
            }).orElse("is not known");
            throw forbidden("This setup token " + why + "; ask for a new one");
        }
        URI base = URI.create(publicUrl.base());
        return base.getScheme() + "://" + username + ":" + password + "@" + base.getRawAuthority() + base.getRawPath() + ROOT;
    }

    /** The grant of these Basic credentials, if they are right and not revoked. */
    Optional<Caller> authenticate(String username, String password) {
        return store.byUsername(username)
                .filter(g -> g.revokedAt() == null && Secrets.matches(password, g.passwordHash()))
                .map(g -> new Caller(g.id(), g.clientId(), g.tenantUserId()));
    }

    static ApiException forbidden(String message) {
        return new ApiException("unauthorized", 403, "invalid_simplefin_access", message);
    }

    /** Every active consent of the caller's tenant_user_id, from the cache. */
    SimplefinApi.AccountSet accounts(Caller caller, Query q) {
        Instant now = clock.instant();
        store.touch(caller.grantId(), now);
        String sfinUrl = publicUrl.base() + ROOT;
        List<String> errors = new ArrayList<>();
        List<SimplefinApi.Account> out = new ArrayList<>();
        Instant from = q.startDate() == null ? null : Instant.ofEpochSecond(q.startDate());
        Instant before = q.endDate() == null ? null : Instant.ofEpochSecond(q.endDate());
        for (ConsentStore.Consent c : consents.ofUser(caller.clientId(), caller.tenantUserId())) {
            List<CachedData.Account> accounts = data.accounts(c.id());
            if (accounts.isEmpty()) {
                continue; // no account data (a payment consent, or its first sync has not ended)
            }
            String bank = catalog.servicer(c.servicerId()).map(Servicer::name).orElse("your bank");
            if (c.statusAt(now).equals("EXPIRED")) {
                errors.add("Connection to " + bank + " may need attention: the consent expired on " + utc(c.consentExp())
                        + "; connect the bank again");
                continue;
            }
            sync.of(c.id()).ifPresent(s -> {
                if (s.state().equals("failed") || s.state().equals("rate_limited")) {
                    errors.add("Connection to " + bank + " may need attention: the last refresh "
                            + (s.state().equals("failed") ? "failed" : "was refused by the bank's rate limit")
                            + (s.lastSuccessAt() == null ? "" : "; data as of " + utc(s.lastSuccessAt())));
                }
            });
            SimplefinApi.Org org = new SimplefinApi.Org(c.servicerId().toString(), bank, sfinUrl);
            Map<UUID, List<CachedData.Balance>> balances = data.balances(c.id()).stream()
                    .collect(Collectors.groupingBy(CachedData.Balance::accountId));
            Map<UUID, List<CachedData.Transaction>> transactions = q.balancesOnly() ? Map.of()
                    : data.transactions(c.id(), from, before, q.pending()).stream()
                    .collect(Collectors.groupingBy(CachedData.Transaction::accountId, LinkedHashMap::new, Collectors.toList()));
            for (CachedData.Account a : accounts) {
                if (!q.accounts().isEmpty() && !q.accounts().contains(a.id().toString())) {
                    continue;
                }
                out.add(account(org, a, balances.getOrDefault(a.id(), List.of()), transactions.getOrDefault(a.id(), List.of()),
                        errors, bank));
            }
        }
        return new SimplefinApi.AccountSet(errors, out);
    }

    private static SimplefinApi.Account account(SimplefinApi.Org org, CachedData.Account a, List<CachedData.Balance> balances,
                                                List<CachedData.Transaction> transactions, List<String> errors, String bank) {
        List<CachedData.Balance> own = balances.stream().filter(b -> b.currency().equals(a.currency())).toList();
        Optional<CachedData.Balance> booked = pick(own, BOOKED);
        Optional<CachedData.Balance> available = pick(own, AVAILABLE);
        String name = a.name() != null && !a.name().isBlank() ? a.name() : a.product() != null ? a.product()
                : a.iban() != null ? a.iban() : "Account";
        if (booked.isEmpty()) {
            errors.add("Connection to " + bank + " may need attention: no balance reported for " + name);
        }
        List<SimplefinApi.Transaction> txs = transactions.stream().map(SimplefinBridge::transaction).toList();
        return new SimplefinApi.Account(org, a.id().toString(), name, a.currency(),
                booked.map(b -> amount(b.amount())).orElse("0.00"), available.map(b -> amount(b.amount())).orElse(null),
                booked.map(SimplefinBridge::balanceDate).orElse(a.updatedAt()).getEpochSecond(), txs);
    }

    private static SimplefinApi.Transaction transaction(CachedData.Transaction t) {
        boolean pending = t.status().equals("pending");
        BigDecimal signed = t.creditDebitIndicator().equals("debit") ? t.amount().negate() : t.amount();
        String description = t.info() != null && !t.info().isBlank() ? t.info() : t.counterparty() != null ? t.counterparty() : "";
        return new SimplefinApi.Transaction(t.utxId(), pending || t.bookingDateTime() == null ? 0 : t.bookingDateTime().getEpochSecond(),
                amount(signed), description, t.counterparty(), t.valueDate() == null ? null : midnight(t.valueDate()), pending);
    }

    private static Optional<CachedData.Balance> pick(List<CachedData.Balance> balances, List<String> order) {
        for (String type : order) {
            for (CachedData.Balance b : balances) {
                if (b.type().equalsIgnoreCase(type)) {
                    return Optional.of(b);
                }
            }
        }
        return Optional.empty();
    }

    private static Instant balanceDate(CachedData.Balance b) {
        if (b.nativeTimestamp() != null) {
            return b.nativeTimestamp();
        }
        if (b.nativeDate() != null) {
            return Instant.ofEpochSecond(midnight(b.nativeDate()));
        }
        return b.queriedAt();
    }

    private static long midnight(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    /** A signed decimal string with at least two decimals (Actual reads the cents by removing the point). */
    static String amount(BigDecimal v) {
        return v.setScale(Math.max(2, v.stripTrailingZeros().scale())).toPlainString();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Enforces the table's lifetime (see V90): revokes long-unused access URLs, deletes expired and old revoked grants. */
    int[] retention() {
        Instant now = clock.instant();
        int revoked = tx.execute(s -> {
            int n = store.revokeUnused(now.minus(UNUSED_LIMIT), now);
            if (n > 0) {
                audit.record("system", "simplefin.token.revoke_unused", null, null, null, Map.of("count", n));
            }
            return n;
        });
        int deleted = store.purge(now, now.minus(REVOKED_KEPT));
        return new int[]{revoked, deleted};
    }
}
