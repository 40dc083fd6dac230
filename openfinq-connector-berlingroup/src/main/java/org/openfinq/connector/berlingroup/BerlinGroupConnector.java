package org.openfinq.connector.berlingroup;

import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Connector;
import org.openfinq.connector.ConnectorFactory;
import org.openfinq.connector.PaymentInitiation;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A NextGenPSD2 bank. Everything bank-specific comes from its {@link BankProfile}: base URL, timeouts,
 * signing, and quirks ({@code path.consents}, {@code path.accounts}, {@code path.payments} for banks that
 * serve a resource elsewhere; {@code max_retries}, {@code retry_backoff_ms}).
 */
public final class BerlinGroupConnector implements Connector {

    private final BankProfile profile;
    private final BgAccountInformation ais;
    private final BgPaymentInitiation pis;

    public BerlinGroupConnector(BankProfile profile) {
        this(profile, Clock.systemUTC());
    }

    public BerlinGroupConnector(BankProfile profile, Clock clock) {
        this.profile = profile;
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(profile.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpSigner signer = profile.signing().required()
                ? HttpSigner.fromPem(Path.of(profile.signing().keyFile()), Path.of(profile.signing().certificateFile()))
                : null;
        BgHttp http = new BgHttp(profile, client, signer, BgHttp.Retries.of(profile), clock);
        BgJson json = new BgJson(profile.id());
        this.ais = new BgAccountInformation(http, json, profile.quirks());
        this.pis = new BgPaymentInitiation(http, json, profile.quirks());
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
    }
}
