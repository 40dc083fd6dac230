package org.openfinq.server.jobs;

import org.openfinq.server.config.OpenfinqProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Per-node worker loops for work that every node takes its share of from a queue table (claimed with
 * {@code FOR UPDATE SKIP LOCKED}), so that adding nodes adds throughput: sync workers, refresh claiming. Each pool
 * has threads of its own, so it never waits for, or holds up, another kind of job. A loop runs its unit of work
 * again at once while there was work, and waits its idle interval when there was none.
 */
@Component
public class Workers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    /** One unit of work; returns whether it found work (then the loop goes again at once). */
    private record Pool(String name, int threads, Duration idle, BooleanSupplier work) {
    }

    private final List<Pool> pools = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeUp = new Object();
    private final boolean enabled;
    private volatile boolean running;

    public Workers(OpenfinqProperties props) {
        this.enabled = props.jobs().enabled();
    }

    /** Registers a pool of {@code threads} loops; they start with the application and stop with it. */
    public synchronized void register(String name, int threads, Duration idle, BooleanSupplier work) {
        pools.add(new Pool(name, threads, idle, work));
        if (running && enabled) {
            startPool(pools.getLast());
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        if (enabled) {
            pools.forEach(this::startPool);
        }
    }

    private void startPool(Pool p) {
        for (int i = 1; i <= p.threads(); i++) {
            threads.add(Thread.ofPlatform().daemon().name(p.name() + "-" + i).start(() -> loop(p)));
        }
    }

    private void loop(Pool p) {
        while (running) {
            boolean worked;
            try {
                worked = p.work().getAsBoolean();
            } catch (RuntimeException e) {
                log.error("{} failed; trying again in {}", p.name(), p.idle(), e);
                worked = false;
            }
            if (!worked && !sleep(p.idle())) {
                return;
            }
        }
    }

    private boolean sleep(Duration d) {
        try {
            synchronized (wakeUp) {
                if (running) {
                    wakeUp.wait(Math.max(1, d.toMillis()));
                }
            }
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void stop() {
        List<Thread> started;
        synchronized (this) {
            running = false;
            started = List.copyOf(threads);
            threads.clear();
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        // a unit of work in progress may finish (its claim's lease covers a node that stops mid-way anyway)
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Thread t : started) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
