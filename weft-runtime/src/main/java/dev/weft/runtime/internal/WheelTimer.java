package dev.weft.runtime.internal;

import dev.weft.Cancellable;
import dev.weft.Waker;
import java.util.ArrayList;
import dev.weft.internal.SpinLock;
import dev.weft.spi.Faults;

/**
 * A runtime's timer: a {@link TimerWheel} of wakers at 1 ms resolution, safe to use from any
 * thread, fired by the one thread that drives the runtime.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>The wheel is single-threaded; {@link #lock} guards it (a {@link SpinLock}, not a queued lock:
 *       virtual threads carried by the workers that fire timers insert timers too). Wakers are woken after the lock is
 *       released, so a waker that submits a task never runs under it.</li>
 *   <li>Deadlines are rounded <em>up</em> to the next millisecond tick and time <em>down</em>, so a
 *       timer never fires early and fires within about 1 ms after its deadline.</li>
 *   <li>{@link #fireExpired()} is called by one driver thread at a time (the runtime's loop or
 *       timer thread); {@link #fired} is its private scratch list.</li>
 * </ul>
 */
public final class WheelTimer {
    private static final long NANOS_PER_TICK = 1_000_000L;

    private final TimerWheel<Waker> wheel = new TimerWheel<>();
    private final SpinLock lock = new SpinLock();
    private final long origin = System.nanoTime();
    private final ArrayList<Waker> fired = new ArrayList<>();
    private final Runnable onNewEarliest;
    private final String where;
    private volatile long plannedWakeTick = Long.MAX_VALUE;
    /**
     * {@code wheel.size()} as of the last change, written under {@link #lock}: lets the workers'
     * periodic maintenance skip the timer entirely, without a lock, while no timer is pending.
     */
    private volatile int pending;

    /**
     * @param owner         names the runtime in fault reports
     * @param onNewEarliest called (outside the lock) when a timer is inserted that is due before
     *                      the driver's planned wake-up, so the driver can re-plan its park
     */
    public WheelTimer(String owner, Runnable onNewEarliest) {
        this.where = "a timer of runtime '" + owner + "' waking its waker";
        this.onNewEarliest = onNewEarliest;
    }

    /** Wakes {@code waker} once {@code System.nanoTime()} reaches {@code deadlineNanos}. */
    public Cancellable schedule(long deadlineNanos, Waker waker) {
        long tick = ceilTick(deadlineNanos);
        TimerWheel.Entry<Waker> entry;
        lock.lock();
        try {
            entry = wheel.insert(tick, waker);
            pending = wheel.size();
        } finally {
            lock.unlock();
        }
        if (tick < plannedWakeTick) {
            onNewEarliest.run();
        }
        return () -> {
            lock.lock();
            try {
                wheel.cancel(entry);
                pending = wheel.size();
            } finally {
                lock.unlock();
            }
        };
    }

    /**
     * Fires every due timer; returns how many. Called by the driver thread only. A waker that
     * throws is {@linkplain Faults reported} and the others still fire.
     */
    public int fireExpired() {
        long now = floorTick(System.nanoTime());
        lock.lock();
        try {
            if (wheel.nextDeadline() > now) {
                return 0;
            }
            wheel.advance(now, fired::add);
            pending = wheel.size();
        } finally {
            lock.unlock();
        }
        int n = fired.size();
        for (int i = 0; i < n; i++) {
            Waker w = fired.get(i);
            try {
                w.wake();
            } catch (Throwable t) {
                Faults.report(where, w, t);     // the other timers still fire; the driver goes on
            }
        }
        fired.clear();
        return n;
    }

    /**
     * The {@code System.nanoTime()} at which the earliest timer may be due, or
     * {@code Long.MAX_VALUE} if none; records it as the driver's planned wake-up so that an
     * earlier insert calls {@code onNewEarliest}.
     */
    public long planWake() {
        long tick;
        lock.lock();
        try {
            tick = wheel.nextDeadline();
        } finally {
            lock.unlock();
        }
        plannedWakeTick = tick;
        return tick == Long.MAX_VALUE ? Long.MAX_VALUE : origin + tick * NANOS_PER_TICK;
    }

    /** The driver is awake and will look at the timers again before it parks. */
    public void clearPlan() {
        plannedWakeTick = Long.MAX_VALUE;
    }

    /** True if a timer may be pending (a volatile read, no lock; exact as of the last change). */
    public boolean hasPending() {
        return pending != 0;
    }

    /** Timers pending. */
    public int size() {
        lock.lock();
        try {
            return wheel.size();
        } finally {
            lock.unlock();
        }
    }

    private long ceilTick(long nanos) {
        long rel = nanos - origin;
        if (rel <= 0) {
            return 0;
        }
        return (rel + NANOS_PER_TICK - 1) / NANOS_PER_TICK;
    }

    private long floorTick(long nanos) {
        long rel = nanos - origin;
        return rel <= 0 ? 0 : rel / NANOS_PER_TICK;
    }
}
