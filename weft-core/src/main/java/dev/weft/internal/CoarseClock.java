package dev.weft.internal;

/**
 * A millisecond clock that costs one volatile read: what the task record stamps its state
 * changes with. {@code System.nanoTime()} costs 35-44 ns on the machines this was measured on,
 * more than a whole poll of a yielding task, so the hot paths never read it; a daemon thread
 * ({@code weft-clock}) refreshes this clock every {@value #TICK_MILLIS} ms instead, started by
 * the first runtime. It does nothing else, so that no other work can hold the time still
 * ({@link Housekeeping} has its own thread).
 *
 * <h2>Implementation notes</h2>
 * {@link #now} is written by the clock thread only (volatile store) and read anywhere. A stamp
 * is at most one tick (plus the thread's scheduling delay) behind the true time; a duration
 * summed from many stamps is unbiased, since the tick's phase is independent of the events.
 * Values are milliseconds since this class was loaded, as an int: durations are computed by int
 * subtraction, correct up to 24 days.
 */
public final class CoarseClock {
    /** How often the clock thread refreshes {@link #now}, in milliseconds. */
    public static final int TICK_MILLIS = 5;
    private static final long ORIGIN = System.nanoTime();
    private static volatile int now;
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    private CoarseClock() { }

    /** The coarse time: milliseconds since the origin, at most a tick or so behind. */
    public static int now() {
        return now;
    }

    /** The precise time in the same unit as {@link #now()} (a {@code nanoTime} read: not for hot paths). */
    public static int preciseNow() {
        return (int) ((System.nanoTime() - ORIGIN) / 1_000_000);
    }

    /** Starts the clock thread if it is not running; cheap after the first call. */
    public static void start() {
        if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
            return;
        }
        now = preciseNow();
        Thread t = Thread.ofPlatform().name("weft-clock").daemon().unstarted(CoarseClock::tick);
        t.start();
        Housekeeping.start();
    }

    private static void tick() {
        for (;;) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                // nobody should interrupt it; keep ticking
            }
            now = preciseNow();
        }
    }
}
