package org.openfinq.server.consent;

import io.micrometer.core.instrument.MeterRegistry;
import org.openfinq.server.db.CountGauges;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code openfinq_consents{state}}: consents of all tenants by state, cluster-wide from the database (one grouped
 * count per 30 s at most). An active consent past its {@code consent_exp} counts as expired, as the API tells it.
 */
@Component
public class ConsentMetrics {

    static final Duration TTL = Duration.ofSeconds(30);

    public ConsentMetrics(JdbcClient jdbc, MeterRegistry registry, Clock clock) {
        CountGauges.register(registry, "openfinq.consents", "Consents of all tenants by state (cluster-wide)", "state",
                List.of("active", "expired", "deleted"), TTL, clock, () -> {
                    Map<String, Long> counts = new HashMap<>();
                    jdbc.sql("""
                            select case when status = 'ACTIVE' and consent_exp <= now() then 'expired'
                                        else lower(status) end as state, count(*) as n
                            from consent group by 1""")
                            .query((rs, i) -> counts.put(rs.getString("state"), rs.getLong("n"))).list();
                    return counts;
                });
    }
}
