package org.openfinq.sandboxbank;

import org.openfinq.sandboxbank.consent.Consent;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.sandboxbank.http.BankError;
import org.openfinq.sandboxbank.payment.Payment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What the bank remembers: consents, payments and unattended accesses. */
public final class SandboxState {

    private final SandboxConfig config;
    private final SandboxData data;
    private final Map<String, Consent> consents = new ConcurrentHashMap<>();
    private final Map<String, Payment> payments = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> unattended = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Map<String, String>>> accessLog = new ConcurrentHashMap<>();

    private final Map<String, String> requestingApps = new ConcurrentHashMap<>();
    private final java.util.Set<String> decoupled = ConcurrentHashMap.newKeySet();

    /** Marks a consent or payment as authorised in the bank's app (decoupled SCA). */
    public void decoupled(String resourceId) {
        decoupled.add(resourceId);
    }

    /** Remembers the display name of the app that asked for a consent or payment (shown on the SCA pages). */
    public void requestingApp(String resourceId, String app) {
        if (app != null && !app.isBlank()) {
            requestingApps.put(resourceId, app.strip());
        }
    }

    /** The app that asked for a consent or payment, if the TPP named it. */
    public Optional<String> requestingApp(String resourceId) {
        return Optional.ofNullable(requestingApps.get(resourceId));
    }

    public SandboxState(SandboxConfig config, SandboxData data) {
        this.config = config;
        this.data = data;
    }

    public SandboxConfig config() {
        return config;
    }

    public SandboxData data() {
        return data;
    }

    public Clock clock() {
        return config.clock();
    }

    public LocalDate today() {
        return LocalDate.now(config.clock());
    }

    public void put(Consent c) {
        consents.put(c.id(), c);
    }

    public Optional<Consent> consent(String id) {
        return Optional.ofNullable(consents.get(id));
    }

    /** The decoupled consents and payments of a PSU still waiting for its approval, oldest first (what the bank's app lists). */
    public java.util.List<Object> pending(String psuId) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        consents.values().stream().filter(c -> psuId.equals(c.psuId()) && c.status().equals("received") && decoupled.contains(c.id()))
                .sorted(java.util.Comparator.comparing(Consent::createdAt)).forEach(out::add);
        payments.values().stream().filter(p -> psuId.equals(p.psuId()) && p.status().equals("RCVD") && decoupled.contains(p.id()))
                .sorted(java.util.Comparator.comparing(Payment::createdAt)).forEach(out::add);
        return out;
    }

    public void put(Payment p) {
        payments.put(p.id(), p);
    }

    public int paymentCount() {
        return payments.size();
    }

    public Optional<Payment> payment(String id) {
        return Optional.ofNullable(payments.get(id));
    }

    /** A consent usable for account access now, or the NextGenPSD2 error a bank gives. */
    public Consent usableConsent(String consentId) {
        Consent c = consent(consentId).orElseThrow(() -> new BankError(403, "CONSENT_UNKNOWN", "Unknown consent"));
        if (c.status().equals("valid") && today().isAfter(c.validUntil())) {
            c = c.withStatus("expired");
            put(c);
        }
        return switch (c.status()) {
            case "valid" -> c;
            case "expired" -> throw new BankError(401, "CONSENT_EXPIRED", "The consent expired on " + c.validUntil());
            default -> throw new BankError(401, "CONSENT_INVALID", "The consent is " + c.status());
        };
    }

    /**
     * Counts an access made without the PSU (no {@code PSU-IP-Address}) against the consent's
     * {@code frequencyPerDay}, per resource, over the last 24 hours.
     */
    public void countUnattended(Consent consent, String resource) {
        Instant now = config.clock().instant();
        Deque<Instant> log = unattended.computeIfAbsent(consent.id() + " " + resource, k -> new ArrayDeque<>());
        synchronized (log) {
            while (!log.isEmpty() && !log.peekFirst().isAfter(now.minus(Duration.ofHours(24)))) {
                log.pollFirst();
            }
            if (log.size() >= consent.frequencyPerDay()) {
                long wait = Duration.between(now, log.peekFirst().plus(Duration.ofHours(24))).toSeconds() + 1;
                throw new BankError(429, "ACCESS_EXCEEDED", "The access limit of " + consent.frequencyPerDay()
                        + " per day without the PSU is used up for " + resource, wait);
            }
            log.addLast(now);
            accessLog.computeIfAbsent(consent.id(), k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                    .add(Map.of("resource", resource, "at", now.toString()));
        }
    }

    /** Every unattended access the bank allowed under a consent, in order. */
    public java.util.List<Map<String, String>> unattendedAccesses(String consentId) {
        java.util.List<Map<String, String>> log = accessLog.get(consentId);
        if (log == null) {
            return java.util.List.of();
        }
        synchronized (log) {
            return java.util.List.copyOf(log);
        }
    }

    /** The payment's status as of now: approved payments progress towards settlement with time. */
    public Payment current(Payment p) {
        if (p.approvedAt() == null || !(p.status().equals("ACTC") || p.status().equals("ACSP"))) {
            return p;
        }
        Duration since = Duration.between(p.approvedAt(), config.clock().instant());
        String s = since.compareTo(config.settlementDelay()) >= 0 ? "ACSC"
                : since.compareTo(config.settlementDelay().dividedBy(2)) >= 0 ? "ACSP" : "ACTC";
        if (!s.equals(p.status())) {
            p = p.withStatus(s, p.approvedAt());
            put(p);
        }
        return p;
    }
}
