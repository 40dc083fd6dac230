package org.openfinq.server.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL for the audit log: append, filtered reads, and the retention purge (the only delete). */
@Repository
public class AuditStore {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One audit event. */
    public record Event(long id, Instant at, String actor, String action, UUID clientId, String target, String address,
                        Map<String, Object> details) {
    }

    /** Read filters; null means any. */
    public record Filter(UUID clientId, String action, String actor, Instant since, Instant until, Long before, int limit) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public AuditStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    void insert(Instant at, String actor, String action, UUID clientId, String target, String address, Map<String, ?> details) {
        jdbc.sql("insert into audit_event (at, actor, action, client_id, target, address, details) values (?, ?, ?, ?, ?, ?, ?::jsonb)")
                .params(Timestamp.from(at), actor, action, clientId, target, address, JSON.writeValueAsString(details))
                .update();
    }

    @SuppressWarnings("unchecked")
    public List<Event> find(Filter f) {
        StringBuilder sql = new StringBuilder("select id, at, actor, action, client_id, target, address, details::text from audit_event where true");
        List<Object> params = new ArrayList<>();
        if (f.clientId() != null) {
            sql.append(" and client_id = ?");
            params.add(f.clientId());
        }
        if (f.action() != null) {
            sql.append(f.action().endsWith(".") ? " and starts_with(action, ?)" : " and action = ?");
            params.add(f.action());
        }
        if (f.actor() != null) {
            sql.append(" and actor = ?");
            params.add(f.actor());
        }
        if (f.since() != null) {
            sql.append(" and at >= ?");
            params.add(Timestamp.from(f.since()));
        }
        if (f.until() != null) {
            sql.append(" and at < ?");
            params.add(Timestamp.from(f.until()));
        }
        if (f.before() != null) {
            sql.append(" and id < ?");
            params.add(f.before());
        }
        sql.append(" order by id desc limit ?");
        params.add(f.limit());
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new Event(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7), JSON.readValue(rs.getString(8), Map.class)))
                .list();
    }

    /** Deletes events older than {@code cutoff}; the table refuses deletes from anything else. */
    public int purge(Instant cutoff) {
        Integer n = tx.execute(status -> {
            jdbc.sql("select set_config('openfinq.audit_purge', 'on', true)").query(String.class).single();
            return jdbc.sql("delete from audit_event where at < ?").param(Timestamp.from(cutoff)).update();
        });
        return n == null ? 0 : n;
    }
}
