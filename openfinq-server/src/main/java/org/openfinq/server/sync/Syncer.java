package org.openfinq.server.sync;

import org.openfinq.connector.Account;
import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.Connector;
import org.openfinq.connector.Psu;
import org.openfinq.connector.Transaction;
import org.openfinq.connector.TransactionQuery;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.consent.ConsentStore;
import org.openfinq.server.crypto.DataCipher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads one consent's accounts, balances and transactions from the bank into the cache. Each page is written
 * and committed as it arrives, with the job's lease renewed in the same transaction, so a crash loses at most the
 * page in flight; a rerun rewrites nothing that is already there.
 */
@Component
public class Syncer {

    /** Rows written and transactions seen by one sync. */
    public record Result(int written, int seen) {
    }

    private final ConsentStore consents;
    private final Catalog catalog;
    private final Connectors connectors;
    private final DataCipher cipher;
    private final CacheWriter writer;
    private final SyncStore store;
    private final JdbcClient jdbc;
    private final OpenfinqProperties props;
    private final Clock clock;
    private final TransactionTemplate tx;

    public Syncer(ConsentStore consents, Catalog catalog, Connectors connectors, DataCipher cipher, CacheWriter writer,
                  SyncStore store, JdbcClient jdbc, OpenfinqProperties props, Clock clock, TransactionTemplate tx) {
        this.tx = tx;
        this.consents = consents;
        this.catalog = catalog;
        this.connectors = connectors;
        this.cipher = cipher;
        this.writer = writer;
        this.store = store;
        this.jdbc = jdbc;
        this.props = props;
        this.clock = clock;
    }

    public Connector connectorOf(ConsentStore.Consent c) {
        Servicer servicer = catalog.servicer(c.servicerId()).orElseThrow();
        return connectors.forServicer(servicer);
    }

    public Result sync(SyncStore.Job job, ConsentStore.Consent c) {
        Connector connector = connectorOf(c);
        AccountInformation ais = connector.accountInformation();
        String bankConsent = cipher.decryptString(c.bankConsent(), "consent:" + c.id());
        Psu psu = job.attended() && job.psuIp() != null ? Psu.present(job.psuIp()) : Psu.UNATTENDED;
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate from = store.lastGoodSync(c.id())
                .map(t -> LocalDate.ofInstant(t, ZoneOffset.UTC).minusDays(10))
                .orElse(today.minusDays(historyDays(c, connector.profile().maxHistoryDays())));
        int[] totals = new int[2];
        for (Account a : ais.accounts(bankConsent, psu)) {
            Instant now = clock.instant();
            UUID accountId = writer.upsertAccount(c.id(), a, now);
            totals[0] += writer.upsertBalances(accountId, ais.balances(bankConsent, a.resourceId(), psu), now);
            String accountKey = a.iban() != null ? a.iban() : a.resourceId();
            Map<String, Integer> occurrences = new HashMap<>();
            Set<String> pending = new HashSet<>();
            // the next page is fetched from the bank while the previous one is written
            java.util.concurrent.CompletableFuture<Void> writing = java.util.concurrent.CompletableFuture.completedFuture(null);
            String cursor = null;
            try (var writerThread = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                do {
                    org.openfinq.connector.TransactionPage page = ais.transactions(bankConsent, a.resourceId(),
                            TransactionQuery.both(from, null), cursor, psu);
                    List<CacheWriter.Row> rows = new ArrayList<>(page.transactions().size());
                    for (Transaction t : page.transactions()) {
                        int n = occurrences.merge(UtxId.content(t), 1, Integer::sum);
                        String utx = UtxId.of(c.servicerId(), accountKey, t, n);
                        if (t.status() == Transaction.BookingStatus.PENDING) {
                            pending.add(utx);
                        }
                        rows.add(new CacheWriter.Row(utx, t, Categories.of(t)));
                    }
                    CacheWriter.Page encoded = CacheWriter.page(rows);
                    join(writing);
                    writing = java.util.concurrent.CompletableFuture.runAsync(() -> {
                        Instant pageTime = clock.instant();
                        // the lease is renewed in the page's own transaction (one commit per page; the progress
                        // counts it records are those before this page), the job's row locked before the consent's
                        // change lock, in the order a job's finish takes them
                        Integer written = tx.execute(s -> {
                            store.renew(job.id(), pageTime.plus(props.sync().lease()), totals[0], totals[1]);
                            return writer.upsertTransactions(c.id(), accountId, encoded, pageTime);
                        });
                        totals[0] += written == null ? 0 : written;
                        totals[1] += rows.size();
                    }, writerThread);
                    cursor = page.next();
                } while (cursor != null);
                join(writing);
            }
            totals[0] += writer.dropStalePending(c.id(), accountId, pending, from, clock.instant());
            writer.markAccountSynced(accountId, clock.instant());
        }
        return new Result(totals[0], totals[1]);
    }

    private static void join(java.util.concurrent.CompletableFuture<Void> f) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The history window asked for in the session's SCA step, bounded by the bank's. */
    private int historyDays(ConsentStore.Consent c, int bankMax) {
        Integer asked = jdbc.sql("select (data->>'history_days')::int from session_step s join consent c on c.session_id = s.session_id "
                        + "where c.id = ? and s.name in ('sca', 'sca_implicit') and jsonb_exists(s.data, 'history_days') limit 1")
                .param(c.id()).query(Integer.class).optional().orElse(null);
        return asked == null ? bankMax : Math.min(asked, bankMax);
    }
}
