package org.openfinq.sandboxbank;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;

/**
 * Settings of a sandbox bank.
 *
 * @param host                 address to bind (127.0.0.1 by default)
 * @param port                 port to bind; 0 picks a free one
 * @param seed                 data seed: the same seed gives the same customers, accounts and transactions
 * @param anchor               first day of every account's history
 * @param largePsuTransactions size of PSU {@code bigcorp}'s history; 0 leaves it out
 * @param pageSize             booked transactions per page
 * @param maxFrequencyPerDay   the most unattended reads per consent and resource per day the bank grants
 * @param settlementDelay      time from SCA approval to a settled payment (ACTC, then ACSP, then ACSC)
 * @param clock                the bank's clock
 * @param publicUrl            the root other devices reach the bank at (its SCA links use it, e.g.
 *                             {@code http://192.168.1.20:8090}); null for {@code http://<host>:<port>}
 */
public record SandboxConfig(String host, int port, long seed, LocalDate anchor, int largePsuTransactions, int pageSize,
                            int maxFrequencyPerDay, Duration settlementDelay, Clock clock, String publicUrl) {

    public static SandboxConfig defaults() {
        return new SandboxConfig("127.0.0.1", 0, 42L, LocalDate.of(2025, 1, 1), 100_000, 100, 4,
                Duration.ofSeconds(4), Clock.systemUTC(), null);
    }

    public SandboxConfig withHost(String h) {
        return new SandboxConfig(h, port, seed, anchor, largePsuTransactions, pageSize, maxFrequencyPerDay, settlementDelay, clock, publicUrl);
    }

    public SandboxConfig withPublicUrl(String u) {
        String url = u == null || u.isBlank() ? null : u.strip().replaceAll("/+$", "");
        return new SandboxConfig(host, port, seed, anchor, largePsuTransactions, pageSize, maxFrequencyPerDay, settlementDelay, clock, url);
    }

    public SandboxConfig withPort(int p) {
        return new SandboxConfig(host, p, seed, anchor, largePsuTransactions, pageSize, maxFrequencyPerDay, settlementDelay, clock, publicUrl);
    }

    public SandboxConfig withSeed(long s) {
        return new SandboxConfig(host, port, s, anchor, largePsuTransactions, pageSize, maxFrequencyPerDay, settlementDelay, clock, publicUrl);
    }

    public SandboxConfig withLargePsuTransactions(int n) {
        return new SandboxConfig(host, port, seed, anchor, n, pageSize, maxFrequencyPerDay, settlementDelay, clock, publicUrl);
    }

    public SandboxConfig withPageSize(int n) {
        return new SandboxConfig(host, port, seed, anchor, largePsuTransactions, n, maxFrequencyPerDay, settlementDelay, clock, publicUrl);
    }

    public SandboxConfig withSettlementDelay(Duration d) {
        return new SandboxConfig(host, port, seed, anchor, largePsuTransactions, pageSize, maxFrequencyPerDay, d, clock, publicUrl);
    }

    public SandboxConfig withClock(Clock c) {
        return new SandboxConfig(host, port, seed, anchor, largePsuTransactions, pageSize, maxFrequencyPerDay, settlementDelay, c, publicUrl);
    }
}
