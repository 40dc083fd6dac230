package org.openfinq.server.consent;

import org.openfinq.server.event.Event;
import org.openfinq.server.event.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tells tenants that a consent expires soon ({@code consent.expiring}, 14 and 3 days before its
 * {@code consent_exp}), so they can ask the end-user to renew before the data calls answer 401. Each notice is
 * told once: the consent records the smallest notice told, in the same transaction as the event. A notice whose
 * window began before the consent was created is skipped (a 7-day consent gets only the 3-day notice). Any
 * number of nodes may run it (row locks, skip locked).
 */
@Component
public class ExpiryNoticeJob {

    /** Smallest first, so a consent found late gets only the notice that applies now. */
    static final List<Integer> DAYS = List.of(3, 14);
    private static final Logger log = LoggerFactory.getLogger(ExpiryNoticeJob.class);

    private final JdbcClient jdbc;
    private final Events events;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ExpiryNoticeJob(JdbcClient jdbc, Events events, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /** One scheduled run (see {@link ConsentJobs}), logged when it told something. */
    public void scheduled() {
        int n = run();
        if (n > 0) {
            log.info("Consent expiry notices: {} told", n);
        }
    }

    /** @return notices told */
    public int run() {
        Instant now = clock.instant();
        int told = 0;
        for (int days : DAYS) {
            Timestamp windowStart = Timestamp.from(now.plus(Duration.ofDays(days)));
            List<UUID> due;
            do {
                due = tx.execute(status -> {
                    List<Object[]> rows = new java.util.ArrayList<>(jdbc.sql("""
                                    select id, client_id, tenant_user_id, consent_exp from consent
                                    where status = 'ACTIVE' and consent_exp > ? and consent_exp <= ?
                                      and created_at <= consent_exp - make_interval(days => ?)
                                      and (expiry_notified_days is null or expiry_notified_days > ?)
                                    order by consent_exp limit 100 for update skip locked""")
                            .params(Timestamp.from(now), windowStart, days, days)
                            .query((rs, n) -> new Object[]{rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                    rs.getString(3), rs.getTimestamp(4).toInstant()})
                            .list());
                    // one tenant lock after the other in a fixed order, so two nodes never wait on each other
                    rows.sort(java.util.Comparator.comparing((Object[] r) -> r[1].toString()));
                    for (Object[] r : rows) {
                        UUID id = (UUID) r[0];
                        jdbc.sql("update consent set expiry_notified_days = ? where id = ?").params(days, id).update();
                        Map<String, Object> data = new LinkedHashMap<>();
                        data.put("consent_exp", ConsentService.utc((Instant) r[3]));
                        data.put("days_left", days);
                        events.record(Event.consent(Event.CONSENT_EXPIRING, (UUID) r[1], (String) r[2], id, data)
                                .once(Event.CONSENT_EXPIRING + ":" + id + ":" + days));
                    }
                    return rows.stream().map(r -> (UUID) r[0]).toList();
                });
                told += due.size();
            } while (due.size() == 100);
        }
        return told;
    }
}
