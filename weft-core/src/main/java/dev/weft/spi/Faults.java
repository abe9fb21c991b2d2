package dev.weft.spi;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Where a runtime reports code that failed outside any task: a {@link dev.weft.Waker} that threw
 * when a timer fired or a task completed, a driver whose {@code park} threw, a ready listener, a
 * watchdog hook, a future's {@code drop()} that threw while its task was cancelled. The runtime
 * catches the exception, reports it here once, and goes on: a worker never dies of someone
 * else's exception.
 *
 * <p>Every fault is logged to the {@link System.Logger} {@code dev.weft.faults} at {@code WARNING}
 * (what threw, where, on which thread, with its stack trace), and passed to each
 * {@linkplain #addListener listener}. Both happen on the reporter thread {@code weft-faults}, never
 * on the thread that caught the fault: the JDK's logging handlers and {@code PrintStream} take
 * monitors, which a runtime's worker must not wait on (ARCHITECTURE.md, decision 12).
 *
 * {@snippet class="dev.weft.snippets.RuntimeSnippets" region="faults"}
 *
 * <h2>Implementation notes</h2>
 * {@link #report} is lock-free: a {@link ConcurrentLinkedQueue} offer, a counter increment and,
 * if the reporter thread is parked, an unpark. The reporter thread (a daemon platform thread,
 * started on first use) drains the queue; it sets {@link #reporterParked} before its last look at
 * the queue and a reporter reads it after its offer (Dekker), so no fault waits in the queue while
 * the thread sleeps. Listeners are a copy-on-write list: adding one copies, reporting reads.
 */
public final class Faults {
    /** One fault: where it happened, what threw it, on which thread. */
    public record Fault(String where, String culprit, Throwable error, String thread) {
        public Fault {
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String toString() {
            return "weft fault in " + where + (culprit == null ? "" : " (" + culprit + ")") + " on " + thread + ": " + error;
        }
    }

    private static final ConcurrentLinkedQueue<Fault> QUEUE = new ConcurrentLinkedQueue<>();
    private static final CopyOnWriteArrayList<Consumer<? super Fault>> LISTENERS = new CopyOnWriteArrayList<>();
    private static final AtomicLong REPORTED = new AtomicLong();
    private static final Thread REPORTER;
    private static volatile boolean reporterParked;

    static {
        REPORTER = Thread.ofPlatform().name("weft-faults").daemon(true).unstarted(Faults::drainForever);
        REPORTER.start();
    }

    private Faults() { }

    /**
     * Reports that {@code error} escaped code the runtime called from {@code where} (for example
     * "timer of runtime 'weft'"); {@code culprit} names the object whose code threw (its
     * {@code toString()} is taken now, guarded), or is null. Never blocks, never throws.
     */
    public static void report(String where, Object culprit, Throwable error) {
        String who = null;
        if (culprit != null) {
            try {
                who = culprit.getClass().getName() + ": " + culprit;
            } catch (Throwable t) {
                who = culprit.getClass().getName() + " (its toString() threw " + t + ")";
            }
        }
        QUEUE.offer(new Fault(where, who, error == null ? new NullPointerException("null fault") : error,
                Thread.currentThread().toString()));
        REPORTED.incrementAndGet();
        if (reporterParked) {
            LockSupport.unpark(REPORTER);
        }
    }

    /** How many faults were reported in this JVM. */
    public static long reported() {
        return REPORTED.get();
    }

    /**
     * Adds a listener told of every fault reported from now on, on the reporter thread; closing
     * the returned handle removes it. A listener that throws is logged and kept.
     */
    public static AutoCloseable addListener(Consumer<? super Fault> listener) {
        Objects.requireNonNull(listener, "listener");
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    private static void drainForever() {
        System.Logger log = System.getLogger("dev.weft.faults");
        for (;;) {
            Fault f = QUEUE.poll();
            if (f == null) {
                reporterParked = true;           // before the last look: pairs with report()
                if (QUEUE.isEmpty()) {
                    LockSupport.park(Faults.class);
                }
                reporterParked = false;
                continue;
            }
            try {
                log.log(System.Logger.Level.WARNING, f.toString(), f.error());
            } catch (Throwable ignored) {
                // a broken logging configuration must not stop the listeners
            }
            for (Consumer<? super Fault> l : LISTENERS) {
                try {
                    l.accept(f);
                } catch (Throwable t) {
                    try {
                        log.log(System.Logger.Level.WARNING, "a weft fault listener threw", t);
                    } catch (Throwable ignored) {
                        // nothing left to tell
                    }
                }
            }
        }
    }
}
