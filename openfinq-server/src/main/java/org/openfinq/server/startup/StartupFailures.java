package org.openfinq.server.startup;

import org.openfinq.server.config.ConfigurationProblem;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

import java.io.PrintStream;
import java.sql.SQLException;

/**
 * Start-up failures told in one line and a fix, on stderr, with no stack trace (unless started with
 * {@code --debug}): the analyzers below name openfinq's own causes; {@link OneLine} prints every analysis,
 * Spring Boot's own included. Registered in {@code META-INF/spring.factories}.
 */
public final class StartupFailures {

    private static volatile boolean debug;

    private StartupFailures() {
    }

    /** Called by the entry point: with {@code --debug} the report also carries the stack trace. */
    public static void debug(boolean on) {
        debug = on;
    }

    /** A setting or configured file that is wrong (encryption keys, catalog, bank profiles, certificate files). */
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public static final class Configuration extends AbstractFailureAnalyzer<ConfigurationProblem> {
        @Override
        protected FailureAnalysis analyze(Throwable root, ConfigurationProblem cause) {
            return new FailureAnalysis(cause.getMessage(), cause.fix(), cause);
        }
    }

    /** The database cannot be reached, refuses the credentials, or has no such database. */
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public static final class Database extends AbstractFailureAnalyzer<SQLException> {

        private final Environment env;

        public Database(Environment env) {
            this.env = env;
        }

        @Override
        protected FailureAnalysis analyze(Throwable root, SQLException cause) {
            String url = env.getProperty("openfinq.db.url", "");
            String where = url.isBlank() ? "the embedded PostgreSQL" : "the database at " + withoutQuery(url);
            String state = cause.getSQLState() == null ? "" : cause.getSQLState();
            String reason = firstLine(cause.getMessage());
            if (state.startsWith("28")) {
                return new FailureAnalysis(where + " refused user '" + env.getProperty("openfinq.db.user", "") + "': " + reason,
                        "Correct OPENFINQ_DB_USER and OPENFINQ_DB_PASSWORD.", cause);
            }
            if (state.equals("3D000")) {
                return new FailureAnalysis(where + " has no such database: " + reason,
                        "Create the database (e.g. createdb) or correct the database name in OPENFINQ_DB_URL.", cause);
            }
            if (state.startsWith("08")) {
                return new FailureAnalysis("Cannot connect to " + where + ": " + reason,
                        "Start PostgreSQL or correct OPENFINQ_DB_URL (jdbc:postgresql://host:5432/database).", cause);
            }
            return new FailureAnalysis(where + " failed during start-up: " + reason,
                    "Check the database named by OPENFINQ_DB_URL and its user's rights (it must be able to create tables).", cause);
        }

        private static String withoutQuery(String url) {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q);
        }
    }

    /** The HTTP port is taken. */
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public static final class Port extends AbstractFailureAnalyzer<PortInUseException> {
        @Override
        protected FailureAnalysis analyze(Throwable root, PortInUseException cause) {
            return new FailureAnalysis("Port " + cause.getPort() + " is already in use.",
                    "Stop the process listening on it, or set OPENFINQ_PORT to a free port.", cause);
        }
    }

    /** Prints an analysis as {@code openfinq could not start: <cause>} and {@code   Fix: <action>} on stderr. */
    public static final class OneLine implements FailureAnalysisReporter {
        @Override
        public void report(FailureAnalysis analysis) {
            PrintStream err = System.err;
            err.println("openfinq could not start: " + oneLine(analysis.getDescription()));
            if (analysis.getAction() != null && !analysis.getAction().isBlank()) {
                err.println("  Fix: " + oneLine(analysis.getAction()));
            }
            if (debug && analysis.getCause() != null) {
                analysis.getCause().printStackTrace(err);
            } else {
                err.println("  (start with --debug for the stack trace)");
            }
            err.flush();
        }
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
