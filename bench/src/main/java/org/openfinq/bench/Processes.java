package org.openfinq.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starting, watching and measuring the processes of a benchmark run. */
final class Processes {

    private Processes() {
    }

    static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("OPENFINQ_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Polls {@code url} until it answers 200; @return the time it took from {@code startNanos}. */
    static Duration awaitHealthy(String url, Process p, long startNanos, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("process exited while starting: " + url);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startNanos);
                }
            } catch (IOException notYet) {
                // keep polling
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(url + " not healthy within " + timeout);
    }

    /** Resident memory of a process in MiB (Linux /proc). */
    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** Resident memory of the PostgreSQL processes serving a data directory, in MiB. */
    static double postgresRssMiB(Path dataDir) throws IOException {
        double total = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.contains("postgres") && cmd.contains(dataDir.toString())) {
                        total += rssMiB(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // process ended meanwhile
                }
            }
        }
        return total;
    }

    /** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc, 100 ticks a second). */
    static double cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** CPU milliseconds of a process's threads by name (digits folded: {@code C# CompilerThre}), from /proc/pid/task. */
    static java.util.Map<String, Double> threadCpuMs(long pid) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** CPU milliseconds of each child of {@code parent} (a PostgreSQL postmaster's backends), by process id. */
    static java.util.Map<Long, Double> childrenCpuMsByPid(long parent) {
        java.util.Map<Long, Double> out = new java.util.HashMap<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[1]) == parent) {
                        out.put(Long.parseLong(p.getFileName().toString()), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0);
                    }
                } catch (IOException | RuntimeException gone) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** CPU time of every child of {@code parent} (a PostgreSQL postmaster's backends and workers), in milliseconds. */
    static double childrenCpuMs(long parent) {
        return total(childrenCpuMsByPid(parent));
    }

    /** The sum of per-process CPU times such as {@link #childrenCpuMsByPid} gives. */
    static double total(java.util.Map<Long, Double> cpuMsByPid) {
        return cpuMsByPid.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The parent of a process (for a PostgreSQL backend: its postmaster). */
    static long parentOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }
}
