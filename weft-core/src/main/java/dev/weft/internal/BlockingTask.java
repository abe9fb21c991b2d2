package dev.weft.internal;

import dev.weft.Task;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A blocking call on a runtime's blocking pool (platform threads). Cancelling it before it starts
 * skips the body; cancelling it while it runs interrupts the pool thread (the body decides what
 * an interrupt means) and the task completes as cancelled only if the body then throws
 * {@link InterruptedException} or a cancellation. An <em>uninterruptible</em> task (for bodies
 * that an interrupt would harm: a {@code FileChannel} call closes the channel for every user when
 * its thread is interrupted) is never interrupted: cancelled while it runs, it runs to its end.
 *
 * <p>An interrupt reaches the pool thread only while it still runs this task's body: delivery and
 * the end of {@link #run()} are serialised by {@link #runnerLock}, and the end clears what was
 * delivered. Without that, a cancel that read {@link #runner} just before the body returned could
 * interrupt the thread in its next job (another task's body, perhaps an uninterruptible one).
 */
public final class BlockingTask<T> extends TaskCore<T> implements Runnable {
    private final Callable<? extends T> body;
    private final Executor pool;
    private final boolean interruptible;
    /** Guards {@link #runner} against an interrupt in flight when the body ends (sections: a field write, or one interrupt). */
    private final SpinLock runnerLock = new SpinLock();
    private volatile Thread runner;

    public BlockingTask(AbstractRuntime runtime, String name, Callable<? extends T> body, Executor pool) {
        this(runtime, name, body, pool, true);
    }

    public BlockingTask(AbstractRuntime runtime, String name, Callable<? extends T> body, Executor pool, boolean interruptible) {
        super(runtime, name, null);
        this.body = body;
        this.pool = pool;
        this.interruptible = interruptible;
    }

    @Override
    public Task.Kind kind() {
        return Task.Kind.BLOCKING;
    }

    @Override
    public void start() {
        try {
            pool.execute(this);
        } catch (RejectedExecutionException e) {
            cancelRequested = true;
            completeCancelled();
            throw e;
        }
    }

    @Override
    public void run() {
        if (cancelRequested) {
            completeCancelled();
            return;
        }
        runner = Thread.currentThread();
        state = S_RUNNING;
        polls++;
        try {
            T v = body.call();
            complete(v);
        } catch (Throwable t) {
            if (cancelRequested && (t instanceof InterruptedException || t instanceof CancellationException)) {
                completeCancelled();
            } else {
                completeFailed(t);
            }
        } finally {
            runnerLock.lock();      // waits out an interrupt being delivered now, so the next line clears it
            runner = null;
            runnerLock.unlock();
            Thread.interrupted();   // do not leak this task's cancellation to the pool thread's next job
        }
    }

    @Override
    public void cancel() {
        if (isDone() || cancelRequested) {
            return;
        }
        cancelRequested = true;
        interruptRunner();
    }

    /** Interrupts the pool thread if it still runs this task's body (and the task is interruptible). */
    private void interruptRunner() {
        if (!interruptible) {
            return;
        }
        runnerLock.lock();
        try {
            Thread t = runner;
            if (t != null) {
                t.interrupt();
            }
        } finally {
            runnerLock.unlock();
        }
    }

    @Override
    public Thread thread() {
        return runner;
    }
}
