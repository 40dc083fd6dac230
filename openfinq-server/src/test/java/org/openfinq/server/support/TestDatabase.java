package org.openfinq.server.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL the tests run on: the external server named by {@code OPENFINQ_TEST_DB_URL} (with
 * {@code OPENFINQ_TEST_DB_USER} / {@code OPENFINQ_TEST_DB_PASSWORD}), or one embedded PostgreSQL per test JVM.
 * Every test class gets a database of its own, dropped when it is done.
 */
public final class TestDatabase implements AutoCloseable {

    private static EmbeddedPostgres embedded;

    private final String name;
    private final String url;

    private TestDatabase(String name, String url) {
        this.name = name;
        this.url = url;
    }

    public static boolean external() {
        String url = System.getenv("OPENFINQ_TEST_DB_URL");
        return url != null && !url.isBlank();
    }

    private static synchronized String adminUrl() {
        if (external()) {
            return System.getenv("OPENFINQ_TEST_DB_URL");
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
    }

    public static String user() {
        String user = System.getenv("OPENFINQ_TEST_DB_USER");
        return external() ? (user == null || user.isBlank() ? "postgres" : user) : "postgres";
    }

    public static String password() {
        String pw = System.getenv("OPENFINQ_TEST_DB_PASSWORD");
        return external() && pw != null ? pw : "";
    }

    public static TestDatabase create() {
        String admin = adminUrl();
        String name = "openfinq_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(admin, "create database " + name);
        return new TestDatabase(name, withDatabase(admin, name));
    }

    static String withDatabase(String url, String db) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + db + params;
    }

    private static void exec(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, user(), password()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed: " + sql, e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user(), password());
    }

    public String url() {
        return url;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        exec(adminUrl(), "drop database if exists " + name + " with (force)");
    }
}
