package dev.weft.sync;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs two actions at the same moment, many rounds over: the tool for "cancel races with the
 * grant" tests. The calling thread runs the first action; one long-lived platform thread runs the
 * second. Each round the helper spins at a start line and both go as the round number changes, so
 * the two actions overlap within nanoseconds. Only two threads spin, so it works on two cores.
 */
final class Race implements AutoCloseable {
    private final AtomicInteger round = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread helper;
    private volatile Runnable second;
    private volatile boolean stop;

    Race() {
        helper = Thread.ofPlatform().daemon().name("racer").start(this::loop);
    }

    private void loop() {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (round.get() == seen) {
                if (stop) {
                    return;
                }
                if (++spins > 10_000) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            seen = round.get();
            try {
                second.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            finished.set(seen);
        }
    }

    /** Runs {@code a} here and {@code b} on the helper, at the same moment, and waits for both. */
    void run(Runnable a, Runnable b) {
        second = b;
        int r = round.incrementAndGet();
        a.run();
        while (finished.get() != r) {
            Thread.onSpinWait();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the racing action failed", t);
        }
    }

    @Override
    public void close() {
        stop = true;
    }
}
