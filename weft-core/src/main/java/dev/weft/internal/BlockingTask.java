package dev.weft.internal;

import dev.weft.Task;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A blocking call on a runtime's blocking pool (platform threads). Cancelling it before a pool
 * thread takes it completes it at once, as cancelled, and the body never runs; cancelling it while it runs interrupts the pool thread (the body decides what
 * an interrupt means) and the task completes as cancelled only if the body then throws
 * {@link InterruptedException} or a cancellation. An <em>uninterruptible</em> task (for bodies
 * that an interrupt would harm: a {@code FileChannel} call closes the channel for every user when
 * its thread is interrupted) is never interrupted: cancelled while it runs, it runs to its end.
 *
 * <h2>Implementation notes</h2>
 * The interrupt must reach this call's body and never the pool thread's next job. {@link #phase}
 * (CAS'd) orders them, as {@code ThreadPoolExecutor}'s worker lock does: a cancel interrupts only
 * after moving {@code RUNNING → INTERRUPTING}, and sets {@code INTERRUPTED} when the interrupt has
 * landed; the body's end moves {@code RUNNING → FINISHED}, or, finding a cancel mid-interrupt,
 * waits for {@code INTERRUPTED} (a few instructions) and then clears the interrupt status, so the
 * pool thread starts its next job clean. Tested by {@code BlockingTaskInterruptTest}.
 */
public final class BlockingTask<T> extends TaskCore<T> implements Runnable {
    private static final int NOT_STARTED = 0;
    private static final int RUNNING = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;
    private static final int FINISHED = 4;
    /** Cancelled before a pool thread took it: completed by the cancel; the run skips it. */
    private static final int SKIPPED = 5;
    private static final java.lang.invoke.VarHandle PHASE;

    static {
        try {
            PHASE = java.lang.invoke.MethodHandles.lookup().findVarHandle(BlockingTask.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Callable<? extends T> body;
    private final Executor pool;
    private final boolean interruptible;
    private volatile Thread runner;
    @SuppressWarnings("unused") // through PHASE
    private volatile int phase;

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
        if (!PHASE.compareAndSet(this, NOT_STARTED, RUNNING)) {   // a cancel that read RUNNING then sees runner
            runner = null;              // SKIPPED: the cancel completed it while it waited in the queue
            return;
        }
        enter(S_RUNNING);
        polls++;
        if (cancelRequested) {          // a cancel that read NOT_STARTED did not interrupt: honour it here
            finishRun();                // (one that read RUNNING may be interrupting: wait for it, clear it)
            completeCancelled();
            return;
        }
        try {
            T v = body.call();
            finishRun();
            complete(v);
        } catch (Throwable t) {
            finishRun();
            if (cancelRequested && (t instanceof InterruptedException || t instanceof CancellationException)) {
                completeCancelled();
            } else {
                completeFailed(t);
            }
        }
    }

    /** Ends the body's claim on the thread: no interrupt for this call can land after this returns. */
    private void finishRun() {
        if (!PHASE.compareAndSet(this, RUNNING, FINISHED)) {
            while ((int) PHASE.getVolatile(this) == INTERRUPTING) {
                Thread.onSpinWait();    // a cancel is between its CAS and its interrupt
            }
            phase = FINISHED;
        }
        runner = null;
        Thread.interrupted();           // this call's interrupt, if any, is not the next job's
    }

    @Override
    public void cancel() {
        if (isDone() || cancelRequested) {
            return;
        }
        cancelRequested = true;         // volatile, then the phase: pairs with run()'s phase write then re-check
        if (PHASE.compareAndSet(this, NOT_STARTED, SKIPPED)) {
            // Still queued for a pool thread: complete it now, so a join does not wait behind the
            // calls ahead of it, and a closing runtime need not wait either (issue 18, fault 4).
            completeCancelled();
            return;
        }
        if (interruptible && PHASE.compareAndSet(this, RUNNING, INTERRUPTING)) {
            try {
                runner.interrupt();
            } finally {
                phase = INTERRUPTED;
            }
        }
    }

    @Override
    public Thread thread() {
        return runner;
    }
}
