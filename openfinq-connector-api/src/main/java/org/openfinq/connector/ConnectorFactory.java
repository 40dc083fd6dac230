package org.openfinq.connector;

import java.util.ServiceLoader;

/**
 * Makes connectors for the banks whose profile names its protocol. Implementations are found with
 * {@link ServiceLoader}; adding a protocol is adding a module with one of these.
 */
public interface ConnectorFactory {

    /** The protocol name bank profiles use for this factory (e.g. {@code berlingroup}). */
    String protocol();

    Connector create(BankProfile profile);

    /** The factory for a profile's protocol, found on the class path. */
    static ConnectorFactory forProtocol(String protocol) {
        for (ConnectorFactory f : ServiceLoader.load(ConnectorFactory.class)) {
            if (f.protocol().equals(protocol)) {
                return f;
            }
        }
        throw new IllegalArgumentException("No connector for protocol '" + protocol + "' on the class path");
    }
}
