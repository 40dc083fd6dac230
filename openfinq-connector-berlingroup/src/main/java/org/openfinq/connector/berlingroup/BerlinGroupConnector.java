package org.openfinq.connector.berlingroup;

import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.BankTls;
import org.openfinq.connector.Connector;
import org.openfinq.connector.ConnectorFactory;
import org.openfinq.connector.PaymentInitiation;
import org.openfinq.connector.ScaAutomation;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;

/**
 * A NextGenPSD2 bank. Everything bank-specific comes from its {@link BankProfile}: base URL, timeouts,
 * signing, the authorisation variant ({@link BgAuthorisation}), and quirks ({@code path.consents}, {@code path.accounts}, {@code path.payments} for banks that
 * serve a resource elsewhere; {@code max_retries}, {@code retry_backoff_ms}; {@code sca_automation.path} for a
 * simulator's browserless SCA, see {@link BgScaAutomation}; {@code explicit_start}, {@code oauth.client_id},
 * {@code header.requesting_app}, see {@link BgAuthorisation}).
 */
public final class BerlinGroupConnector implements Connector {

    private final BankProfile profile;
    private final BgAccountInformation ais;
    private final BgPaymentInitiation pis;
    private final Optional<ScaAutomation> automation;

    public BerlinGroupConnector(BankProfile profile) {
        this(profile, Clock.systemUTC());
    }

    public BerlinGroupConnector(BankProfile profile, Clock clock) {
        this.profile = profile;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(profile.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (profile.tls() != null) {
            // this bank's own context (its QWAC, its trust store); the JDK default context stays untouched
            builder.sslContext(BankTls.context(profile.id(), profile.tls(), System::getenv));
        }
        HttpClient client = builder.build();
        BankProfile.Signing seal = profile.signing();
        HttpSigner signer = null;
        if (seal.required()) {
            BankTls.KeyMaterial m = BankTls.load(profile.id(), "QSealC", seal.certificateFile(), seal.keyFile(),
                    seal.passwordEnv(), seal.passwordFile(), System::getenv, clock);
            signer = new HttpSigner(m.key(), m.certificate());
        }
        BgHttp http = new BgHttp(profile, client, signer, BgHttp.Retries.of(profile), clock);
        BgJson json = new BgJson(profile.id());
        BgAuthorisation authorisation = new BgAuthorisation(http, json, profile);
        this.ais = new BgAccountInformation(http, json, profile.quirks(), authorisation);
        this.pis = new BgPaymentInitiation(http, json, profile.quirks(), authorisation);
        String automationPath = profile.quirks().get(BgScaAutomation.QUIRK);
        this.automation = automationPath == null ? Optional.empty() : Optional.of(new BgScaAutomation(http, automationPath));
    }

    @Override
    public BankProfile profile() {
        return profile;
    }

    @Override
    public AccountInformation accountInformation() {
        return ais;
    }

    @Override
    public PaymentInitiation paymentInitiation() {
        return pis;
    }

    @Override
    public Optional<ScaAutomation> scaAutomation() {
        return automation;
    }

    /** Registered through {@code META-INF/services} for the protocol {@code berlingroup}. */
    public static final class Factory implements ConnectorFactory {
        @Override
        public String protocol() {
            return "berlingroup";
        }

        @Override
        public Connector create(BankProfile profile) {
            return new BerlinGroupConnector(profile);
        }

        @Override
        public java.util.List<String> problems(BankProfile profile) {
            try {
                BgAccountInformation.pageSizeParameter(profile.quirks().get(BgAccountInformation.PAGE_SIZE));
                return java.util.List.of();
            } catch (IllegalArgumentException e) {
                return java.util.List.of(e.getMessage());
            }
        }
    }
}
