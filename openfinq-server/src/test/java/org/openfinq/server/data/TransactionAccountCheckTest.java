package org.openfinq.server.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openfinq.sandboxbank.SandboxBank;
import org.openfinq.sandboxbank.SandboxConfig;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import org.openfinq.server.sync.CacheWriter;
import org.openfinq.server.sync.SyncWorker;
import org.springframework.dao.DataIntegrityViolationException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transaction table's account reference (V112 checks it once per statement instead of a per-row foreign key):
 * rows naming a missing account are refused, deleting accounts (directly or with their consent) deletes their
 * transactions, account ids never change, a deletion racing a page write leaves no orphan in either order, an
 * update that moves no row takes no lock on the account, and TRUNCATE reaches the transactions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionAccountCheckTest {

    static SandboxBank bank;
    static TestDatabase db;
    static TestServer node;
    static Tenants.Creds tenant;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxConfig.defaults().withPort(0).withLargePsuTransactions(0));
        db = TestDatabase.create();
        node = TestServer.start(db, Map.of("openfinq.sync.enabled", "false", "openfinq.sandbox-bank.url", bank.url()));
        tenant = Tenants.create(node.api(), "account-check", Flows.AIS);
    }

    @AfterAll
    static void stop() {
        node.close();
        db.close();
        bank.close();
    }

    /** A synced consent with several accounts; @return its id. */
    static UUID syncedConsent(String user) {
        Flows.Credentials c = Flows.aisCredentials(node.api(), tenant, user, "alice");
        node.bean(SyncWorker.class).runAll();
        UUID consent = UUID.fromString(c.credentialsId());
        assertThat(accounts(consent)).hasSizeGreaterThan(1);
        for (UUID a : accounts(consent)) {
            assertThat(count("select count(*) from transaction where account_id = '" + a + "'")).isPositive();
        }
        return consent;
    }

    @Test
    void rowsNamingAMissingAccountAreRefused() throws Exception {
        UUID missing = UUID.randomUUID();
        try (Connection c = db.connect()) {
            assertThatThrownBy(() -> insert(c, missing, "orphan-1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
            // a statement that names one existing and one missing account is refused as a whole
            UUID existing = accounts(syncedConsent("u-missing")).getFirst();
            assertThatThrownBy(() -> c.createStatement().executeUpdate(
                    "insert into transaction (id, account_id, utx_id, status, amount, credit_debit_indicator, currency, inserted_at, "
                            + "changed_at, created_seq, change_seq) values "
                            + "(gen_random_uuid(), '" + existing + "', 'mixed-1', 'booked', 1, 'credit', 'RON', now(), now(), 1, 1), "
                            + "(gen_random_uuid(), '" + missing + "', 'mixed-2', 'booked', 1, 'credit', 'RON', now(), now(), 1, 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
            assertThat(count("select count(*) from transaction where utx_id in ('mixed-1', 'mixed-2', 'orphan-1')")).isZero();
            // moving a row to a missing account
            assertThatThrownBy(() -> c.createStatement().executeUpdate("update transaction set account_id = '" + missing
                    + "' where id = (select id from transaction where account_id = '" + existing + "' limit 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
            // moving a row to another existing account is allowed
            UUID second = accounts(syncedConsent("u-move")).getFirst();
            assertThat(c.createStatement().executeUpdate("update transaction set account_id = '" + second
                    + "', utx_id = utx_id || '-moved' where id = (select id from transaction where account_id = '" + existing + "' limit 1)")).isEqualTo(1);
            // an account's id never changes
            assertThatThrownBy(() -> c.createStatement().executeUpdate("update account set id = gen_random_uuid() where id = '"
                    + existing + "'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
        }
        // the sync's writer is refused the same way
        CacheWriter.Page page = CacheWriter.page(List.of(new CacheWriter.Row("orphan-2", new org.openfinq.connector.Transaction(
                "b-1", null, null, org.openfinq.connector.Transaction.BookingStatus.BOOKED, java.time.LocalDate.of(2025, 1, 2), null,
                new org.openfinq.connector.Money(java.math.BigDecimal.TEN, "RON"), null, null, "someone", null, "info", null, null,
                null, null), null)));
        assertThatThrownBy(() -> node.bean(CacheWriter.class).upsertTransactions(UUID.randomUUID(), missing, page, Instant.now()))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(count("select count(*) from transaction where account_id = '" + missing + "'")).isZero();
    }

    @Test
    void deletingAccountsDeletesTheirTransactionsAlsoThroughTheirConsent() throws Exception {
        UUID one = syncedConsent("u-delete-1");
        UUID other = syncedConsent("u-delete-2");
        long othersBefore = transactionsOf(other);
        UUID first = accounts(one).getFirst();
        long restOfOne = transactionsOf(one) - count("select count(*) from transaction where account_id = '" + first + "'");
        try (Connection c = db.connect()) {
            assertThat(c.createStatement().executeUpdate("delete from account where id = '" + first + "'")).isEqualTo(1);
            assertThat(count("select count(*) from transaction where account_id = '" + first + "'")).isZero();
            assertThat(transactionsOf(one)).isEqualTo(restOfOne).isPositive();
            assertThat(c.createStatement().executeUpdate("delete from consent where id = '" + one + "'")).isEqualTo(1);
        }
        assertThat(accounts(one)).isEmpty();
        assertThat(count("select count(*) from transaction t where not exists (select 1 from account a where a.id = t.account_id)"))
                .isZero();
        assertThat(transactionsOf(other)).isEqualTo(othersBefore).isPositive();
    }

    @Test
    void aDeletionWaitsForAPageBeingWrittenThenRemovesIt() throws Exception {
        UUID account = accounts(syncedConsent("u-race-1")).getFirst();
        try (Connection writer = db.connect(); Connection deleter = db.connect();
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            writer.setAutoCommit(false);
            insert(writer, account, "race-1");
            int deleterPid = pid(deleter);
            CompletableFuture<Integer> deletion = CompletableFuture.supplyAsync(() -> update(deleter,
                    "delete from account where id = '" + account + "'"), pool);
            awaitLockWait(deleterPid);
            assertThat(deletion).isNotDone();
            writer.commit();
            assertThat(deletion.get()).isEqualTo(1);
        }
        assertThat(count("select count(*) from transaction where account_id = '" + account + "'")).isZero();
    }

    @Test
    void aPageWrittenWhileItsAccountIsBeingDeletedIsRefused() throws Exception {
        UUID account = accounts(syncedConsent("u-race-2")).getFirst();
        try (Connection writer = db.connect(); Connection deleter = db.connect();
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            deleter.setAutoCommit(false);
            assertThat(deleter.createStatement().executeUpdate("delete from account where id = '" + account + "'")).isEqualTo(1);
            int writerPid = pid(writer);
            CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> {
                try {
                    return insert(writer, account, "race-2");
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getSQLState(), e);
                }
            }, pool);
            awaitLockWait(writerPid);
            assertThat(write).isNotDone();
            deleter.commit();
            assertThatThrownBy(write::join).hasRootCauseInstanceOf(SQLException.class)
                    .cause().hasMessage("23503");
        }
        assertThat(count("select count(*) from transaction where account_id = '" + account + "'")).isZero();
    }

    @Test
    void anUpdateThatMovesNoRowDoesNotLockTheAccountSoADeletionWaitingForItsRowsCompletes() throws Exception {
        UUID account = accounts(syncedConsent("u-race-3")).getFirst();
        try (Connection writer = db.connect(); Connection deleter = db.connect();
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            writer.setAutoCommit(false);
            // the page's statement has locked the rows it conflicts with ...
            update(writer, "select id from transaction where account_id = '" + account + "' for update");
            int deleterPid = pid(deleter);
            CompletableFuture<Integer> deletion = CompletableFuture.supplyAsync(() -> update(deleter,
                    "delete from account where id = '" + account + "'"), pool);
            // ... when the account's deletion reaches them and waits
            awaitLockWait(deleterPid);
            // the page's updates end without waiting for the account (a lock on it would deadlock here)
            assertThat(update(writer, "update transaction set info = 'changed' where account_id = '" + account + "'")).isPositive();
            writer.commit();
            assertThat(deletion.get()).isEqualTo(1);
        }
        assertThat(count("select count(*) from transaction where account_id = '" + account + "'")).isZero();
    }

    @Test
    @Order(Integer.MAX_VALUE) // empties the tables: last
    void truncatingAccountsOrConsentsTruncatesTransactions() throws Exception {
        syncedConsent("u-truncate-1");
        try (Connection c = db.connect()) {
            c.createStatement().execute("truncate account cascade");
            assertThat(count("select count(*) from transaction")).isZero();
            syncedConsent("u-truncate-2");
            assertThat(count("select count(*) from transaction")).isPositive();
            c.createStatement().execute("truncate consent cascade");
            assertThat(count("select count(*) from account")).isZero();
            assertThat(count("select count(*) from transaction")).isZero();
        }
    }

    static int insert(Connection c, UUID account, String utx) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into transaction (id, account_id, utx_id, status, amount, "
                + "credit_debit_indicator, currency, inserted_at, changed_at, created_seq, change_seq) values "
                + "(gen_random_uuid(), ?, ?, 'booked', 1, 'credit', 'RON', now(), now(), nextval('transaction_change_seq'), "
                + "currval('transaction_change_seq'))")) {
            ps.setObject(1, account);
            ps.setString(2, utx);
            return ps.executeUpdate();
        }
    }

    static int update(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            return s.execute(sql) ? 0 : s.getUpdateCount();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int pid(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Waits until the backend waits for a lock another transaction holds. */
    static void awaitLockWait(int pid) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (count("select count(*) from pg_stat_activity where pid = " + pid + " and wait_event_type = 'Lock'") == 1) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("backend " + pid + " never waited for a lock");
    }

    static List<UUID> accounts(UUID consent) {
        List<UUID> out = new ArrayList<>();
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select id from account where consent_id = '" + consent + "' order by resource_id")) {
            while (rs.next()) {
                out.add(rs.getObject(1, UUID.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static long transactionsOf(UUID consent) {
        return count("select count(*) from transaction t join account a on a.id = t.account_id where a.consent_id = '" + consent + "'");
    }

    static long count(String sql) {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
