package org.openfinq.connector;

/** One bank, reached through one protocol, with the capabilities its profile supports. */
public interface Connector {

    BankProfile profile();

    AccountInformation accountInformation();

    PaymentInitiation paymentInitiation();
}
