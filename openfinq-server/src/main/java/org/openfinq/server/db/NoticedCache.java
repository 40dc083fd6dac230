package org.openfinq.server.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * A per-node cache of rows, kept right across nodes by {@link ChangeNotices}: a notice of the cache's topic evicts
 * the entries it names (on every node, once the change committed), a (re)connect of the listener empties it, and
 * while no notices can arrive it is not used at all. An entry also expires after {@link ChangeNotices#ttl()}, as a
 * safety net. A row read while a notice arrives is not kept (it may predate the change): every eviction moves an
 * epoch, and a row is stored only if the epoch did not move while it was read.
 *
 * @param <K> the key the cache is read by
 * @param <V> the cached row; absent rows are not cached
 */
public final class NoticedCache<K, V> {

    private final ChangeNotices notices;
    private final Cache<K, V> cache;
    private final AtomicLong epoch = new AtomicLong();

    private NoticedCache(ChangeNotices notices, Caffeine<Object, Object> bound) {
        this.notices = notices;
        this.cache = bound.expireAfterWrite(notices.ttl().isNegative() ? java.time.Duration.ZERO : notices.ttl()).build();
    }

    private NoticedCache(ChangeNotices notices, long maxSize) {
        this(notices, Caffeine.newBuilder().maximumSize(maxSize));
    }

    /**
     * A cache by row id, bounded by the total weight of its values (e.g. their bytes) instead of their number: a
     * notice {@code topic:id} evicts that id.
     */
    public static <V> NoticedCache<UUID, V> byIdWeighed(ChangeNotices notices, String topic, long maxWeight, ToIntFunction<V> weight) {
        @SuppressWarnings("unchecked")
        NoticedCache<UUID, V> c = new NoticedCache<>(notices, Caffeine.newBuilder().maximumWeight(maxWeight)
                .weigher((k, v) -> weight.applyAsInt((V) v)));
        return listen(notices, topic, c);
    }

    /** A cache by row id: a notice {@code topic:id} evicts that id. */
    public static <V> NoticedCache<UUID, V> byId(ChangeNotices notices, String topic, long maxSize) {
        return listen(notices, topic, new NoticedCache<>(notices, maxSize));
    }

    private static <V> NoticedCache<UUID, V> listen(ChangeNotices notices, String topic, NoticedCache<UUID, V> c) {
        notices.onNotice(topic, key -> {
            try {
                c.evict(UUID.fromString(key));
            } catch (IllegalArgumentException notAnId) {
                c.flush();
            }
        }, c::flush);
        return c;
    }

    /** A cache of several entries per id (e.g. per tenant): a notice {@code topic:id} evicts all of that id's. */
    public static <K, V> NoticedCache<K, V> grouped(ChangeNotices notices, String topic, long maxSize, Function<K, UUID> group) {
        NoticedCache<K, V> c = new NoticedCache<>(notices, maxSize);
        notices.onNotice(topic, key -> {
            c.epoch.incrementAndGet();
            c.cache.asMap().keySet().removeIf(k -> group.apply(k).toString().equals(key));
        }, c::flush);
        return c;
    }

    /** The cached row, or the loader's (kept when safe); empty when the loader finds none. */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        if (!notices.listening()) {
            return loader.apply(key);
        }
        V cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = epoch.get();
        Optional<V> loaded = loader.apply(key);
        loaded.ifPresent(v -> cache.asMap().compute(key, (k, old) -> epoch.get() == before && notices.listening() ? v : old));
        return loaded;
    }

    /** The cached value, or null (always null while no notices can arrive). */
    public V peek(K key) {
        return notices.listening() ? cache.getIfPresent(key) : null;
    }

    /** The eviction epoch: read it before reading what {@link #merge} will store. */
    public long epoch() {
        return epoch.get();
    }

    /**
     * Stores {@code change} of the cached value (null when none) unless an eviction happened since {@code epochBefore}
     * was read (what was read may predate a change) or notices cannot arrive; a null result removes the entry.
     */
    public void merge(K key, long epochBefore, UnaryOperator<V> change) {
        cache.asMap().compute(key, (k, old) -> epoch.get() == epochBefore && notices.listening() ? change.apply(old) : old);
    }

    void evict(K key) {
        epoch.incrementAndGet();
        cache.invalidate(key);
    }

    void flush() {
        epoch.incrementAndGet();
        cache.invalidateAll();
    }
}
