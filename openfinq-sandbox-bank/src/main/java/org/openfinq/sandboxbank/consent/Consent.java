package org.openfinq.sandboxbank.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * An AIS consent at the sandbox bank. Mutable state is replaced as a whole ({@code with...}).
 *
 * @param requestedIbans accounts the TPP asked for; empty means the PSU picks
 * @param granted        resource ids of the accounts the PSU approved
 */
public record Consent(String id, String status, List<String> requestedIbans, Set<String> granted, String psuId,
                      boolean recurring, LocalDate validUntil, int frequencyPerDay, String redirectOk,
                      String redirectNok, Instant createdAt, LocalDate lastActionDate, String loginTicket) {

    public Consent withStatus(String s) {
        return new Consent(id, s, requestedIbans, granted, psuId, recurring, validUntil, frequencyPerDay, redirectOk,
                redirectNok, createdAt, lastActionDate, loginTicket);
    }

    /** The consent with other redirect targets (an OAuth2 authorisation request names its own). */
    public Consent withRedirects(String ok, String nok) {
        return new Consent(id, status, requestedIbans, granted, psuId, recurring, validUntil, frequencyPerDay, ok,
                nok, createdAt, lastActionDate, loginTicket);
    }

    public Consent withLogin(String psu, String ticket) {
        return new Consent(id, status, requestedIbans, granted, psu, recurring, validUntil, frequencyPerDay, redirectOk,
                redirectNok, createdAt, lastActionDate, ticket);
    }

    public Consent approved(Set<String> accounts, LocalDate today) {
        return new Consent(id, "valid", requestedIbans, java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(accounts)), psuId, recurring, validUntil,
                frequencyPerDay, redirectOk, redirectNok, createdAt, today, null);
    }
}
