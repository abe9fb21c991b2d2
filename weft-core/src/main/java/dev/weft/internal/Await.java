package dev.weft.internal;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting for a future from sequential code: poll, park until woken, poll again. In a sequential
 * task the park unmounts the virtual thread, so its carrier runs other tasks; on a plain thread
 * it blocks.
 *
 * <p>Cancellation: a cancelled sequential task (outside a shield) gets {@link CancelledException}
 * here, after the awaited future's {@link Future#drop()} ran. A plain thread that is interrupted
 * gets {@link CancelledException} too, with its interrupt status kept.
 */
public final class Await {
    private Await() { }

    public static <T> T await(Future<T> future) {
        java.util.Objects.requireNonNull(future, "future");
        Thread self = Thread.currentThread();
        TaskCore<?> task = ExecutionContext.currentTaskOrNull();
        checkNotInPoll(task, "Weft.await (or Task.join)");
        if (task instanceof SeqTask<?> seq && seq.thread() == self) {
            if (future == seq) {
                throw new IllegalStateException("task '" + seq.name() + "' cannot wait for itself");
            }
            return awaitInTask(future, seq);
        }
        return awaitOnThread(future, self);
    }

    /** Throws if the caller is inside a poll of a poll task, where {@code what} would block the worker. */
    public static void checkNotInPoll(String what) {
        checkNotInPoll(ExecutionContext.currentTaskOrNull(), what);
    }

    private static void checkNotInPoll(TaskCore<?> task, String what) {
        if (task instanceof PollTask<?> p) {
            throw new IllegalStateException(what + " was called inside a poll of poll task '"
                    + p.name() + "': a poll must never block its worker. Compose futures instead (map, then, "
                    + "Future.join, select), or run blocking-style code in a sequential task (Weft.spawn).");
        }
    }

    private static <T> T awaitInTask(Future<T> future, SeqTask<?> seq) {
        for (;;) {
            if (seq.cancelRequested && !seq.shielded()) {
                dropGuarded(future, seq);
                Thread.interrupted();
                throw seq.cancelledHere();
            }
            // A context per poll, dead once the poll returns: a parked task keeps none (16 bytes
            // per idle task; the future keeps the waker, which is the task itself).
            Context cx = new Context(seq);
            Poll<T> p = future.poll(cx);
            if (p.isReady()) {
                return p.value();
            }
            Lints.pendingPoll(seq, ContextMarks.takeWakerMark(cx), false);
            if (seq.budget <= 0) {
                // The resource was ready but the budget is spent (Coop): really yield the carrier
                // (a park would return at once, the task having woken itself), then go on.
                seq.selfWakes++;
                seq.yieldHere();
                seq.markRunning();
                continue;
            }
            seq.markIdle();
            seq.releaseCarrier();
            LockSupport.park(future);
            seq.holdCarrier();
            seq.markRunning();
            if (Thread.interrupted() && !seq.cancelRequested && !seq.shielded()) {
                dropGuarded(future, seq);
                throw new CancelledException("task '" + seq.name() + "' was interrupted while awaiting");
            }
        }
    }

    /**
     * Yields the calling thread: a sequential task lets its carrier run others meanwhile (also
     * where its runtime holds the carrier, {@link dev.weft.spi.CarrierGate}); a plain thread
     * calls {@link Thread#yield()}.
     */
    public static void yieldThread() {
        if (ExecutionContext.currentTaskOrNull() instanceof SeqTask<?> seq && seq.thread() == Thread.currentThread()) {
            seq.yieldHere();
        } else {
            Thread.yield();
        }
    }

    private static <T> T awaitOnThread(Future<T> future, Thread self) {
        Context cx = new Context(new ThreadWaker(self));
        for (;;) {
            Poll<T> p = future.poll(cx);
            if (p.isReady()) {
                return p.value();
            }
            LockSupport.park(future);
            if (self.isInterrupted()) {
                dropGuarded(future, null);
                throw new CancelledException(self + " was interrupted while awaiting");
            }
        }
    }

    /**
     * Drops a future whose waiter was cancelled: a drop that throws is {@linkplain
     * dev.weft.spi.Faults reported}, and the cancellation goes on (the task still ends cancelled).
     */
    static void dropGuarded(Future<?> future, TaskCore<?> task) {
        try {
            future.drop();
        } catch (Throwable t) {
            dev.weft.spi.Faults.report(task == null ? "a cancelled wait dropping its future"
                    : "cancelled task '" + task.name() + "' dropping its future", future, t);
        }
    }

    /** Runs {@code body} with cancellation deferred: awaits inside it are not cancelled. */
    public static <T> T shielded(Callable<T> body) throws Exception {
        TaskCore<?> task = ExecutionContext.currentTaskOrNull();
        if (!(task instanceof SeqTask<?> seq) || seq.thread() != Thread.currentThread()) {
            return body.call();
        }
        seq.enterShield();
        try {
            return body.call();
        } finally {
            seq.exitShield();
        }
    }

    /** Throws {@link CancelledException} if the calling sequential task was cancelled (outside a shield). */
    public static void checkCancelled() {
        TaskCore<?> task = ExecutionContext.currentTaskOrNull();
        if (task instanceof SeqTask<?> seq && seq.cancelRequested && !seq.shielded()) {
            Thread.interrupted();
            throw seq.cancelledHere();
        }
    }
}
