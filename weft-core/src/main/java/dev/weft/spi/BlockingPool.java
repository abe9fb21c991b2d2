package dev.weft.spi;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The elastic pool of platform threads behind {@link dev.weft.Runtime#spawnBlocking}.
 *
 * <p>Policy: a call is handed to an idle pool thread if one is waiting, else to a new thread while
 * fewer than {@code maxThreads} exist; when all {@code maxThreads} are busy it waits in a FIFO
 * queue, unbounded (a blocking call is never refused while the runtime is open; {@link #queued()}
 * shows the backlog). A thread idle for {@code keepAlive} exits. After {@link #shutdown()},
 * submissions throw {@link RejectedExecutionException}.
 *
 * <h2>Implementation notes</h2>
 * Lock-free, because runtime workers and the virtual threads they carry both submit here (see
 * {@link dev.weft.internal.SpinLock} for why they must never wait on a shared monitor):
 * {@link LinkedTransferQueue#tryTransfer} hands a call to a thread already waiting in
 * {@code poll}; otherwise a CAS on {@link #threads} either reserves a new thread (which runs the
 * call first) or, at the cap, the call is queued for the busy threads. A thread that times out
 * gives back its slot and then looks at the queue once more; a call queued at the cap looks at
 * the count after its offer and starts a thread if none is left (Dekker: either the leaving
 * thread sees the call or the caller sees the count), so no call is stranded
 * ({@code BlockingPoolTest}).
 */
public final class BlockingPool implements Executor {
    /** Cap and keep-alive of a blocking pool. */
    public record Settings(int maxThreads, long keepAliveNanos) {
        /** 512 threads, 10 seconds. */
        public static final Settings DEFAULT = new Settings(512, TimeUnit.SECONDS.toNanos(10));

        public Settings {
            if (maxThreads < 1) {
                throw new IllegalArgumentException("a blocking pool needs at least one thread, got " + maxThreads);
            }
            if (keepAliveNanos < 0) {
                throw new IllegalArgumentException("keep-alive must not be negative");
            }
        }
    }

    private final String name;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final LinkedTransferQueue<Runnable> queue = new LinkedTransferQueue<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean shutdown;

    public BlockingPool(String name, int maxThreads, long keepAliveNanos) {
        this.name = name;
        this.maxThreads = maxThreads;
        this.keepAliveNanos = Math.max(1, keepAliveNanos);
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException("blocking pool '" + name + "' is shut down: its runtime is closed");
        }
        if (queue.tryTransfer(command)) {
            return;
        }
        for (;;) {
            int t = threads.get();
            if (t >= maxThreads) {
                queue.offer(command);
                ensureDrainer();
                return;
            }
            if (threads.compareAndSet(t, t + 1)) {
                Thread.ofPlatform().name(name + "-" + started.incrementAndGet()).daemon(true).start(() -> work(command));
                return;
            }
        }
    }

    /**
     * After queueing at the cap: if every thread left meanwhile (a thread that timed out gives its
     * slot back, then looks at the queue; this call offers, then looks at the count: one of the
     * two sees the other), start one to drain the queue. Without this a call could wait with no
     * thread at all (issue 18, fault 4: {@code threads=0 queued=1}).
     */
    private void ensureDrainer() {
        for (;;) {
            int t = threads.get();
            if (t > 0 || shutdown || queue.isEmpty()) {
                return;
            }
            if (threads.compareAndSet(t, t + 1)) {
                Thread.ofPlatform().name(name + "-" + started.incrementAndGet()).daemon(true).start(() -> work(null));
                return;
            }
        }
    }

    private void work(Runnable first) {
        Runnable job = first != null ? first : next();
        while (job != null) {
            job.run();
            job = next();
        }
    }

    /** The next call, or null when this thread should exit (its slot already given back). */
    private Runnable next() {
        for (;;) {
            Runnable job;
            try {
                job = shutdown ? null : queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                continue;       // an interrupt aimed at a finished call: keep serving
            }
            if (job != null) {
                return job;
            }
            threads.decrementAndGet();
            if (shutdown || queue.isEmpty()) {
                return null;
            }
            // A call was queued while this thread was leaving: take the slot back if there is room.
            int t = threads.get();
            if (t >= maxThreads || !threads.compareAndSet(t, t + 1)) {
                return null;
            }
        }
    }

    /** Threads alive now. */
    public int threads() {
        return threads.get();
    }

    /** Calls waiting for a thread. */
    public int queued() {
        return queue.size();
    }

    /**
     * Refuses new calls and drops queued ones (their tasks were completed by the closing runtime);
     * idle threads are handed a no-op so that they look again and exit now, not after their
     * keep-alive (issue 18, fault 7: a pool thread outlived its runtime). One no-op per thread is
     * left in the queue rather than handed over: a thread that finished its call and read the
     * flag just before it was set reaches its {@code poll} only afterwards, and must find one
     * there (a hand-over would have found nobody waiting, and it would wait out its keep-alive).
     */
    public void shutdown() {
        shutdown = true;
        queue.clear();
        for (int i = threads.get(); i > 0; i--) {
            queue.offer(NO_OP);     // each thread that polls from now on runs one, sees the flag and exits
        }
    }

    private static final Runnable NO_OP = () -> { };
}
