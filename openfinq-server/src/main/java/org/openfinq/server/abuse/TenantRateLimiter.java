package org.openfinq.server.abuse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Each tenant's request rate: a token bucket per tenant in PostgreSQL (capacity and refill: its requests per
 * minute, {@code openfinq.limits.tenant-rate} unless set per tenant), shared by every node.
 * <p>
 * A node does not go to the database for every request: it takes a small lease of tokens from the shared
 * bucket and spends it locally. A lease starts at one token and doubles while the tenant keeps using them up,
 * up to 1% of the tenant's minute budget, and is dropped after one second. So the cluster never lets more
 * requests through than the bucket holds; what a lease costs in accuracy is that up to (nodes x lease)
 * tokens can sit unused on one node while another already answers 429.
 * <p>
 * Every answer to an authenticated tenant call carries {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} and {@code RateLimit-Policy}; over the limit it is 429 {@code too_many_requests}
 * with {@code Retry-After}.
 */
@Service
public class TenantRateLimiter {

    private static final Logger log = LoggerFactory.getLogger(TenantRateLimiter.class);
    static final long LEASE_NANOS = 1_000_000_000L;

    /** Tokens this node holds for one tenant. */
    private static final class Lease {
        final AtomicInteger left;
        final int granted;
        final double bucketLeft;
        final double capacity;
        final long expires;

        Lease(int granted, double bucketLeft, double capacity, long expires) {
            this.left = new AtomicInteger(granted);
            this.granted = granted;
            this.bucketLeft = bucketLeft;
            this.capacity = capacity;
            this.expires = expires;
        }
    }

    private final AbuseStore store;
    private final int defaultRate;
    private final Clock clock;
    private final Map<UUID, Lease> leases = new ConcurrentHashMap<>();
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();

    private final Counter leaseCount;

    public TenantRateLimiter(AbuseStore store, OpenfinqProperties props, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.defaultRate = props.limits().tenantRate();
        this.clock = clock;
        this.leaseCount = Counter.builder("openfinq.rate_limit.leases")
                .description("Round trips to the shared tenant token buckets (one per lease)").register(registry);
    }

    /** Spends one request of the tenant's budget: sets the RateLimit headers, or throws 429. */
    public void acquire(UUID clientId) {
        if (defaultRate <= 0) {
            return; // turned off (OPENFINQ_LIMITS_TENANT_RATE=0), e.g. when a gateway in front limits
        }
        Lease lease = leases.get(clientId);
        if (!spend(lease)) {
            ReentrantLock lock = locks.computeIfAbsent(clientId, k -> new ReentrantLock());
            lock.lock();
            try {
                lease = leases.get(clientId);
                // requests that do not take this lock may spend a new lease before this one does: renew again
                // while the bucket still grants tokens, so only an empty bucket answers 429
                while (!spend(lease)) {
                    lease = renew(clientId, lease);
                    if (lease == null) {
                        return; // the limiter's database is unavailable: the request itself will tell
                    }
                    if (lease.granted == 0) {
                        throw overLimit(lease);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        headers(lease, null);
    }

    private static boolean spend(Lease lease) {
        return lease != null && System.nanoTime() - lease.expires < 0 && lease.left.getAndDecrement() > 0;
    }

    private Lease renew(UUID clientId, Lease previous) {
        int want = 1;
        if (previous != null && previous.granted > 0 && previous.left.get() <= 0) {
            want = (int) Math.min((long) previous.granted * 2, maxLease(previous.capacity));
        }
        try {
            leaseCount.increment();
            AbuseStore.Grant g = store.take(clientId, want, defaultRate, clock.instant());
            long ttl = LEASE_NANOS;
            if (g.granted() == 0) {
                // empty: ask again once a token has refilled, not on every request
                ttl = Math.min(LEASE_NANOS, (long) (60e9 / g.capacity()));
            }
            Lease lease = new Lease(g.granted(), g.tokensLeft(), g.capacity(), System.nanoTime() + ttl);
            leases.put(clientId, lease);
            return lease;
        } catch (RuntimeException e) {
            log.warn("Rate limit of tenant {} not checked: {}", clientId, e.toString());
            return null;
        }
    }

    static long maxLease(double capacity) {
        return Math.max(1, (long) (capacity / 100));
    }

    private ApiException overLimit(Lease lease) {
        long retry = (long) Math.ceil((1 - lease.bucketLeft) * 60 / lease.capacity);
        ApiException e = ApiException.tooManyRequests("The tenant's rate limit of " + (long) lease.capacity
                + " requests per minute is used up; retry after " + Math.max(1, retry) + " s", retry);
        headers(lease, e);
        return e;
    }

    private static void headers(Lease lease, ApiException error) {
        long remaining = Math.max(0, (long) Math.floor(lease.bucketLeft) + Math.max(0, lease.left.get()));
        long limit = (long) lease.capacity;
        long reset = (long) Math.ceil(Math.max(0, lease.capacity - remaining) * 60 / lease.capacity);
        String[][] values = {{"RateLimit-Limit", Long.toString(limit)}, {"RateLimit-Remaining", Long.toString(remaining)},
                {"RateLimit-Reset", Long.toString(reset)}, {"RateLimit-Policy", limit + ";w=60"}};
        if (error != null) {
            for (String[] v : values) {
                error.withHeader(v[0], v[1]);
            }
            return;
        }
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a && a.getResponse() != null) {
            HttpServletResponse response = a.getResponse();
            for (String[] v : values) {
                response.setHeader(v[0], v[1]);
            }
        }
    }

    /** Drops this node's lease of a tenant (after its setting changed here). */
    public void forget(UUID clientId) {
        leases.remove(clientId);
    }
}
