package dev.weft.internal.stream;

import dev.weft.Backoff;

/**
 * {@link Backoff#exponential}: {@code min} after the first empty poll, doubling with each further
 * one up to {@code max}. The delay depends only on the miss count, which the poller resets on
 * each item, so an item brings it back to {@code min}. Stateless, so any thread may call it.
 */
public final class ExponentialBackoff implements Backoff {
    private final long minNanos;
    private final long maxNanos;

    public ExponentialBackoff(long minNanos, long maxNanos) {
        if (minNanos <= 0) {
            throw new IllegalArgumentException("exponential backoff: min must be positive, got " + minNanos + " ns");
        }
        if (maxNanos < minNanos) {
            throw new IllegalArgumentException(
                    "exponential backoff: max (" + maxNanos + " ns) must be at least min (" + minNanos + " ns)");
        }
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
    }

    @Override
    public long delayNanos(int misses) {
        int doublings = Math.clamp(misses - 1L, 0, 62);
        boolean beyondMax = minNanos > (maxNanos >> doublings);
        if (beyondMax) {
            return maxNanos;
        }
        return Math.min(maxNanos, minNanos << doublings);
    }
}
