package org.openfinq.server.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * Recognises a failure that means "PostgreSQL cannot be reached right now" (no connection from the pool,
 * connection refused or lost, the server shutting down or starting up), as opposed to a bug or a bad query.
 * Such failures answer 503 with {@code Retry-After}; the pool reconnects by itself once PostgreSQL is back.
 */
public final class DatabaseDown {

    /** What clients are told to wait before retrying. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private DatabaseDown() {
    }

    public static boolean is(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof org.springframework.jdbc.CannotGetJdbcConnectionException
                    || c instanceof org.springframework.transaction.CannotCreateTransactionException
                    || c instanceof SQLTransientConnectionException
                    || c instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException e && e.getSQLState() != null && connectionState(e.getSQLState())) {
                return true;
            }
            if (c instanceof org.springframework.transaction.TransactionSystemException ts) {
                // a rollback or commit that failed on a dead connection hides the failure that caused it
                if (ts.getApplicationException() != null && is(ts.getApplicationException())) {
                    return true;
                }
                if (ts.getCause() instanceof SQLException e && e.getSQLState() == null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** SQLSTATE class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect now). */
    private static boolean connectionState(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }

    /** A one-line description for the log (no stack trace: the outage is not a bug). */
    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return t.getClass().getSimpleName() + (root == t ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
    }
}
