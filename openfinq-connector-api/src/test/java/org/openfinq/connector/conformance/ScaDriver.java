package org.openfinq.connector.conformance;

import java.net.URI;

/** Completes a bank's redirect SCA the way a PSU would in a browser. */
public interface ScaDriver {

    /**
     * Opens {@code scaRedirect}, logs in, approves, and returns where the bank sent the browser.
     */
    URI approve(URI scaRedirect, String psuId, String password);

    /** Opens {@code scaRedirect}, logs in, denies, and returns where the bank sent the browser. */
    URI deny(URI scaRedirect, String psuId, String password);
}
