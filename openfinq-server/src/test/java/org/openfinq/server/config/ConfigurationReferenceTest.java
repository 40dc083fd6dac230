package org.openfinq.server.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration table names every setting the code reads: each {@code OPENFINQ_*} variable the
 * launcher or a source file reads, every {@code ${openfinq.*}} placeholder, and every component of every
 * {@code @ConfigurationProperties} record (as its environment variable). A new setting without a row fails here,
 * naming the variable and where it is read.
 */
class ConfigurationReferenceTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(openfinq\\.[a-z0-9.-]+|OPENFINQ_[A-Z0-9_]+)");
    static final Pattern GETTER = Pattern.compile("(?:getenv|getProperty)\\(\\s*\"(openfinq\\.[a-z0-9.-]+|OPENFINQ_[A-Z0-9_]+)\"");
    static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{?(OPENFINQ_[A-Z0-9_]+)");

    /** {@code openfinq.db.pool-size} and {@code openfinq.db.poolSize} are {@code OPENFINQ_DB_POOL_SIZE}. */
    static String env(String property) {
        return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_').toUpperCase();
    }

    /** Every variable named in the first column of the README's configuration table; {@code _SUFFIX} continues the name before it. */
    static Set<String> documented() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Configuration");
        assertThat(start).as("README has a '## Configuration' section").isPositive();
        int end = readme.indexOf("\n## ", start + 5);
        Set<String> names = new LinkedHashSet<>();
        Pattern code = Pattern.compile("`([A-Z0-9_]+)`");
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String first = line.substring(1, line.indexOf('|', 1));
            Matcher m = code.matcher(first);
            String full = null;
            while (m.find()) {
                String name = m.group(1);
                if (name.startsWith("OPENFINQ_")) {
                    full = name;
                    names.add(name);
                } else if (name.startsWith("_") && full != null) {
                    for (int cut = full.indexOf('_'); cut > 0; cut = full.indexOf('_', cut + 1)) {
                        names.add(full.substring(0, cut) + name);
                    }
                }
            }
        }
        return names;
    }

    /** Each variable the code reads, with where it is read. */
    static Map<String, String> read() throws Exception {
        Map<String, String> read = new TreeMap<>();
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (var candidate : scanner.findCandidateComponents("org.openfinq")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            String prefix = type.getAnnotation(ConfigurationProperties.class).prefix();
            components(type, prefix, type.getSimpleName(), read);
        }
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(p -> Files.isDirectory(p.resolve("src/main"))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main"))) {
                    files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".yml")
                            || f.toString().endsWith(".properties")).forEach(sources::add);
                }
            }
        }
        for (Path source : sources) {
            String text = Files.readString(source);
            for (Pattern p : List.of(PLACEHOLDER, GETTER)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    read.putIfAbsent(env(m.group(1)), ROOT.relativize(source).toString());
                }
            }
        }
        Matcher m = SHELL_VARIABLE.matcher(Files.readString(ROOT.resolve("openfinq")));
        while (m.find()) {
            read.putIfAbsent(m.group(1), "the openfinq launcher");
        }
        return read;
    }

    static void components(Class<?> type, String prefix, String where, Map<String, String> read) {
        for (RecordComponent c : type.getRecordComponents()) {
            String property = prefix + "." + c.getName();
            if (c.getType().isRecord()) {
                components(c.getType(), property, where + "." + c.getName(), read);
            } else {
                read.putIfAbsent(env(property), where + "." + c.getName());
            }
        }
    }

    @Test
    void everySettingTheCodeReadsHasARowInTheReadmeTable() throws Exception {
        Set<String> documented = documented();
        Map<String, String> read = read();
        assertThat(read).as("the scan finds the settings it should").containsKeys("OPENFINQ_DB_URL", "OPENFINQ_PORT",
                "OPENFINQ_ENCRYPTION_KEYS", "OPENFINQ_LOG_FORMAT", "OPENFINQ_JAVA_OPTS", "OPENFINQ_SIGNING_AUDIENCES");
        List<String> missing = read.entrySet().stream().filter(e -> !documented.contains(e.getKey()))
                .map(e -> e.getKey() + " (read by " + e.getValue() + ")").toList();
        assertThat(missing).as("variables missing from the README's configuration table (add a row: name, default, "
                + "meaning, example)").isEmpty();
    }

    @Test
    void theShorthandRowsAndTheNameMappingWorkAsTheTableUsesThem() throws Exception {
        assertThat(env("openfinq.db.pool-size")).isEqualTo("OPENFINQ_DB_POOL_SIZE");
        assertThat(env("openfinq.sandboxBank.largePsuTransactions")).isEqualTo("OPENFINQ_SANDBOX_BANK_LARGE_PSU_TRANSACTIONS");
        assertThat(documented()).contains("OPENFINQ_DB_URL", "OPENFINQ_SANDBOX_BANK_SEED");
    }
}
