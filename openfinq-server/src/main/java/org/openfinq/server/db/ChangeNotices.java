package org.openfinq.server.db;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Cross-node change notices for the per-node caches ({@link NoticedCache}). Triggers on the cached tables (tenant,
 * tenant_skill, signer, signer_key, consent) send {@code pg_notify('openfinq_changes', 'topic:key')} in the
 * writing transaction, so PostgreSQL delivers the notice to every node when, and only if, the change commits.
 * One connection per node (outside the pool) listens; each notice evicts the entries it names. While that
 * connection is not listening (start-up, database outage, a lost connection) the caches are bypassed, and they
 * are emptied whenever it (re)connects, so a notice missed meanwhile cannot leave a stale entry. A heartbeat
 * query finds a connection that died silently.
 */
@Component
public class ChangeNotices implements SmartLifecycle {

    public static final String CHANNEL = "openfinq_changes";

    private static final Logger log = LoggerFactory.getLogger(ChangeNotices.class);

    private final HikariDataSource dataSource;
    private final Duration ttl;
    private final Duration heartbeat;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> flushes = new CopyOnWriteArrayList<>();
    private volatile boolean listening;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;

    public ChangeNotices(HikariDataSource dataSource, @Value("${openfinq.cache.ttl:PT60S}") Duration ttl,
                         @Value("${openfinq.cache.heartbeat:PT5S}") Duration heartbeat) {
        this.dataSource = dataSource;
        this.ttl = ttl;
        this.heartbeat = heartbeat;
    }

    /** How long a cache entry lives at most, notices or not (a safety net); zero turns the caches off. */
    public Duration ttl() {
        return ttl;
    }

    /** Whether notices arrive now: only then may a cache answer. */
    public boolean listening() {
        return listening && running;
    }

    void onNotice(String topic, Consumer<String> evict, Runnable flush) {
        handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(evict);
        flushes.add(flush);
    }

    @Override
    public void start() {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("change-notices").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        listening = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            Connection c = connection;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        boolean warned = false;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("listen " + CHANNEL);
                }
                flushAll();
                listening = true;
                if (warned) {
                    log.info("Cache change notices: listening again; caches emptied");
                    warned = false;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                long lastBeat = System.nanoTime();
                while (running) {
                    PGNotification[] notices = pg.getNotifications((int) Math.max(1, heartbeat.toMillis()));
                    if (notices != null) {
                        for (PGNotification n : notices) {
                            dispatch(n.getParameter());
                        }
                    }
                    if (System.nanoTime() - lastBeat >= heartbeat.toNanos()) {
                        try (Statement s = c.createStatement()) {
                            s.setQueryTimeout((int) Math.max(1, heartbeat.toSeconds()));
                            s.execute("select 1");
                        }
                        lastBeat = System.nanoTime();
                    }
                }
            } catch (Exception e) {
                listening = false;
                flushAll();
                if (running && !warned) {
                    log.warn("Cache change notices: not listening ({}); caches bypassed until the database is back", e.toString());
                    warned = true;
                }
            } finally {
                listening = false;
                connection = null;
            }
            if (running) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.putAll(dataSource.getDataSourceProperties());
        if (dataSource.getUsername() != null) {
            p.setProperty("user", dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            p.setProperty("password", dataSource.getPassword());
        }
        p.setProperty("ApplicationName", "openfinq change notices");
        p.setProperty("connectTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(dataSource.getJdbcUrl(), p);
        c.setAutoCommit(true);
        return c;
    }

    /**
     * Evicts a changed row on this node as soon as the current transaction commits (at once outside one), so the
     * node that writes reads its own write on the next call; other nodes evict on the trigger's notice. Called by
     * the owning feature's write path.
     */
    public void changed(String topic, java.util.UUID key) {
        String payload = topic + ":" + key;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dispatch(payload);
                }
            });
        } else {
            dispatch(payload);
        }
    }

    /** {@code topic:key}: evicts {@code key} from the caches of the topic. */
    void dispatch(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return;
        }
        List<Consumer<String>> evictions = handlers.get(payload.substring(0, colon));
        if (evictions != null) {
            String key = payload.substring(colon + 1);
            evictions.forEach(e -> e.accept(key));
        }
    }

    private void flushAll() {
        flushes.forEach(Runnable::run);
    }
}
