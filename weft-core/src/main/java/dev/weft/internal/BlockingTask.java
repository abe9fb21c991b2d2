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
 * {@link InterruptedException} or a cancellation.
 */
public final class BlockingTask<T> extends TaskCore<T> implements Runnable {
    private final Callable<? extends T> body;
    private final Executor pool;
    private volatile Thread runner;

    public BlockingTask(AbstractRuntime runtime, String name, Callable<? extends T> body, Executor pool) {
        super(runtime, name, null);
        this.body = body;
        this.pool = pool;
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
            runner = null;
            Thread.interrupted();   // do not leak this task's cancellation to the pool thread's next job
        }
    }

    @Override
    public void cancel() {
        if (isDone() || cancelRequested) {
            return;
        }
        cancelRequested = true;
        Thread t = runner;
        if (t != null) {
            t.interrupt();      // a pool thread; a late interrupt after run() is cleared at its end
        }
    }

    @Override
    public Thread thread() {
        return runner;
    }
}
