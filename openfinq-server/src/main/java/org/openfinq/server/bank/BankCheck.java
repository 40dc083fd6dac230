package org.openfinq.server.bank;

import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Psu;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an operator sees of the banks: each profile with its certificates, and a live check of one bank — a TLS
 * handshake (with the bank's QWAC when it has one) and a harmless call, the status of a consent that does not
 * exist, which a working bank answers with a consent error.
 */
@Component
public class BankCheck {

    /** The outcome of {@link #check}: {@code lines} say what worked and what did not. */
    public record Result(boolean passed, List<String> lines) {
    }

    private final BankProfiles profiles;
    private final BankCertificates certificates;
    private final Connectors connectors;

    public BankCheck(BankProfiles profiles, BankCertificates certificates, Connectors connectors) {
        this.profiles = profiles;
        this.certificates = certificates;
        this.connectors = connectors;
    }

    /** Every profile with its certificates' status and expiry. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BankProfile p : profiles.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("name", p.name());
            m.put("protocol", p.protocol());
            m.put("base_url", p.baseUrl().toString());
            m.put("mutual_tls", p.tls() != null && p.tls().certificateFile() != null);
            m.put("request_signing", p.signing().required());
            m.put("certificates", certificates.all().stream().filter(s -> s.bank().equals(p.id())).map(BankCheck::describe).toList());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> describe(BankCertificates.Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind());
        m.put("subject", s.subject());
        m.put("not_after", s.notAfter().toString());
        long days = Duration.between(Instant.now(), s.notAfter()).toDays();
        m.put("status", s.notAfter().isBefore(Instant.now()) ? "expired" : s.warnings().isEmpty() ? "ok" : "warning");
        m.put("days_left", days);
        m.put("warnings", s.warnings());
        return m;
    }

    /** A TLS handshake and a harmless call to the bank of {@code profileId}. */
    public Result check(String profileId) {
        BankProfile p = profiles.find(profileId).orElse(null);
        List<String> lines = new ArrayList<>();
        if (p == null) {
            lines.add("FAIL no bank profile '" + profileId + "' (known: " + profiles.all().stream().map(BankProfile::id).toList() + ")");
            return new Result(false, lines);
        }
        lines.add("bank " + p.id() + " (" + p.name() + ") at " + p.baseUrl());
        for (BankCertificates.Status s : certificates.all()) {
            if (s.bank().equals(p.id())) {
                lines.add((s.warnings().isEmpty() ? "ok   " : "WARN ") + s.kind() + " " + s.subject() + ", valid until " + s.notAfter()
                        + (s.warnings().isEmpty() ? "" : ": " + String.join("; ", s.warnings())));
            }
        }
        String probe = "openfinq-check-" + UUID.randomUUID();
        String call = "TLS handshake" + (p.tls() != null && p.tls().certificateFile() != null ? " with the QWAC" : "")
                + " and GET consent status of an unknown consent";
        try {
            connectors.forProfile(p.id()).accountInformation().consentStatus(probe, Psu.UNATTENDED);
            lines.add("WARN " + call + ": the bank answered with a status for a consent that cannot exist");
            return new Result(true, lines);
        } catch (BankException.Unavailable | BankException.Timeout | BankException.Refused e) {
            lines.add("FAIL " + call + ": " + e.getMessage());
            return new Result(false, lines);
        } catch (BankException e) {
            lines.add("ok   " + call + ": the bank answered (" + e.getClass().getSimpleName()
                    + e.bankCode().map(c -> " " + c).orElse("") + ", HTTP " + e.httpStatus() + ")");
            return new Result(true, lines);
        }
    }
}
