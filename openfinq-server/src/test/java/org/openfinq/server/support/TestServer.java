package org.openfinq.server.support;

import org.openfinq.server.OpenfinqApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One openfinq node, started in this JVM on 127.0.0.1 and a free port, on the given test database. */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    /** The same keys for every node of a test, as production nodes share theirs. */
    public static final String ENCRYPTION_KEYS = "t1:" + java.util.Base64.getEncoder().encodeToString(
            "openfinq-test-key-0123456789abcd".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private final ConfigurableApplicationContext context;
    private final Path dataDir;
    private final Api api;

    private TestServer(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
        this.api = new Api("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    public static TestServer start(TestDatabase db) {
        return start(db, Map.of());
    }

    public static TestServer start(TestDatabase db, Map<String, String> extra, Class<?>... moreSources) {
        Map<String, String> props = new LinkedHashMap<>(properties(db));
        props.putAll(extra);
        return startWith(props, moreSources);
    }

    /** A node on the database named by {@code props} ({@code openfinq.db.url}, {@code .user}, {@code .password}). */
    public static TestServer startWith(Map<String, String> extra, Class<?>... moreSources) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("openfinq-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        props.put("openfinq.data-dir", dataDir.toString());
        props.put("openfinq.admin-token", ADMIN_TOKEN);
        props.put("openfinq.demo-tenant", "false");
        props.put("openfinq.encryption-keys", ENCRYPTION_KEYS);
        // every test calls from 127.0.0.1 and many fail authentication on purpose: limits far above what a
        // test class does, unless the test sets its own
        props.put("openfinq.limits.auth-failures", "100000");
        props.put("openfinq.limits.tenant-rate", "1000000");
        props.putAll(extra);
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        Class<?>[] sources = Stream.concat(Stream.of(OpenfinqApplication.class), Stream.of(moreSources)).toArray(Class[]::new);
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(sources).run(args.toArray(String[]::new));
        return new TestServer(ctx, dataDir);
    }

    /** The properties that point an openfinq process at this test database. */
    public static Map<String, String> properties(TestDatabase db) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("openfinq.db.url", db.url());
        props.put("openfinq.db.user", TestDatabase.user());
        props.put("openfinq.db.password", TestDatabase.password());
        return props;
    }

    public Api api() {
        return api;
    }

    public String baseUrl() {
        return api.baseUrl();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    @Override
    public void close() {
        context.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir; nothing else to do
        }
    }
}
