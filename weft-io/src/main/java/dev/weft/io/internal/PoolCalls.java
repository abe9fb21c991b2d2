package dev.weft.io.internal;

import dev.weft.CancelledException;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.Weft;
import dev.weft.internal.Await;
import dev.weft.internal.ExecutionContext;
import dev.weft.internal.SeqTask;
import dev.weft.internal.Spawner;
import dev.weft.internal.TaskCore;
import dev.weft.spi.AbstractRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * weft-io's blocking JDK calls ({@code FileChannel} calls, file opens and closes, host-name
 * lookups) run on the current runtime's blocking pool, never on a worker or on a task's own thread:
 * <ul>
 *   <li>a Weft worker, unlike the JDK's own scheduler, does not make up for a carrier blocked in a
 *       system call, so a blocking call on a task's thread stalls every task queued behind it;</li>
 *   <li>an interrupt that reaches a thread inside a {@code FileChannel} call closes the channel
 *       for every user ({@code ClosedByInterruptException}, then {@code ClosedChannelException}),
 *       and cancelling a sequential task interrupts its thread.</li>
 * </ul>
 * The pool task is <em>uninterruptible</em> ({@code BlockingTask}): cancelling it skips a call not
 * started yet and never interrupts one that runs. A caller cancelled while it waits waits on,
 * shielded, until the pool thread is done (so a buffer the call uses is free when the caller
 * throws), then throws {@link CancelledException}.
 */
public final class PoolCalls {
    private PoolCalls() { }

    /**
     * Starts {@code call} on the current runtime's blocking pool as an uninterruptible task. A
     * runtime that is closing still takes calls until its pool stops (after the close grace), so
     * the cleanup of cancelled tasks (closing a file, a listener) can still use it.
     *
     * @throws IllegalStateException outside a runtime
     * @throws java.util.concurrent.RejectedExecutionException once the runtime's pool has stopped
     */
    public static <T> Task<T> start(Callable<? extends T> call) {
        AbstractRuntime rt = ExecutionContext.currentRuntime();
        return Spawner.blocking(rt, "weft-io-blocking", call, false);
    }

    /**
     * Runs {@code call} on the blocking pool and parks until it is done; its result, or its
     * exception ({@link IOException}s and unchecked exceptions as they are).
     *
     * <p>Cancelled while waiting: waits on, shielded, until the pool thread is done; a result that
     * arrives then is handed to {@code abandoned} (to close what the call opened; may be null);
     * then throws {@link CancelledException}.
     */
    public static <T> T call(Callable<? extends T> call, Consumer<? super T> abandoned) throws IOException {
        Task<T> op = start(call);
        try {
            return Weft.await(op);
        } catch (CancelledException cancelled) {
            T late = awaitShielded(op);
            if (late != null && abandoned != null) {
                abandoned.accept(late);
            }
            throw cancelled;
        } catch (TaskFailedException failed) {
            throw unwrap(failed);
        }
    }

    /**
     * {@link #call}, shielded from cancellation: for a call that must complete (a close). A
     * cancellation that comes meanwhile takes effect at the caller's next await.
     */
    public static <T> T callShielded(Callable<? extends T> call) throws IOException {
        try {
            return Await.shielded(() -> call(call));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** {@link #call} without a hand-off for late results. */
    public static <T> T call(Callable<? extends T> call) throws IOException {
        return call(call, null);
    }

    /**
     * Waits, shielded from cancellation, until {@code op} is done: its value, or null if it failed
     * or was cancelled. For a cancelled caller that must not return while the pool thread still
     * uses its buffer or channel.
     */
    public static <T> T awaitShielded(Task<T> op) {
        if (op == null) {
            return null;
        }
        return Weft.shielded(() -> {
            for (;;) {
                try {
                    return Weft.await(op);
                } catch (RuntimeException notAValue) {
                    if (op.isDone()) {
                        return null;    // failed or skipped: nothing to hand back, and the call has ended
                    }
                    // a plain thread's await gave up (interrupted): wait on
                }
            }
        });
    }

    /**
     * True if the calling thread may park in {@link #call}: a sequential task's own thread, or
     * another virtual thread of a runtime (one started inside a task). A poll, a runtime's worker
     * or driving thread between polls, and a thread outside any runtime cannot.
     */
    public static boolean canPark() {
        if (ExecutionContext.currentRuntimeOrNull() == null) {
            return false;
        }
        TaskCore<?> task = ExecutionContext.currentTaskOrNull();
        if (task instanceof SeqTask<?> seq) {
            return seq.thread() == Thread.currentThread();
        }
        return task == null && Thread.currentThread().isVirtual();
    }

    /** The checked exception of a failed pool call, or its unchecked exception as it is. */
    private static IOException unwrap(TaskFailedException failed) {
        Throwable cause = failed.getCause();
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof UncheckedIOException uio) {
            return uio.getCause();
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        throw failed;
    }
}
