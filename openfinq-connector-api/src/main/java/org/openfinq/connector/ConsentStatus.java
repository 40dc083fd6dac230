package org.openfinq.connector;

/** A consent's status at the bank (NextGenPSD2 {@code consentStatus}). */
public enum ConsentStatus {
    RECEIVED("received"),
    REJECTED("rejected"),
    VALID("valid"),
    REVOKED_BY_PSU("revokedByPsu"),
    EXPIRED("expired"),
    TERMINATED_BY_TPP("terminatedByTpp"),
    PARTIALLY_AUTHORISED("partiallyAuthorised");

    private final String code;

    ConsentStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ConsentStatus ofCode(String code) {
        for (ConsentStatus s : values()) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown consent status " + code);
    }
}
