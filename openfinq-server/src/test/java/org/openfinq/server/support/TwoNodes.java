package org.openfinq.server.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/**
 * Two server nodes on one fresh PostgreSQL database, syncs off, both listening for change notices before the
 * class's tests start, all stopped after them ({@code @RegisterExtension static final TwoNodes nodes = new
 * TwoNodes();}): the setup of the cross-node cache tests. SQL run here goes straight to the database (any writer).
 */
public final class TwoNodes implements BeforeAllCallback, AfterAllCallback {

    public TestDatabase db;
    public TestServer a;
    public TestServer b;

    @Override
    public void beforeAll(ExtensionContext context) {
        db = TestDatabase.create();
        a = TestServer.start(db, Map.of("openfinq.sync.enabled", "false"));
        b = TestServer.start(db, Map.of("openfinq.sync.enabled", "false"));
        awaitListeners(2);
    }

    /** The connections listening for change notices on the database (one per node while it listens). */
    public int listeners() {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where datname = current_database() "
                     + "and application_name = 'openfinq change notices'")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to 20 s until {@code n} nodes listen. */
    public void awaitListeners(int n) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (listeners() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(n + " nodes listening expected, " + listeners() + " after 20 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Runs the statements in order on one connection (so a session setting holds for the ones after it). */
    public void sql(String... statements) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        b.close();
        a.close();
        db.close();
    }
}
