package dev.weft.io.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes weft-io's warnings (leak reports, a failing leak listener) to the {@link System.Logger}
 * from one daemon platform thread per JVM, started on first use. Any thread may hand it a warning:
 * {@link #warn} never blocks and takes no lock.
 *
 * <p>Why a thread: the logger's default backend ({@code java.util.logging}) publishes under a
 * handler lock, and the console under the stream's lock. Leak reports come from
 * {@code BufPool.close()}, which tasks call on runtime workers and on the virtual threads they
 * carry; ARCHITECTURE.md decision 12 keeps those threads off such locks. Only this thread takes
 * them, and no worker waits for it.
 *
 * <h2>Implementation notes</h2>
 * Warnings go through a {@link ConcurrentLinkedQueue}; a writer then unparks the thread. The
 * thread polls until the queue is empty, then parks. No wake is lost: a permit given by
 * {@code unpark} before the thread parks makes that park return at once, and it polls again.
 */
public final class LeakLog {
    private record Warning(String logger, String message, Throwable thrown) { }

    private static final ConcurrentLinkedQueue<Warning> QUEUE = new ConcurrentLinkedQueue<>();
    private static final Thread WRITER = Thread.ofPlatform().daemon().name("weft-io-leak-log").start(LeakLog::run);

    private LeakLog() { }

    /**
     * Queues a warning for the logger named {@code logger}; it is written soon after, on the
     * {@code weft-io-leak-log} thread. Any thread; never blocks.
     *
     * @param thrown attached to the record (a stack trace), or null
     */
    public static void warn(String logger, String message, Throwable thrown) {
        QUEUE.add(new Warning(logger, message, thrown));
        LockSupport.unpark(WRITER);
    }

    /** The thread that writes the warnings (for tests). */
    public static Thread writer() {
        return WRITER;
    }

    private static void run() {
        for (;;) {
            Warning w = QUEUE.poll();
            if (w == null) {
                LockSupport.park();
                continue;
            }
            try {
                System.getLogger(w.logger()).log(System.Logger.Level.WARNING, w.message(), w.thrown());
            } catch (RuntimeException | Error e) {
                // a failing logger configuration must not stop the other warnings
            }
        }
    }
}
