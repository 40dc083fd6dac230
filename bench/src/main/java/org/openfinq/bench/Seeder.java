package org.openfinq.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Loads the read data set straight into PostgreSQL: consents with known access tokens (stored hashed, as the
 * server stores them), 3 accounts each and 500 booked transactions per account spread over 900 days, so a
 * 30-day filter returns about 50 rows per consent.
 */
final class Seeder {

    /** A seeded consent: what a tenant holds for it. */
    record Consent(String credentialsId, String accessToken, String tenantUserId) {
    }

    private Seeder() {
    }

    static List<Consent> seed(String url, String user, String clientId, int consents, int accountsPer, int txPer) throws Exception {
        List<Consent> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into consent (id, client_id, tenant_user_id, skill, servicer_id, status, access_token_hash, consent_exp,
                                         max_data_retention, created_at, updated_at)
                    values (?, ?, ?, 'sandbox_ro_aisp_sbx_#1.0', '5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01', 'ACTIVE', ?,
                            now() + interval '90 days', now() + interval '120 days', now(), now())""")) {
                for (int i = 0; i < consents; i++) {
                    UUID id = UUID.randomUUID();
                    String token = "bench-token-" + UUID.randomUUID();
                    ps.setObject(1, id);
                    ps.setObject(2, UUID.fromString(clientId));
                    ps.setString(3, "bench-user-" + i);
                    ps.setString(4, sha256(token));
                    ps.addBatch();
                    out.add(new Consent(id.toString(), token, "bench-user-" + i));
                }
                ps.executeBatch();
            }
            List<String> indexes = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                // the secondary indexes of transaction are built once after the load instead of row by row (several times
                // faster for millions of rows); the key and unique constraints stay
                try (var rs = s.executeQuery("select indexname, indexdef from pg_indexes where tablename = 'transaction' and indexname not in "
                        + "(select conname from pg_constraint where conrelid = 'transaction'::regclass)")) {
                    while (rs.next()) {
                        indexes.add(rs.getString(2));
                    }
                }
                for (String def : indexes) {
                    s.execute("drop index " + def.replaceFirst("(?i)^CREATE (UNIQUE )?INDEX (\\S+) ON .*$", "$2"));
                }
                s.execute("set maintenance_work_mem = '512MB'");
                s.execute("insert into account (id, consent_id, resource_id, iban, currency, name, product, cash_account_type, updated_at) "
                        + "select gen_random_uuid(), c.id, 'acc-' || a, 'RO' || lpad((abs(hashtext(c.id::text)) % 100)::text, 2, '0') "
                        + "|| 'BENC' || lpad(a::text, 16, '0'), 'RON', 'Cont ' || a, 'Current Account', 'CACC', now() "
                        + "from consent c cross join generate_series(1, " + accountsPer + ") a where c.tenant_user_id like 'bench-user-%'");
                s.execute("insert into transaction (id, account_id, utx_id, status, booking_date_time, value_date, amount, "
                        + "credit_debit_indicator, currency, balance, info, category, counterparty, bank_transaction_id, inserted_at, "
                        + "changed_at, created_seq, change_seq) "
                        + "select gen_random_uuid(), a.id, md5(a.id::text || g), 'booked', "
                        + "date_trunc('day', now()) - ((g * 9) / 5) * interval '1 day', (now() - ((g * 9) / 5) * interval '1 day')::date, "
                        + "((g * 7919) % 50000) / 100.0 + 1, case when g % 4 = 0 then 'credit' else 'debit' end, 'RON', 1000 + g, "
                        + "'Plata card ' || g, 'groceries', 'Mega Image', 'T' || g, now(), date_trunc('second', now()), "
                        + "nextval('transaction_change_seq'), currval('transaction_change_seq') "
                        + "from account a cross join generate_series(1, " + txPer + ") g "
                        + "join consent c on c.id = a.consent_id where c.tenant_user_id like 'bench-user-%'");
                for (String def : indexes) {
                    s.execute(def);
                }
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("analyze");
            }
        }
        return out;
    }

    /** Gives the consents seeded by an earlier run to {@code clientId} with new access tokens; empty if there are none. */
    static List<Consent> reseat(String url, String user, String clientId) throws Exception {
        List<Consent> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            c.setAutoCommit(false);
            List<String[]> seeded = new ArrayList<>();
            try (Statement s = c.createStatement(); var rs = s.executeQuery(
                    "select id, tenant_user_id from consent where tenant_user_id like 'bench-user-%' order by tenant_user_id")) {
                while (rs.next()) {
                    seeded.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update consent set client_id = ?, access_token_hash = ? where id = ?")) {
                for (String[] row : seeded) {
                    String token = "bench-token-" + UUID.randomUUID();
                    ps.setObject(1, UUID.fromString(clientId));
                    ps.setString(2, sha256(token));
                    ps.setObject(3, UUID.fromString(row[0]));
                    ps.addBatch();
                    out.add(new Consent(row[0], token, row[1]));
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return out;
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the P1 read (the server's query and 30-day filter) for one consent. */
    static String plan(String url, String user, String consentId) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url, user, "");
             PreparedStatement ps = c.prepareStatement("explain (analyze, buffers) select t.id, t.account_id, t.utx_id, t.status, "
                     + "t.booking_date_time, t.amount, t.credit_debit_indicator, t.currency, t.balance, t.info, t.category, "
                     + "t.counterparty, t.changed_at from transaction t where t.account_id = any (select id from account "
                     + "where consent_id = ?) and t.booking_date_time >= date_trunc('day', now()) - interval '30 days' "
                     + "order by t.booking_date_time desc nulls first, t.utx_id, t.id limit 501")) {
            ps.setObject(1, UUID.fromString(consentId));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
        }
        return out.toString();
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
