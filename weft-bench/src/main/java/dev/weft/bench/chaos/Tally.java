package dev.weft.bench.chaos;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count and a sum of ids (message values, injected-fault ids): comparing both, a loss and a
 * duplicate cannot cancel out unnoticed. Lock-free; any thread.
 */
final class Tally {
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();

    void add(long id) {
        count.incrementAndGet();
        sum.addAndGet(id);
    }

    long count() {
        return count.get();
    }

    long sum() {
        return sum.get();
    }

    boolean sameAs(long c, long s) {
        return count.get() == c && sum.get() == s;
    }

    @Override
    public String toString() {
        return count.get() + " (sum " + sum.get() + ")";
    }
}
