package dev.weft.bench.chaos;

import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every wait of the harness on other work (a join, a scope's close, a timeout's return, a
 * runtime's close) is registered here while it waits, so that one that exceeds its bound is a
 * violation of {@code joins-bounded} even if it never returns: {@link #scan()}, called every
 * ~100 ms by the monitor thread, flags waits older than the bound, and {@link #end} flags one
 * that returned late. Each wait is counted once.
 *
 * <p>The bound is the longest close grace of any runtime in the run plus 5 s: no task in the
 * harness is meant to live longer than its runtime's close grace after its owner stops waiting,
 * and every wait has an owner that stops.
 *
 * <p>Lock-free ({@link ConcurrentSkipListMap}, atomics): {@link #begin} and {@link #end} run in
 * tasks on Weft workers (decision 12).
 */
final class Joins {
    private record Pending(String what, long startNanos, AtomicBoolean flagged) { }

    private final long boundNanos;
    private final Invariant bounded;
    private final AtomicLong tokens = new AtomicLong();
    private final ConcurrentSkipListMap<Long, Pending> inFlight = new ConcurrentSkipListMap<>();

    Joins(long boundNanos, Invariant bounded) {
        this.boundNanos = boundNanos;
        this.bounded = bounded;
    }

    long boundNanos() {
        return boundNanos;
    }

    /** Registers a wait that starts now; pass the token to {@link #end}. */
    long begin(String what) {
        long token = tokens.incrementAndGet();
        inFlight.put(token, new Pending(what, System.nanoTime(), new AtomicBoolean()));
        return token;
    }

    /** The wait ended (whichever way): counts it, and flags it if it took longer than the bound. */
    void end(long token) {
        Pending p = inFlight.remove(token);
        if (p == null) {
            return;
        }
        long took = System.nanoTime() - p.startNanos;
        if (p.flagged.get()) {
            return;                                   // already counted, as a violation, by scan()
        }
        if (took > boundNanos && p.flagged.compareAndSet(false, true)) {
            bounded.fail(p.what + " returned after " + TimeUnit.NANOSECONDS.toMillis(took) + " ms (bound "
                    + TimeUnit.NANOSECONDS.toMillis(boundNanos) + " ms)");
        } else {
            bounded.pass();
        }
    }

    /** Flags every wait that has been going on for longer than the bound (each once). */
    void scan() {
        long now = System.nanoTime();
        for (Pending p : inFlight.values()) {
            if (now - p.startNanos > boundNanos && p.flagged.compareAndSet(false, true)) {
                bounded.fail(p.what + " still waiting after " + TimeUnit.NANOSECONDS.toMillis(now - p.startNanos)
                        + " ms (bound " + TimeUnit.NANOSECONDS.toMillis(boundNanos) + " ms)");
            }
        }
    }

    /** Waits in flight now (for the final report). */
    int inFlight() {
        return inFlight.size();
    }
}
