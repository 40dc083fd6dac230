package org.openfinq.client;

/** An error answered by openfinq: its error object, and the HTTP status (equal to {@code error.http()}). */
public class OpenfinqException extends RuntimeException {

    /** The API's error object. */
    public record ApiError(String id, String type, int http, String code, String message) {
    }

    private final ApiError error;

    public OpenfinqException(ApiError error) {
        super(error.code() + ": " + error.message() + " (error id " + error.id() + ")");
        this.error = error;
    }

    public ApiError error() {
        return error;
    }

    public String code() {
        return error.code();
    }

    public int http() {
        return error.http();
    }
}
