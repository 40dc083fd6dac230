package org.openfinq.server.data;

import org.openfinq.server.db.ChangeNotices;
import org.openfinq.server.db.NoticedCache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Finished answers of {@code transactions/get}, per node, by consent: the JSON bytes of an answer (and its next
 * cursor) for one query (filter, limit, cursor). A consent's answers are dropped on every node when its cached
 * data changes: row triggers on {@code account} and statement triggers on {@code transaction} send
 * {@code data:<consent_id>} in the writing transaction (V110), every writer included, and the sync evicts on its
 * own node right after each commit. Like the credential caches ({@link NoticedCache}), nothing is kept or served
 * while the notice listener is down, and entries expire after {@code OPENFINQ_CACHE_TTL}. Bounded by bytes
 * ({@code OPENFINQ_CACHE_ANSWERS_MB}, 0 = off); answers over {@link #MAX_ANSWER_BYTES} and more than
 * {@link #MAX_QUERIES} queries per consent are not kept.
 */
@Component
public class Answers {

    /** The largest answer kept: about 500 transactions. Longer answers are streamed from the database every time. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;
    /** Distinct queries kept per consent (a client pages or filters; a few repeat). */
    static final int MAX_QUERIES = 16;

    /** One finished answer: the body and the next page's cursor (null when none). */
    record Answer(byte[] body, String nextCursor) {
    }

    /** A consent's kept answers by query. */
    record Kept(Map<String, Answer> byQuery, int bytes) {

        Kept with(String query, Answer a) {
            if (byQuery.size() >= MAX_QUERIES && !byQuery.containsKey(query)) {
                return this;
            }
            Map<String, Answer> next = new HashMap<>(byQuery);
            Answer old = next.put(query, a);
            return new Kept(Map.copyOf(next), bytes + a.body().length - (old == null ? 0 : old.body().length));
        }
    }

    private final NoticedCache<UUID, Kept> cache;
    private final boolean on;

    public Answers(ChangeNotices notices, @Value("${openfinq.cache.answers-mb:64}") long megabytes) {
        this.on = megabytes > 0;
        this.cache = NoticedCache.byIdWeighed(notices, "data", Math.max(1, megabytes) * 1024 * 1024,
                k -> k.bytes() + 64 * k.byQuery().size());
    }

    /** The kept answer of this consent and query, or null. */
    Answer get(UUID consentId, String query) {
        if (!on) {
            return null;
        }
        Kept kept = cache.peek(consentId);
        return kept == null ? null : kept.byQuery().get(query);
    }

    /** Read before the query whose answer may be {@link #keep kept}. */
    long epoch() {
        return cache.epoch();
    }

    /** Keeps an answer read after {@code epoch}, unless the consent's data changed meanwhile. */
    void keep(UUID consentId, String query, long epoch, Answer a) {
        if (on && a.body().length <= MAX_ANSWER_BYTES) {
            cache.merge(consentId, epoch, old -> (old == null ? new Kept(Map.of(), 0) : old).with(query, a));
        }
    }
}
