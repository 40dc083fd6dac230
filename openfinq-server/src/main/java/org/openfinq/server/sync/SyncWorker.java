package org.openfinq.server.sync;

import org.openfinq.connector.BankException;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.consent.ConsentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.openfinq.server.jobs.Workers;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs sync jobs: every node runs {@code openfinq.sync.workers} of them at once, each worker on its own thread
 * (see {@link Workers}). A job is claimed by exactly one node (row lock, skip locked) under a
 * lease that the sync renews page by page, so the job of a node that dies is taken over when its lease ends.
 * Unattended jobs respect the bank's allowance per consent and rolling 24 hours; a bank's 429 leaves the
 * consent active and rate-limited until the bank's retry time.
 */
@Component
public class SyncWorker {

    private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);

    private final SyncStore store;
    private final Syncer syncer;
    private final ConsentStore consents;
    private final OpenfinqProperties props;
    private final Clock clock;
    private final SyncOutcome outcome;
    private final SyncMetrics metrics;
    /** The job each of this node's workers is running now. */
    private final Map<Thread, UUID> running = new ConcurrentHashMap<>();

    public SyncWorker(SyncStore store, Syncer syncer, ConsentStore consents, OpenfinqProperties props, Clock clock,
                      SyncOutcome outcome, Workers workers, SyncMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.syncer = syncer;
        this.consents = consents;
        this.props = props;
        this.clock = clock;
        this.outcome = outcome;
        if (props.sync().enabled() && props.sync().workers() > 0) {
            workers.register("sync-worker", props.sync().workers(), props.sync().pollInterval(), () -> {
                try {
                    return runOnce();
                } finally {
                    running.remove(Thread.currentThread());
                }
            });
        }
    }

    /** Runs queued jobs until none is left. @return how many ran */
    public int runAll() {
        int n = 0;
        try {
            while (runOnce()) {
                n++;
            }
        } finally {
            running.remove(Thread.currentThread());
        }
        return n;
    }

    public boolean runOnce() {
        Instant now = clock.instant();
        Optional<SyncStore.Job> claimed = store.claim(now, props.sync().lease(), running.values());
        if (claimed.isEmpty()) {
            return false;
        }
        long started = System.nanoTime();
        SyncStore.Job job = claimed.get();
        running.put(Thread.currentThread(), job.id());
        ConsentStore.Consent c = consents.find(job.consentId()).orElse(null);
        if (c == null || !c.statusAt(now).equals("ACTIVE") || c.bankConsent() == null) {
            store.finish(job.id(), "done", "consent not active", 0, 0, now);
            metrics.finished("skipped", started);
            return true;
        }
        int allowance = syncer.connectorOf(c).profile().unattendedCallsPerDay();
        Duration interval = Duration.ofHours(24).dividedBy(allowance);
        if (!job.attended()) {
            List<Instant> recent = store.unattendedCallsSince(c.id(), now.minus(Duration.ofHours(24)));
            if (recent.size() >= allowance) {
                Instant free = recent.getFirst().plus(Duration.ofHours(24));
                store.finish(job.id(), "done", "unattended allowance used up until " + free, 0, 0, now);
                store.postpone(c.id(), free);
                metrics.finished("skipped", started);
                return true;
            }
            store.recordUnattendedCall(c.id(), now);
        }
        // the bank is read with no transaction (pages commit one by one); the outcome is recorded only if the job is
        // still this claim's: a node whose lease ran out and was taken over records nothing
        try {
            Syncer.Result r = syncer.sync(job, c);
            Instant end = clock.instant();
            if (outcome.succeeded(c, end, end.plus(interval),
                    () -> store.finishClaimed(job, "done", null, r.written(), r.seen(), end))) {
                log.info("Synced consent {} ({}): {} transactions seen, {} rows written", c.id(),
                        job.attended() ? "end-user present" : "unattended", r.seen(), r.written());
                metrics.finished("done", started);
            }
        } catch (BankException.RateLimited e) {
            Instant retry = now.plus(e.retryAfter());
            Instant at = clock.instant();
            if (outcome.rateLimited(c, retry, e, at,
                    () -> store.finishClaimed(job, "failed", "rate limited by the bank until " + retry, 0, 0, at))) {
                log.warn("Consent {} is rate-limited by the bank until {}", c.id(), retry);
                metrics.finished("rate_limited", started);
            }
        } catch (BankException e) {
            Instant retry = now.plus(e.retryable() ? Duration.ofMinutes(15) : Duration.ofHours(24));
            Instant at = clock.instant();
            if (outcome.failed(c, retry, e, at, () -> store.finishClaimed(job, "failed", e.getMessage(), 0, 0, at))) {
                log.warn("Sync of consent {} failed: {}", c.id(), e.getMessage());
                metrics.finished("failed", started);
            }
        } catch (RuntimeException e) {
            Instant at = clock.instant();
            outcome.failed(c, now.plus(Duration.ofMinutes(15)), e, at, () -> store.finishClaimed(job, "failed", e.toString(), 0, 0, at));
            log.error("Sync of consent {} failed", c.id(), e);
            metrics.finished("failed", started);
        }
        return true;
    }
}
