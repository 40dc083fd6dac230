package org.openfinq.connector;

import java.net.URI;
import java.util.Optional;

/**
 * Who the call is made for and whether they are present. A call with an IP address is made while the PSU
 * is present (it does not count against the bank's unattended allowance); without one it is unattended.
 *
 * @param psuId     the PSU's login at the bank, when the bank needs it
 * @param ipAddress the PSU's IP address when present, else null
 */
public record Psu(String psuId, String ipAddress) {

    public static final Psu UNATTENDED = new Psu(null, null);

    public static Psu present(String ipAddress) {
        return new Psu(null, ipAddress);
    }

    public boolean isPresent() {
        return ipAddress != null;
    }

    public Optional<String> id() {
        return Optional.ofNullable(psuId);
    }

    /**
     * Where the bank sends the PSU's browser after SCA.
     *
     * @param ok  after success
     * @param nok after denial or failure
     */
    public record Redirects(URI ok, URI nok) {
    }
}
