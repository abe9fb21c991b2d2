package dev.weft.internal.stream;

import dev.weft.Backoff;
import java.util.function.LongSupplier;

/**
 * {@link Backoff#adaptive()}: learns the interval between the source's items and polls just
 * before the next one is due.
 *
 * <p><b>Policy.</b>
 * <ul>
 *   <li><em>Arrival estimate.</em> An item seen right after an empty poll arrived somewhere
 *       between that poll and now: its arrival is taken as the midpoint. An item seen with no
 *       empty poll since the previous one (a backlog) arrived at the latest now.</li>
 *   <li><em>Interval.</em> An exponentially weighted moving average (weight 1/4 for the newest)
 *       of the gaps between arrivals. A gap longer than two intervals plus a step means the
 *       source paused or slowed down: the estimate starts over.</li>
 *   <li>Without an estimate (fewer than two items): exponential, 1 ms doubling to 50 ms.</li>
 *   <li>A <em>step</em> is {@code interval / 8}, at least 1 ms (the runtime timer's
 *       resolution).</li>
 *   <li>First miss after an item: wait until one step before the next item is due
 *       ({@code lastArrival + interval - step - now}). Aiming exactly at the due time would add
 *       the poller's own lateness at every item and drift off the source's phase.</li>
 *   <li>Later misses, until the item is two intervals late: one step each.</li>
 *   <li>Past two intervals the source seems to have stopped: wait as long as it has already been
 *       overdue (at least one step), so the delay doubles with each poll.</li>
 * </ul>
 * Every delay is clamped to [1 ms, 1 s].
 *
 * <p><b>Bound.</b> While the source keeps its rhythm (items one interval apart, give or take less
 * than a step), the poller sees each item within one step ({@code max(1 ms, interval / 8)}, the
 * interval being the learned one) after it arrived, plus the lateness of the timer that wakes
 * the poll. {@link PollFnStream} spaces consecutive polls from the previous deadline, so that
 * lateness does not accumulate; Weft's runtimes fire a timer within one 1 ms tick of its
 * deadline (plus the wake-up of the thread). So for a camera at 200 frames/s (interval 5 ms,
 * step 1 ms) the bound is 2 ms; {@code ./weft bench cameras} measures it ({@code BENCHMARKS.md}).
 * The cost is two to five empty polls per item. After a pause longer than two intervals the wait
 * can grow to 1 s.
 *
 * <p>Belongs to one stream, whose single poller calls it; not thread-safe.
 */
public final class AdaptiveBackoff implements Backoff {
    private static final long MIN_DELAY_NANOS = 1_000_000L;
    private static final long MAX_DELAY_NANOS = 1_000_000_000L;
    private static final Backoff WARM_UP = new ExponentialBackoff(MIN_DELAY_NANOS, 50_000_000L);

    private final LongSupplier clock;
    private int itemsSeen;
    private long lastArrivalNanos;
    private long intervalNanos;
    private boolean missedSinceItem;
    private long lastMissNanos;

    /** An adaptive backoff on {@link System#nanoTime()}. */
    public AdaptiveBackoff() {
        this(System::nanoTime);
    }

    /** An adaptive backoff that reads the time, in nanoseconds, from {@code clock}: for tests. */
    public AdaptiveBackoff(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void onItem(long nanoTime) {
        long arrival = nanoTime;
        if (missedSinceItem) {
            arrival = lastMissNanos + (nanoTime - lastMissNanos) / 2;
        }
        long gap = Math.max(0, arrival - lastArrivalNanos);
        if (itemsSeen == 0) {
            itemsSeen = 1;
        } else if (itemsSeen == 1) {
            intervalNanos = gap;
            itemsSeen = 2;
        } else if (gap > 2 * intervalNanos + step()) {
            itemsSeen = 1;
        } else {
            intervalNanos += (gap - intervalNanos) / 4;
        }
        lastArrivalNanos = arrival;
        missedSinceItem = false;
    }

    @Override
    public long delayNanos(int misses) {
        long now = clock.getAsLong();
        missedSinceItem = true;
        lastMissNanos = now;
        if (itemsSeen < 2) {
            return WARM_UP.delayNanos(misses);
        }
        long sinceArrival = now - lastArrivalNanos;
        long delay;
        if (misses <= 1) {
            delay = intervalNanos - sinceArrival - step();
        } else {
            long overdue = sinceArrival - 2 * intervalNanos;
            delay = Math.max(step(), overdue);
        }
        return Math.clamp(delay, MIN_DELAY_NANOS, MAX_DELAY_NANOS);
    }

    private long step() {
        return Math.clamp(intervalNanos / 8, MIN_DELAY_NANOS, MAX_DELAY_NANOS);
    }
}
