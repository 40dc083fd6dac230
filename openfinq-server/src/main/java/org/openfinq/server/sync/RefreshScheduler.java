package org.openfinq.server.sync;

import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Queues unattended refreshes of consents whose next refresh is due. Any node may run it: a consent never has
 * two open jobs (unique index), and the worker checks the bank's allowance before it calls the bank.
 */
@Component
public class RefreshScheduler {

    private final SyncStore store;
    private final OpenfinqProperties props;
    private final Clock clock;

    public RefreshScheduler(SyncStore store, OpenfinqProperties props, Clock clock) {
        this.store = store;
        this.props = props;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${openfinq.sync.schedule-interval:PT1M}", initialDelayString = "PT10S")
    public void scheduled() {
        if (props.sync().enabled()) {
            run();
        }
    }

    /** @return jobs queued */
    public int run() {
        Instant now = clock.instant();
        int queued = 0;
        for (UUID consent : store.dueForRefresh(now)) {
            if (store.enqueue(consent, false, null, now)) {
                queued++;
            }
        }
        return queued;
    }

    /** Starts syncing a new consent while its end-user is present. */
    public void start(UUID consentId, String psuIp) {
        Instant now = clock.instant();
        store.state(consentId, "pending", null, now.plus(java.time.Duration.ofHours(6)), null, null, now);
        store.enqueue(consentId, true, psuIp, now);
    }
}
