package org.openfinq.connector;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure talking to a bank. Each kind says who is at fault and whether trying again can help.
 * Connectors throw only these.
 */
public abstract sealed class BankException extends RuntimeException {

    /** Who caused the failure. */
    public enum Fault {
        /** The bank failed or is unreachable. */
        BANK,
        /** We sent something the bank refused. */
        TPP,
        /** The PSU's authorisation is missing, refused or gone. */
        PSU
    }

    private final int httpStatus;
    private final String bankCode;

    protected BankException(String message, int httpStatus, String bankCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.bankCode = bankCode;
    }

    public abstract Fault fault();

    /** Whether the same call may succeed later without any change. */
    public abstract boolean retryable();

    /** The bank's HTTP status, or 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The bank's error code (e.g. a NextGenPSD2 {@code tppMessages} code), if it gave one. */
    public Optional<String> bankCode() {
        return Optional.ofNullable(bankCode);
    }

    /** Unreachable, connection refused or reset, or a 5xx. */
    public static final class Unavailable extends BankException {
        public Unavailable(String message, int httpStatus, Throwable cause) {
            super(message, httpStatus, null, cause);
        }

        @Override
        public Fault fault() {
            return Fault.BANK;
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** No answer within the profile's read timeout. */
    public static final class Timeout extends BankException {
        public Timeout(String message, Throwable cause) {
            super(message, 0, null, cause);
        }

        @Override
        public Fault fault() {
            return Fault.BANK;
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** The bank refuses more calls for now (HTTP 429, e.g. {@code ACCESS_EXCEEDED}). */
    public static final class RateLimited extends BankException {
        private final Duration retryAfter;

        public RateLimited(String message, String bankCode, Duration retryAfter) {
            super(message, 429, bankCode, null);
            this.retryAfter = retryAfter;
        }

        /** How long to wait before the next call. */
        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public Fault fault() {
            return Fault.TPP;
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** The consent is unknown, not (yet) valid, revoked or expired; a new one needs the PSU. */
    public static final class ConsentInvalid extends BankException {
        private final boolean expired;

        public ConsentInvalid(String message, int httpStatus, String bankCode, boolean expired) {
            super(message, httpStatus, bankCode, null);
            this.expired = expired;
        }

        public boolean expired() {
            return expired;
        }

        @Override
        public Fault fault() {
            return Fault.PSU;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The PSU did not complete or was refused authentication. */
    public static final class ScaFailed extends BankException {
        public ScaFailed(String message, int httpStatus, String bankCode) {
            super(message, httpStatus, bankCode, null);
        }

        @Override
        public Fault fault() {
            return Fault.PSU;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The bank refused our request as wrong (4xx other than the above). */
    public static final class BadRequest extends BankException {
        public BadRequest(String message, int httpStatus, String bankCode) {
            super(message, httpStatus, bankCode, null);
        }

        @Override
        public Fault fault() {
            return Fault.TPP;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The bank answered success with a body we cannot use (not JSON, required fields missing). */
    public static final class InvalidResponse extends BankException {
        public InvalidResponse(String message, int httpStatus, Throwable cause) {
            super(message, httpStatus, null, cause);
        }

        @Override
        public Fault fault() {
            return Fault.BANK;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /**
     * The bank was not called: the caller's own protection refused (the bank's concurrency limit is reached,
     * or its circuit breaker is open after recent failures). Nothing reached the bank.
     */
    public static final class Refused extends BankException {
        /** Why the call was refused. */
        public enum Reason {
            /** As many calls as the bank's limit allows are already in flight. */
            BUSY,
            /** The bank failed too often lately; calls are refused until it is tried again. */
            CIRCUIT_OPEN
        }

        private final Reason reason;
        private final Duration retryAfter;

        public Refused(String message, Reason reason, Duration retryAfter) {
            super(message, 0, null, null);
            this.reason = reason;
            this.retryAfter = retryAfter;
        }

        public Reason reason() {
            return reason;
        }

        /** When a new call may succeed. */
        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public Fault fault() {
            return Fault.BANK;
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }
}
