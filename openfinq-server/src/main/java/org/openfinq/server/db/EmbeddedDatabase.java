package org.openfinq.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The zero-setup PostgreSQL: a real PostgreSQL 15 unpacked from a Maven artifact, its data kept in a
 * directory so that it survives restarts. When a PostgreSQL is already running on that directory (another
 * openfinq process on the same data dir, or the admin CLI next to a running server), we attach to it
 * instead of starting a second one.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, int port) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    public static EmbeddedDatabase none() {
        return new EmbeddedDatabase(null, null, -1);
    }

    /** Starts made ahead of the application context, by directory (see {@link #startEarly}). */
    private static final Map<Path, CompletableFuture<EmbeddedDatabase>> EARLY = new ConcurrentHashMap<>();

    /**
     * Starts the embedded PostgreSQL of {@code dataDirectory} in the background while the application context is
     * built, so that unpacking, initdb and the postmaster start overlap with it; {@link #startOrAttach} then takes
     * the result (or its failure) instead of starting one.
     */
    public static void startEarly(Path dataDirectory) {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        EARLY.computeIfAbsent(dir, d -> {
            CompletableFuture<EmbeddedDatabase> started = new CompletableFuture<>();
            Thread.ofPlatform().name("embedded-postgres-start").daemon().start(() -> {
                try {
                    started.complete(start(d));
                } catch (RuntimeException | Error e) {
                    started.completeExceptionally(e);
                }
            });
            // a start that fails before the context takes the database must not leave PostgreSQL running
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                CompletableFuture<EmbeddedDatabase> untaken = EARLY.remove(d);
                if (untaken != null) {
                    try {
                        untaken.join().close();
                    } catch (RuntimeException | IOException e) {
                        log.debug("Stopping the embedded PostgreSQL started ahead: {}", e.toString());
                    }
                }
            }, "embedded-postgres-stop"));
            return started;
        });
    }

    public static EmbeddedDatabase startOrAttach(Path dataDirectory) {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        CompletableFuture<EmbeddedDatabase> early = EARLY.remove(dir);
        if (early != null) {
            try {
                return early.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        return start(dir);
    }

    private static EmbeddedDatabase start(Path dir) {
        int running = runningPort(dir);
        if (running > 0) {
            log.info("Attaching to the embedded PostgreSQL already running on {} (port {})", dir, running);
            return new EmbeddedDatabase(null, dir, running);
        }
        try {
            Files.createDirectories(dir.getParent());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .start();
            return new EmbeddedDatabase(pg, dir, pg.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    /** Port of a live PostgreSQL whose postmaster.pid is in {@code dir}, or -1. */
    static int runningPort(Path dir) {
        Path pidFile = dir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return -1;
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return -1;
            }
            long pid = Long.parseLong(lines.get(0).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Integer.parseInt(lines.get(3).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
