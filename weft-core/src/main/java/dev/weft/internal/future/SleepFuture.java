package dev.weft.internal.future;

import dev.weft.Cancellable;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Waker;
import java.time.Duration;

/**
 * {@link Future#sleep}: ready once its deadline has passed. The deadline is fixed at the first
 * poll ({@code now + delay}); the timer belongs to the runtime doing that poll. One poller at a
 * time; {@link #drop()} may come from any thread.
 */
public final class SleepFuture implements Future<Void> {
    private final long delayNanos;
    private long deadline;
    private boolean started;
    private Waker registeredWaker;
    private volatile Cancellable timer;

    private SleepFuture(long delayNanos) {
        this.delayNanos = delayNanos;
    }

    public static SleepFuture after(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("sleep of a negative duration: " + delay);
        }
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE / 4;
        }
        return new SleepFuture(Math.min(nanos, Long.MAX_VALUE / 4));
    }

    @Override
    public Poll<Void> poll(Context cx) {
        long now = System.nanoTime();
        if (!started) {
            started = true;
            deadline = now + delayNanos;
        }
        if (now - deadline >= 0) {
            if (timer == null && !dev.weft.spi.Coop.proceed(cx)) {
                return Poll.pending();      // ready without waiting, but this task used its budget: yield once
            }
            drop();
            return Poll.ready(null);
        }
        Waker w = cx.waker();
        if (registeredWaker == null || !registeredWaker.willWake(w)) {
            Cancellable old = timer;
            if (old != null) {
                old.cancel();
            }
            registeredWaker = w;
            timer = Runtime.current().scheduleWake(deadline, w);
        }
        return Poll.pending();
    }

    @Override
    public void drop() {
        Cancellable t = timer;
        if (t != null) {
            timer = null;
            t.cancel();
        }
    }

    /** {@code sleep(100 ms, 42 ms left)}, for task dumps. */
    @Override
    public String toString() {
        String d = dev.weft.internal.TaskDump.millis(delayNanos);
        if (!started) {
            return "sleep(" + d + ", not started)";
        }
        long left = deadline - System.nanoTime();
        return "sleep(" + d + ", " + (left > 0 ? dev.weft.internal.TaskDump.millis(left) + " left" : "due") + ")";
    }
}
