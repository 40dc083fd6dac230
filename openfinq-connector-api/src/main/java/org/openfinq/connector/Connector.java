package org.openfinq.connector;

import java.util.Optional;

/** One bank, reached through one protocol, with the capabilities its profile supports. */
public interface Connector {

    BankProfile profile();

    AccountInformation accountInformation();

    PaymentInitiation paymentInitiation();

    /** Browserless SCA decisions, offered only by test banks whose profile enables them. */
    default Optional<ScaAutomation> scaAutomation() {
        return Optional.empty();
    }
}
