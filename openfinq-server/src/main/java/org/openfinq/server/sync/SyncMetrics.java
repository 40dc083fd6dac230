package org.openfinq.server.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.openfinq.server.db.CountGauges;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sync job metrics: {@code openfinq_sync_jobs{status="queued"|"running"}} cluster-wide from the database (the
 * open jobs, on their partial index; one count per 15 s at most), and {@code openfinq_sync_job_duration_seconds}
 * per node by outcome ({@code done}, {@code failed}, {@code rate_limited}, {@code skipped}): its count is the
 * jobs finished, failed included.
 */
@Component
public class SyncMetrics {

    static final Duration TTL = Duration.ofSeconds(15);

    private final MeterRegistry registry;

    public SyncMetrics(JdbcClient jdbc, MeterRegistry registry, Clock clock) {
        this.registry = registry;
        CountGauges.register(registry, "openfinq.sync.jobs", "Open sync jobs of the cluster by status", "status",
                List.of("queued", "running"), TTL, clock, () -> {
                    Map<String, Long> counts = new HashMap<>();
                    jdbc.sql("select status, count(*) as n from sync_job where status in ('queued', 'running') group by status")
                            .query((rs, i) -> counts.put(rs.getString("status"), rs.getLong("n"))).list();
                    return counts;
                });
        for (String outcome : List.of("done", "failed", "rate_limited", "skipped")) {
            timer(outcome);
        }
    }

    private Timer timer(String outcome) {
        return Timer.builder("openfinq.sync.job.duration").description("Sync jobs this node ran, by outcome, from claim to end")
                .tag("outcome", outcome).publishPercentileHistogram().register(registry);
    }

    void finished(String outcome, long startNanos) {
        timer(outcome).record(Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
