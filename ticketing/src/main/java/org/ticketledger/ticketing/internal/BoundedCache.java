package org.ticketledger.ticketing.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A concurrent map kept at about {@code bound} entries by dropping some entry before one is added
 * past it: for caches whose miss costs only a recomputation, where an eviction order would cost
 * more bookkeeping than the odd recomputation it saves. Thread-safe; null keys and values refused.
 */
final class BoundedCache<K, V> {

    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final int bound;

    BoundedCache(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be >= 1");
        }
        this.bound = bound;
    }

    /** The value kept for {@code key}, or null. */
    V get(K key) {
        return map.get(key);
    }

    /** The value kept for {@code key}, computed and kept if there is none. */
    V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
        V kept = map.get(key);
        if (kept != null) {
            return kept;
        }
        makeRoom();
        return map.computeIfAbsent(key, compute);
    }

    void put(K key, V value) {
        makeRoom();
        map.put(key, value);
    }

    void remove(K key) {
        map.remove(key);
    }

    int size() {
        return map.size();
    }

    private void makeRoom() {
        if (map.size() >= bound) {
            Iterator<K> it = map.keySet().iterator();
            if (it.hasNext()) {
                map.remove(it.next());
            }
        }
    }
}
