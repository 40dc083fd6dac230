package org.openfinq.server.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.event.Event;
import org.openfinq.server.event.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Turns events into deliveries and delivers them (Standard Webhooks). One run: (1) for every endpoint no other
 * node is handling, the tenant's new events become pending deliveries in one transaction; (2) due deliveries are
 * claimed with a lease ({@code SKIP LOCKED}, committed), each is POSTed with no database connection held, to the
 * address the SSRF check resolved, no redirects, within the timeout; (3) the outcome is committed only if the
 * attempt still holds its lease. A failed attempt is retried with exponential backoff and jitter until
 * {@code retry-for} (72 h) after the event, then the delivery is marked failed.
 */
@Component
public class WebhookDelivery {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final int BATCH = 50;

    private final WebhookStore store;
    private final Events events;
    private final DataCipher cipher;
    private final UrlGuard guard;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration timeout;
    private final Duration lease;
    private final Duration retryFor;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;

    public WebhookDelivery(WebhookStore store, Events events, DataCipher cipher, UrlGuard guard, TransactionTemplate tx,
                           Clock clock, MeterRegistry meters,
                           @Value("${openfinq.webhooks.timeout:PT10S}") Duration timeout,
                           @Value("${openfinq.webhooks.retry-for:PT72H}") Duration retryFor,
                           @Value("${openfinq.webhooks.first-retry:PT30S}") Duration firstRetry,
                           @Value("${openfinq.webhooks.max-retry:PT6H}") Duration maxRetry) {
        this.store = store;
        this.events = events;
        this.cipher = cipher;
        this.guard = guard;
        this.tx = tx;
        this.clock = clock;
        this.timeout = timeout;
        this.lease = timeout.plusSeconds(15);
        this.retryFor = retryFor;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.delivered = Counter.builder("openfinq.webhooks.deliveries").tag("outcome", "delivered")
                .description("Webhook deliveries accepted by the receiver").register(meters);
        this.retried = Counter.builder("openfinq.webhooks.deliveries").tag("outcome", "retried")
                .description("Webhook attempts that failed and will be retried").register(meters);
        this.failed = Counter.builder("openfinq.webhooks.deliveries").tag("outcome", "failed")
                .description("Webhook deliveries given up after the retry window").register(meters);
    }

    /** One scheduled run: fan out new events, then deliver what is due. */
    public void run() {
        fanOut();
        while (deliverDue() == BATCH) {
            // a full batch: more may be due
        }
    }

    /** Turns new events of every free endpoint into pending deliveries. @return deliveries queued */
    public int fanOut() {
        int total = 0;
        UUID after = new UUID(0, 0); // the smallest uuid in PostgreSQL's (unsigned) order
        while (true) {
            List<WebhookStore.Endpoint> locked = new ArrayList<>();
            UUID from = after;
            Integer n = tx.execute(s -> fanOut(store.lockEndpoints(from, 200), locked));
            total += n == null ? 0 : n;
            if (locked.size() < 200) {
                return total;
            }
            after = locked.getLast().id();
        }
    }

    /** Turns the new events of these (locked) endpoints into deliveries; adds them to {@code done}. */
    private int fanOut(List<WebhookStore.Endpoint> endpoints, List<WebhookStore.Endpoint> done) {
        done.addAll(endpoints);
        int queued = 0;
        Instant now = clock.instant();
        for (WebhookStore.Endpoint e : endpoints) {
            long last = e.lastSeq();
            for (Event ev : events.list(e.clientId(), last, 500, List.of())) {
                last = ev.seq();
                if (e.events() == null || e.events().contains(ev.type())) {
                    queued += store.enqueue(e.id(), ev.id(), Events.json(ev), now) ? 1 : 0;
                }
            }
            if (last != e.lastSeq()) {
                store.advance(e.id(), last);
            }
        }
        return queued;
    }

    /** Claims and delivers one batch of due deliveries concurrently. @return how many were claimed */
    public int deliverDue() {
        Instant now = clock.instant();
        List<WebhookStore.Delivery> claimed = tx.execute(s -> store.claim(now, now.plus(lease), BATCH));
        if (claimed == null || claimed.isEmpty()) {
            return 0;
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (WebhookStore.Delivery d : claimed) {
                running.add(pool.submit(() -> attempt(d)));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (Exception e) {
                    log.warn("Webhook delivery failed unexpectedly", e);
                }
            }
        }
        return claimed.size();
    }

    private void attempt(WebhookStore.Delivery d) {
        WebhookStore.Endpoint endpoint = store.find(d.endpointId()).orElse(null);
        if (endpoint == null) {
            return; // deleted: its deliveries went with it
        }
        String secret = cipher.decryptString(endpoint.secret(), Webhooks.context(endpoint.id()));
        Integer status = null;
        String error;
        try {
            UrlGuard.Target target = guard.check(endpoint.url());
            long ts = clock.instant().getEpochSecond();
            status = post(target, d.eventId().toString(), ts, Webhooks.sign(secret, d.eventId().toString(), ts, d.body()), d.body());
            error = status >= 200 && status < 300 ? null : "receiver answered " + status;
        } catch (UrlGuard.Refused e) {
            error = "url refused: " + e.getMessage();
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        Instant now = clock.instant();
        String outcome;
        Instant next = null;
        if (error == null) {
            outcome = "delivered";
        } else if (!now.isBefore(d.createdAt().plus(retryFor))) {
            outcome = "failed";
        } else {
            outcome = "pending";
            next = min(now.plus(backoff(d.attempts())), d.createdAt().plus(retryFor));
        }
        String shown = error == null ? null : error.length() > 300 ? error.substring(0, 300) : error;
        Instant nextAttempt = next;
        Integer code = status;
        Boolean recorded = tx.execute(s -> store.finish(d, outcome, code, shown, nextAttempt, now));
        if (Boolean.TRUE.equals(recorded)) {
            (switch (outcome) {
                case "delivered" -> delivered;
                case "failed" -> failed;
                default -> retried;
            }).increment();
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Exponential backoff with jitter: first-retry × 2^(attempts-1), at most max-retry, times 0.5–1.0. */
    Duration backoff(int attempts) {
        double base = firstRetry.toMillis() * Math.pow(2, Math.min(attempts - 1, 30));
        double capped = Math.min(base, maxRetry.toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5)));
    }

    /** POSTs to the checked address (no new lookup), no redirects, no retries, within the timeout. */
    private int post(UrlGuard.Target target, String id, long timestamp, String signature, String body) throws Exception {
        InetAddress address = target.address();
        DnsResolver pinned = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) {
                return new InetAddress[]{address};
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        Timeout t = Timeout.of(timeout);
        try (CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(pinned)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableContentCompression()
                .setUserAgent("openfinq-webhooks")
                .build()) {
            HttpPost post = new HttpPost(target.uri());
            post.setHeader("webhook-id", id);
            post.setHeader("webhook-timestamp", Long.toString(timestamp));
            post.setHeader("webhook-signature", signature);
            post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
            try (ExecutorService one = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Integer> call = one.submit(() -> http.execute(post, response -> response.getCode()));
                try {
                    return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    post.cancel();
                    call.cancel(true);
                    throw new java.util.concurrent.TimeoutException("no answer within " + timeout);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        }
    }

    /** Deletes deliveries created before {@code before}. */
    public int purge(Instant before) {
        return store.purge(before);
    }
}
