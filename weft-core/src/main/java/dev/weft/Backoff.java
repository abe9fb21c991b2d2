package dev.weft;

import dev.weft.internal.stream.AdaptiveBackoff;
import dev.weft.internal.stream.ExponentialBackoff;
import java.time.Duration;

/**
 * How long {@link Stream#fromPoll} (or {@link Future#fromPoll}) waits after its poll function
 * found nothing: the timer kind of {@link PollTrigger}. The wait is a timer on the current
 * runtime, so the thread runs other tasks meanwhile. A backoff is stateful and belongs to one
 * stream: make a new one per stream. When the source can say when it has something, a
 * {@link WakeSignal} needs no timer at all.
 *
 * <ul>
 *   <li>{@link #fixed} — always the same delay: the heartbeat of Grace's story.</li>
 *   <li>{@link #exponential} — doubling from a minimum to a maximum, reset by each item.</li>
 *   <li>{@link #adaptive()} — learns the source's item interval and polls just after the next
 *       item is due, then at short steps until it comes: few empty polls, low delay.</li>
 * </ul>
 */
public non-sealed interface Backoff extends PollTrigger {

    /**
     * The delay before the next poll, in nanoseconds, after {@code misses} empty polls in a row
     * (1 for the first).
     */
    long delayNanos(int misses);

    /** Told when the poll function returned an item, at {@code nanoTime}. The default ignores it. */
    default void onItem(long nanoTime) { }

    /** Always {@code delay}. */
    static Backoff fixed(Duration delay) {
        long nanos = delay.toNanos();
        if (nanos <= 0) {
            throw new IllegalArgumentException("a backoff delay must be positive, got " + delay);
        }
        return misses -> nanos;
    }

    /** {@code min}, doubling after each empty poll up to {@code max}; back to {@code min} after an item. */
    static Backoff exponential(Duration min, Duration max) {
        return new ExponentialBackoff(min.toNanos(), max.toNanos());
    }

    /** Adapts to the observed item interval; see the class description. */
    static Backoff adaptive() {
        return new AdaptiveBackoff();
    }
}
