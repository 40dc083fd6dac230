package org.openfinq.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator on the JDK HttpClient: {@code concurrency} virtual threads each send one
 * pre-built request after another (picked at random), for a warm-up and then a measured period.
 */
final class LoadGenerator {

    /** A request ready to send: path, headers, body bytes. */
    record Request(String path, String[] headers, byte[] body) {
    }

    /** What a run measured. */
    record Result(double requestsPerSecond, double p50Ms, double p99Ms, long ok, long errors) {
    }

    private LoadGenerator() {
    }

    static Result run(String baseUrl, List<Request> requests, int concurrency, Duration warmup, Duration measure) throws Exception {
        return run(baseUrl, requests, concurrency, warmup, measure, () -> { }, () -> { });
    }

    /** {@link #run}, calling {@code atStart} and {@code atEnd} as the measured period begins and ends. */
    static Result run(String baseUrl, List<Request> requests, int concurrency, Duration warmup, Duration measure,
                      Runnable atStart, Runnable atEnd) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<HttpRequest> built = new ArrayList<>();
        for (Request r : requests) {
            built.add(HttpRequest.newBuilder(URI.create(baseUrl + r.path())).headers(r.headers()).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(r.body())).build());
        }
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            long[] lat = new long[2_000_000 / concurrency + 1000];
            int[] n = new int[1];
            latencies.add(lat);
            counts.add(n);
            threads.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    HttpRequest req = built.get(ThreadLocalRandom.current().nextInt(built.size()));
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        long took = System.nanoTime() - start;
                        if (measuring.get()) {
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                                if (n[0] < lat.length) {
                                    lat[n[0]++] = took;
                                }
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        if (measuring.get()) {
                            errors.incrementAndGet();
                        }
                    }
                }
            }));
        }
        Thread.sleep(warmup);
        atStart.run();
        measuring.set(true);
        long begin = System.nanoTime();
        Thread.sleep(measure);
        measuring.set(false);
        atEnd.run();
        long elapsed = System.nanoTime() - begin;
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int i = 0;
        for (int t = 0; t < latencies.size(); t++) {
            System.arraycopy(latencies.get(t), 0, all, i, counts.get(t)[0]);
            i += counts.get(t)[0];
        }
        Arrays.sort(all);
        return new Result(ok.get() / (elapsed / 1e9), percentile(all, 0.50), percentile(all, 0.99), ok.get(), errors.get());
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
