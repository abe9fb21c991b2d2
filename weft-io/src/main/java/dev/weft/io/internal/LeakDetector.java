package dev.weft.io.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * One daemon platform thread per JVM, started on first use, that receives the
 * {@link LeakTracker}s of buffers that became unreachable while taken and hands each to its pool.
 *
 * <p>Why not {@link java.lang.ref.Cleaner}: registering with a Cleaner enters a monitor
 * ({@code CleanerImpl.CleanableList.insert} is {@code synchronized}), and {@code take()} runs on
 * runtime workers and on the virtual threads they carry: ARCHITECTURE.md decision 12 forbids that.
 * Here registering is only the {@link java.lang.ref.PhantomReference} constructor; the queue's lock
 * is taken by the JVM's reference handler and this thread only.
 */
public final class LeakDetector {
    private static final ReferenceQueue<Lease> QUEUE = new ReferenceQueue<>();

    static {
        Thread.ofPlatform().daemon().name("weft-io-leak-detector").start(LeakDetector::run);
    }

    private LeakDetector() { }

    static ReferenceQueue<Lease> queue() {
        return QUEUE;
    }

    private static void run() {
        for (;;) {
            try {
                Reference<? extends Lease> ref = QUEUE.remove();
                if (ref instanceof LeakTracker t) {
                    try {
                        t.pool.collected(t);
                    } catch (RuntimeException | Error e) {
                        // a listener failed: keep watching the other buffers
                        LeakLog.warn(LeakDetector.class.getName(), "leak report failed", e);
                    }
                }
            } catch (InterruptedException e) {
                // a daemon thread: nobody interrupts it on purpose; keep going
            }
        }
    }
}
