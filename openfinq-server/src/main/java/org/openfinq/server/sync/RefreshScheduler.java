package org.openfinq.server.sync;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.Workers;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Queues unattended refreshes of consents whose next refresh is due. Every node claims them, in batches, with
 * {@code FOR UPDATE SKIP LOCKED}: a claim moves the consent's next refresh past the claim window and queues its job
 * in the same statement, so nodes never claim the same consent and N nodes claim N batches at once. A consent never
 * has two open jobs (unique index), and the worker checks the bank's allowance before it calls the bank.
 */
@Component
public class RefreshScheduler {

    private final SyncStore store;
    private final OpenfinqProperties props;
    private final Clock clock;

    /** How long a claimed consent is not due again; the job's outcome sets its real next refresh before that. */
    static final Duration CLAIM_WINDOW = Duration.ofHours(1);

    public RefreshScheduler(SyncStore store, OpenfinqProperties props, Clock clock, Workers workers) {
        this.store = store;
        this.props = props;
        this.clock = clock;
        if (props.sync().enabled()) {
            workers.register("refresh-claim", 1, props.sync().scheduleInterval(), () -> {
                run();
                return false;
            });
        }
    }

    /** Claims and queues every due refresh, batch by batch. @return jobs queued */
    public int run() {
        int queued = 0;
        while (true) {
            Instant now = clock.instant();
            SyncStore.Claim c = store.claimDueRefreshes(now, now.plus(CLAIM_WINDOW), props.sync().refreshBatch());
            queued += c.queued();
            if (c.claimed() < props.sync().refreshBatch()) {
                return queued;
            }
        }
    }

    /** Starts syncing a new consent while its end-user is present. */
    public void start(UUID consentId, String psuIp) {
        Instant now = clock.instant();
        store.state(consentId, "pending", null, now.plus(Duration.ofHours(6)), null, null, now);
        store.enqueue(consentId, true, psuIp, now);
    }
}
