package dev.weft.spi;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The elastic pool of platform threads behind {@link dev.weft.Runtime#spawnBlocking}.
 *
 * <p>Policy: a call is handed to an idle pool thread if there is one, else to a new thread while
 * fewer than {@code maxThreads} exist; when all {@code maxThreads} are busy it waits in a FIFO
 * queue, unbounded (a blocking call is never refused while the runtime is open; {@link #queued()}
 * shows the backlog). A thread idle for {@code keepAlive} exits. After {@link #shutdown()},
 * submissions throw {@link RejectedExecutionException} and queued calls are dropped (their tasks
 * were cancelled by the runtime's close first).
 *
 * <h2>Implementation notes</h2>
 * Everything is guarded by this object's monitor: blocking calls are not a hot path, and a lock
 * keeps "idle threads", "signals in flight" and the queue consistent. {@link #signalled} counts
 * idle threads already notified but not yet awake, so two calls never count on the same idle
 * thread.
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
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private int threads;
    private int idle;
    private int signalled;
    private int started;
    private boolean shutdown;

    public BlockingPool(String name, int maxThreads, long keepAliveNanos) {
        this.name = name;
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAliveNanos;
    }

    @Override
    public synchronized void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException("blocking pool '" + name + "' is shut down: its runtime is closed");
        }
        queue.addLast(command);
        if (idle - signalled > 0) {
            signalled++;
            notify();
        } else if (threads < maxThreads) {
            threads++;
            started++;
            Thread.ofPlatform().name(name + "-" + started).daemon(true).start(this::work);
        }
    }

    private void work() {
        for (;;) {
            Runnable job;
            synchronized (this) {
                long deadline = System.nanoTime() + keepAliveNanos;
                while (queue.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (shutdown || left <= 0) {
                        threads--;
                        return;
                    }
                    idle++;
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        // an interrupt aimed at a finished job: ignore and keep serving
                    } finally {
                        idle--;
                        if (signalled > 0) {
                            signalled--;
                        }
                    }
                }
                job = queue.pollFirst();
            }
            job.run();
        }
    }

    /** Threads alive now. */
    public synchronized int threads() {
        return threads;
    }

    /** Calls waiting for a thread. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Refuses new calls, drops queued ones and lets idle threads exit. */
    public synchronized void shutdown() {
        shutdown = true;
        queue.clear();
        notifyAll();
    }
}
