package org.openfinq.sandboxbank.http;

/** An error answered the NextGenPSD2 way: an HTTP status and {@code {"tppMessages": [...]}}. */
public class BankError extends RuntimeException {

    private final int status;
    private final String code;
    private final Long retryAfterSeconds;

    public BankError(int status, String code, String text) {
        this(status, code, text, null);
    }

    public BankError(int status, String code, String text, Long retryAfterSeconds) {
        super(text);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static BankError format(String text) {
        return new BankError(400, "FORMAT_ERROR", text);
    }

    public static BankError unknownResource(String text) {
        return new BankError(404, "RESOURCE_UNKNOWN", text);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
