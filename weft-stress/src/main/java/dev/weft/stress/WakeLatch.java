package dev.weft.stress;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a blocking wait (a select, a driver's park) does in these tests, without blocking a
 * jcstress actor forever: it returns once a wake-up it has not consumed yet arrives, or once the
 * other actor has finished (then nothing can wake it any more: a real wait would last forever,
 * and the wait counts as {@link #NEVER_WOKEN}). Wake-ups are sticky, as {@code Selector.wakeup()}
 * is: one that comes before the wait makes it return at once. While it waits, the waiting thread
 * keeps every flag it set (as a thread really blocked would), so the other actor races with the
 * real state, not with a thread that already moved on.
 *
 * <p>The other actor never waits and marks itself done in a {@code finally}, so the wait ends; a
 * ten-second bound only keeps a badly preempted run from stalling ({@link #TIMED_OUT}: the other
 * actor had not finished, nothing can be concluded).
 */
final class WakeLatch {
    /** The wait ended because a wake-up arrived (before it or during it). */
    static final int WOKEN = 1;
    /** The other actor finished and no wake-up came: a real wait would never end. */
    static final int NEVER_WOKEN = 2;
    /** The other actor did not finish within ten seconds (preempted): no conclusion. */
    static final int TIMED_OUT = 3;
    private static final long BOUND_NANOS = 10_000_000_000L;

    private final AtomicInteger wakeups = new AtomicInteger();
    private volatile boolean otherDone;
    /** Wake-ups consumed so far; waiting thread only. */
    private int consumed;

    /** Any thread: a wake-up ({@code Selector.wakeup()}, {@code Driver.wakeup()}). */
    void wakeup() {
        wakeups.incrementAndGet();
    }

    /** Wake-ups so far. */
    int wakeups() {
        return wakeups.get();
    }

    /** The other actor: it has finished, so no wake-up can come from it any more. */
    void otherActorDone() {
        otherDone = true;
    }

    /** A look that does not wait ({@code selectNow}, {@code park(0)}): consumes a pending wake-up. */
    void poll() {
        consumed = wakeups.get();
    }

    /** A wait: {@link #WOKEN}, {@link #NEVER_WOKEN} or {@link #TIMED_OUT}. */
    int await() {
        long start = System.nanoTime();
        for (int spins = 0; ; spins++) {
            int w = wakeups.get();
            if (w != consumed) {
                consumed = w;
                return WOKEN;
            }
            if (otherDone) {
                // otherDone is written after the other actor's last wakeup(): read the count again
                w = wakeups.get();
                if (w != consumed) {
                    consumed = w;
                    return WOKEN;
                }
                return NEVER_WOKEN;
            }
            if ((spins & 1023) == 1023 && System.nanoTime() - start > BOUND_NANOS) {
                return TIMED_OUT;
            }
            Thread.onSpinWait();
        }
    }
}
