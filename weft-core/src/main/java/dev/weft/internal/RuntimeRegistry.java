package dev.weft.internal;

import dev.weft.spi.AbstractRuntime;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every runtime of this process that is not closed, for {@link TaskDump}. Weakly held: a runtime
 * that was dropped without {@code close()} (a current-thread runtime nobody drives any more) does
 * not stay reachable because of the dump.
 */
public final class RuntimeRegistry {
    private static final AtomicLong IDS = new AtomicLong();
    private static final ConcurrentHashMap<Long, WeakReference<AbstractRuntime>> OPEN = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger VERSION = new java.util.concurrent.atomic.AtomicInteger();

    private RuntimeRegistry() { }

    /** Registers a new runtime; returns its id (unique in this process, in creation order). */
    public static long register(AbstractRuntime runtime) {
        long id = IDS.incrementAndGet();
        OPEN.put(id, new WeakReference<>(runtime));
        VERSION.incrementAndGet();
        return id;
    }

    /** Removes a runtime that has closed. */
    public static void unregister(long id) {
        OPEN.remove(id);
        VERSION.incrementAndGet();
    }

    /** Changes whenever a runtime opens or closes (for {@link RuntimeBeans}). */
    static int version() {
        return VERSION.get();
    }

    /** The open runtimes, oldest first. */
    public static List<AbstractRuntime> open() {
        List<Long> ids = new ArrayList<>(OPEN.keySet());
        ids.sort(Comparator.naturalOrder());
        List<AbstractRuntime> result = new ArrayList<>();
        for (Long id : ids) {
            WeakReference<AbstractRuntime> ref = OPEN.get(id);
            AbstractRuntime r = ref == null ? null : ref.get();
            if (r == null) {
                OPEN.remove(id);
                VERSION.incrementAndGet();
            } else {
                result.add(r);
            }
        }
        return result;
    }
}
