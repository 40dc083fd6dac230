package org.openfinq.server.bank;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.openfinq.connector.BankProfile;
import org.openfinq.server.config.ConfigurationProblem;
import org.openfinq.connector.BankTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates the bank profiles name (QWAC for mutual TLS, QSealC for request signing), loaded and checked
 * at start: a missing or unreadable file, a wrong password or a key that does not fit its certificate stops the
 * start with one line naming the bank; expiry and key-usage problems are logged as warnings. Each certificate's
 * expiry is exported as {@code openfinq_bank_certificate_expiry_seconds{bank,kind}} (Unix time).
 */
@Component
public class BankCertificates {

    private static final Logger log = LoggerFactory.getLogger(BankCertificates.class);

    /** One configured certificate of a bank. */
    public record Status(String bank, String kind, String subject, Instant notAfter, List<String> warnings) {
    }

    private final List<Status> statuses = new ArrayList<>();

    public BankCertificates(BankProfiles profiles, MeterRegistry registry) {
        for (BankProfile p : profiles.all()) {
            try {
                statuses.addAll(check(p, System::getenv, Clock.systemUTC()));
            } catch (ConfigurationProblem e) {
                throw e;
            } catch (IllegalStateException e) {
                // one line at start (startup.StartupFailures), not a stack trace
                throw new ConfigurationProblem(e.getMessage(), "Correct the 'tls' or 'signing' section of bank profile "
                        + p.id() + " (files that exist and are readable by the server, the password variable or file "
                        + "set) or leave the section out; docs/going-live.md shows both forms.", e);
            }
        }
        for (Status s : statuses) {
            s.warnings().forEach(log::warn);
            Gauge.builder("openfinq.bank.certificate.expiry", s, x -> x.notAfter().getEpochSecond())
                    .description("When the bank certificate expires (Unix seconds)")
                    .baseUnit("seconds").tag("bank", s.bank()).tag("kind", s.kind()).register(registry);
        }
    }

    /** The certificates of one profile, loaded and checked; throws with one clear line when one cannot be used. */
    public static List<Status> check(BankProfile p, java.util.function.Function<String, String> env, Clock clock) {
        List<Status> out = new ArrayList<>();
        BankProfile.Tls tls = p.tls();
        if (tls != null) {
            BankTls.context(p.id(), tls, env); // the trust store and the key manager can be built
            if (tls.certificateFile() != null) {
                out.add(status(p.id(), "QWAC", BankTls.load(p.id(), "QWAC", tls.certificateFile(), tls.keyFile(),
                        tls.passwordEnv(), tls.passwordFile(), env, clock)));
            }
        }
        BankProfile.Signing seal = p.signing();
        if (seal.required()) {
            out.add(status(p.id(), "QSealC", BankTls.load(p.id(), "QSealC", seal.certificateFile(), seal.keyFile(),
                    seal.passwordEnv(), seal.passwordFile(), env, clock)));
        }
        return out;
    }

    private static Status status(String bank, String kind, BankTls.KeyMaterial m) {
        return new Status(bank, kind, m.certificate().getSubjectX500Principal().getName(), m.notAfter(), m.warnings());
    }

    public List<Status> all() {
        return List.copyOf(statuses);
    }
}
