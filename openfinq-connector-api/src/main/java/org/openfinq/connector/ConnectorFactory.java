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

    /**
     * What in a profile this protocol cannot use (e.g. a malformed quirk), one sentence each; checked at start so a
     * mistake stops the start instead of failing the bank's first call. Empty when the profile is usable.
     */
    default java.util.List<String> problems(BankProfile profile) {
        return java.util.List.of();
    }

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
