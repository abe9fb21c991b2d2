package dev.weft.runtime.internal;

import dev.weft.Cancellable;
import dev.weft.Waker;
import java.util.concurrent.locks.LockSupport;

/**
 * A platform thread that drives a {@link WheelTimer} for a runtime whose workers are not Weft's
 * (the JDK-default runtime): it parks until the next deadline or an earlier insert, and fires.
 */
public final class TimerThread {
    private final WheelTimer timer;
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean stopped;

    public TimerThread(String name) {
        this.timer = new WheelTimer(name, this::wake);
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        thread.start();
    }

    public Cancellable schedule(long deadlineNanos, Waker waker) {
        return timer.schedule(deadlineNanos, waker);
    }

    public void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    private void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        while (!stopped) {
            timer.fireExpired();
            parked = true;
            long wakeAt = timer.planWake();
            long delay = wakeAt - System.nanoTime();
            if (wakeAt == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else if (delay > 0) {
                LockSupport.parkNanos(this, delay);
            }
            parked = false;
            timer.clearPlan();
        }
    }
}
