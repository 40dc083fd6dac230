package org.openfinq.connector;

import java.net.URI;
import java.util.Objects;

/**
 * How the PSU authorises a consent or payment the bank created, as the connector found out from the bank's answer
 * and its profile. Protocol-neutral: a NextGenPSD2 implicit or explicit start with {@code scaRedirect}, an OAuth2
 * SCA ({@code scaOAuth}), a UK Open Banking or STET authorisation all end in one of these.
 */
public sealed interface Authorisation {

    /**
     * Send the PSU's browser to {@code url}; the bank sends it back to one of the redirect URIs. When
     * {@code continuation} is not null, the connector needs it (with the query parameters the browser brought back)
     * in {@link AccountInformation#completeRedirect} or {@link PaymentInitiation#completeRedirect} before the
     * authorisation counts, e.g. to exchange an OAuth2 authorization code.
     *
     * @param url          the bank's page
     * @param continuation an opaque secret of the connector (store it encrypted), or null when nothing follows
     */
    record Redirect(URI url, String continuation) implements Authorisation {
        public Redirect {
            Objects.requireNonNull(url, "url");
        }

        public Redirect(URI url) {
            this(url, null);
        }
    }

    /**
     * The PSU approves in the bank's own app (decoupled); nothing is shown by the TPP but {@code psuMessage}.
     * The result is read by polling the consent's or payment's status
     * ({@link AccountInformation#consentStatus}, {@link PaymentInitiation#status}).
     *
     * @param psuMessage what the bank asks the PSU to do, or null
     */
    record Decoupled(String psuMessage) implements Authorisation {
    }
}
