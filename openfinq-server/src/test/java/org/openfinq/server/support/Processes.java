package org.openfinq.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Programs a test runs the way a user would (bash, mvn, java), and the temporary folders they work in. */
public final class Processes {

    private Processes() {
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} added to this JVM's environment less its OPENFINQ_*
     * variables; fails unless it exits 0 within {@code seconds}. @return its standard output
     */
    public static String run(Path dir, Map<String, String> env, List<String> command, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("OPENFINQ_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("openfinq-process-", ".out");
        Path err = Files.createTempFile("openfinq-process-", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command + "\n" + Files.readString(out) + Files.readString(err));
            }
            String stdout = Files.readString(out);
            assertThat(p.exitValue()).as("%s\nstdout:\n%s\nstderr:\n%s", command, stdout, Files.readString(err)).isZero();
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * An installed JDK 17 (the oldest Java the SDK supports): the first folder under /usr/lib/jvm whose
     * {@code release} file says 17 and that has javac; fails, naming the package to install, when there is none.
     */
    public static Path jdk17() throws IOException {
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.sorted().filter(d -> Files.isExecutable(d.resolve("bin/javac")) && Files.isRegularFile(d.resolve("release")))
                    .filter(d -> {
                        try {
                            return Files.readString(d.resolve("release")).contains("JAVA_VERSION=\"17.");
                        } catch (IOException e) {
                            return false;
                        }
                    }).findFirst()
                    .orElseThrow(() -> new AssertionError("no JDK 17 under /usr/lib/jvm (apt-get install openjdk-17-jdk-headless)"));
        }
    }

    /** Deletes a folder and everything in it; symbolic links are deleted as links, never followed. */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
