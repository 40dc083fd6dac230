package org.openfinq.server.bank;

import org.openfinq.connector.BankException;
import org.openfinq.server.web.ApiException;

/**
 * A bank failure as the tenant sees it: type {@code external_api_error} (HTTP 400) with a code that says
 * what went wrong at the bank.
 */
public final class BankErrors {

    private BankErrors() {
    }

    public static ApiException toApi(BankException e) {
        String code = switch (e) {
            case BankException.Unavailable u -> "external_api_connection_error";
            case BankException.Timeout t -> "external_api_connection_error";
            case BankException.RateLimited r -> "external_api_too_many_requests";
            case BankException.ConsentInvalid c -> "external_api_unauthorized";
            case BankException.ScaFailed s -> "external_api_unauthorized";
            case BankException.BadRequest b -> b.httpStatus() == 403 ? "external_api_forbidden" : "external_api_bad_request";
            case BankException.InvalidResponse i -> "external_api_invalid_response";
            case BankException.Refused r -> r.reason() == BankException.Refused.Reason.BUSY
                    ? "external_api_too_many_requests" : "external_api_connection_error";
        };
        if (e instanceof BankException.Refused r) {
            return new ApiException("external_api_error", 400, code, "The bank was not called: " + (r.reason() == BankException.Refused.Reason.BUSY
                    ? "too many calls to it are in flight" : "it failed repeatedly and calls to it are suspended")
                    + "; retry after " + Math.max(1, (r.retryAfter().toMillis() + 999) / 1000) + " s").retryAfter(r.retryAfter());
        }
        String message = "The bank " + (e.retryable() ? "failed; trying again later may help" : "refused the request")
                + (e instanceof BankException.RateLimited r ? " (retry after " + r.retryAfter().toSeconds() + " s)" : "")
                + e.bankCode().map(c -> " [" + c + "]").orElse("");
        ApiException api = new ApiException("external_api_error", 400, code, message);
        return e instanceof BankException.RateLimited r ? api.retryAfter(r.retryAfter()) : api;
    }
}
