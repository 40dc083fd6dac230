package org.openfinq.server.webhook;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tenant's webhook receiver on 127.0.0.1: records every request (headers, body, arrival), answers the statuses
 * queued with {@link #answer} (then 200), optionally slowly, and counts how many requests of the same
 * webhook-id were in progress at once.
 */
final class Receiver implements AutoCloseable {

    record Hit(String id, String timestamp, String signature, String body, long receivedAtMillis, int answered) {
    }

    private final HttpServer server;
    final List<Hit> hits = Collections.synchronizedList(new ArrayList<>());
    /** webhook-ids in the order requests arrived (before they are answered), with the arrival time. */
    final List<Map.Entry<String, Long>> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final AtomicInteger maxSameIdAtOnce = new AtomicInteger();
    final AtomicInteger maxAtOnce = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    volatile long delayMillis;

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            arrivals.add(Map.entry(String.valueOf(id), System.currentTimeMillis()));
            AtomicInteger same = inFlight.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger());
            maxSameIdAtOnce.accumulateAndGet(same.incrementAndGet(), Math::max);
            maxAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                long delay = delayMillis;
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                Integer queued = statuses.poll();
                int status = queued == null ? 200 : queued;
                hits.add(new Hit(id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body, System.currentTimeMillis(), status));
                exchange.sendResponseHeaders(status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                same.decrementAndGet();
                running.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    /** The next requests are answered with these statuses, in order. */
    void answer(Integer... codes) {
        statuses.addAll(List.of(codes));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Arrival times of requests with this webhook-id. */
    List<Long> arrivals(String id) {
        synchronized (arrivals) {
            return arrivals.stream().filter(a -> a.getKey().equals(id)).map(Map.Entry::getValue).toList();
        }
    }

    List<Hit> hits() {
        synchronized (hits) {
            return List.copyOf(hits);
        }
    }

    List<Hit> hits(String id) {
        return hits().stream().filter(h -> id.equals(h.id())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
