package dev.weft.bench.chaos;

import dev.weft.Poll;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The liveness monitor, on a platform thread of its own. Every ~100 ms it spawns a probe task on
 * the main runtime (alternately a poll task and a sequential task) that only records the time
 * and unparks this thread, and waits for it. {@code probe}: the probe completes within the
 * configured bound (2 s by default); a late one is a violation (and is then awaited before the
 * next, so one stall counts once). Each tick also {@linkplain Joins#scan scans} the waits in
 * flight for ones past their bound.
 */
final class Probe implements Runnable {
    private final World w;
    private volatile boolean stopped;
    private volatile long maxNanos;
    private final AtomicLong probes = new AtomicLong();
    private final java.util.List<String> dumps = new java.util.concurrent.CopyOnWriteArrayList<>();

    Probe(World w) {
        this.w = w;
    }

    void stop() {
        stopped = true;
    }

    long maxMillis() {
        return TimeUnit.NANOSECONDS.toMillis(maxNanos);
    }

    /** Thread dumps taken at the first late probe (for the report). */
    java.util.List<String> dumps() {
        return dumps;
    }

    long probes() {
        return probes.get();
    }

    @Override
    public void run() {
        long bound = w.cfg.probeBound().toNanos();
        long origin = System.nanoTime();
        long tick = origin;
        while (!stopped) {
            probeOnce(probes.incrementAndGet(), bound, origin);
            w.joins.scan();
            // The next tick is 100 ms after the last, never further than 100 ms from now. The park
            // may return early (a probe's unpark can land after its wait ended): park again.
            long now = System.nanoTime();
            tick = Math.min(tick + TimeUnit.MILLISECONDS.toNanos(100), now + TimeUnit.MILLISECONDS.toNanos(100));
            for (long left = tick - now; left > 0 && !stopped; left = tick - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
            tick = Math.max(tick, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private void probeOnce(long i, long bound, long origin) {
        Thread me = Thread.currentThread();
        AtomicLong doneAt = new AtomicLong();
        long start = System.nanoTime();
        try {
            if ((i & 1) == 0) {
                w.ledger.spawnFuture(w.main, "probe/poll", cx -> {
                    doneAt.set(System.nanoTime());
                    LockSupport.unpark(me);
                    return Poll.ready(null);
                });
            } else {
                w.ledger.spawn(w.main, "probe/seq", () -> {
                    doneAt.set(System.nanoTime());
                    LockSupport.unpark(me);
                    return null;
                });
            }
        } catch (IllegalStateException closed) {
            return;                                    // the run is ending
        }
        boolean late = false;
        while (doneAt.get() == 0) {
            long waited = System.nanoTime() - start;
            if (!late && waited > bound) {
                late = true;
                w.probe.fail("probe " + i + " (a " + ((i & 1) == 0 ? "poll" : "sequential") + " task spawned at +"
                        + TimeUnit.NANOSECONDS.toMillis(start - origin) + " ms) had not completed after "
                        + TimeUnit.NANOSECONDS.toMillis(waited) + " ms");
                if (dumps.isEmpty()) {
                    dumps.add("threads when probe " + i + " was late:\n" + HangGuard.dumpToString());
                }
            }
            if (stopped && late) {
                return;
            }
            w.joins.scan();
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(late ? 100 : 10));
        }
        long took = doneAt.get() - start;
        if (took > maxNanos) {
            maxNanos = took;
        }
        if (!late) {
            w.probe.pass();
        }
    }
}
