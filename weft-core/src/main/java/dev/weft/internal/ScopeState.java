package dev.weft.internal;

import dev.weft.CancelledException;
import dev.weft.Future;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.spi.AbstractRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine of {@link dev.weft.TaskScope}.
 *
 * <h2>Implementation notes</h2>
 * {@link #children} holds the children still running (a concurrent set: children finish on any
 * thread). The failure record ({@link #failure}, {@link #delivered}) is guarded by {@link #lock}
 * (a {@link SpinLock}: children finish on workers and on virtual threads). The first child failure
 * creates the scope's {@link TaskFailedException}, and the children still running are cancelled
 * outside the lock; later failures are added to it as suppressed, under the lock. A child leaves
 * {@link #children} only after its failure is recorded, and registers before it looks at
 * {@link #closed}. The exception is thrown once to the owner: from the first join of a child that did
 * not succeed, else from {@link #join()} or {@link #close()}.
 */
public final class ScopeState {
    private final AbstractRuntime runtime;
    private final Set<TaskCore<?>> children = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final SpinLock lock = new SpinLock();
    private TaskFailedException failure;
    /** The child whose failure {@link #failure} records (guarded by the lock). */
    private TaskCore<?> failedChild;
    private boolean delivered;

    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    private final long id = IDS.incrementAndGet();
    /** The task that opened the scope, or null when a plain thread did ({@link #ownerPlainThread}). */
    private final TaskCore<?> owner;
    /** The plain thread that opened the scope, when no task did: only it takes the delivery. */
    private final Thread ownerPlainThread;

    public ScopeState(AbstractRuntime runtime) {
        this.runtime = runtime;
        this.owner = ExecutionContext.currentTaskOrNull();
        this.ownerPlainThread = owner == null ? Thread.currentThread() : null;
    }

    /** True if the caller is the scope's owner: the task that opened it, or the plain thread that did. */
    private boolean calledByOwner() {
        return owner != null ? ExecutionContext.currentTaskOrNull() == owner : Thread.currentThread() == ownerPlainThread;
    }

    /** A number unique in this process, in opening order (task dumps name the scope by it). */
    public long id() {
        return id;
    }

    /** The task that opened this scope, or null if a plain thread did. */
    public TaskCore<?> owner() {
        return owner;
    }

    /** Who opened the scope, for dumps: the task, or the plain thread's name. */
    public String ownerDescription() {
        return owner != null ? owner.kind().name().toLowerCase(java.util.Locale.ROOT) + " task '" + owner.name() + "' #" + owner.id()
                : "thread '" + ownerPlainThread.getName() + "'";
    }

    /** True once the owner left the scope's block (or called close). */
    public boolean isClosed() {
        return closed;
    }

    /** The children still running (a snapshot). */
    public List<TaskCore<?>> children() {
        return new ArrayList<>(children);
    }

    public AbstractRuntime runtime() {
        return runtime;
    }

    void register(TaskCore<?> child) {
        // Add, then look at closed; close() writes closed, then snapshots the children (Dekker):
        // either close cancels this child or this spawn sees the close and is refused.
        // A refused child was briefly a child, so close() may be waiting for it: it completes (as
        // cancelled, never started), which also removes it.
        children.add(child);
        if (closed) {
            child.cancelRequested = true;
            child.completeCancelled();
            throw new IllegalStateException("this TaskScope is closed: spawn children only inside its try block");
        }
    }

    void childFinished(TaskCore<?> child) {
        if (!child.failed()) {
            children.remove(child);
            return;
        }
        boolean first = record(child);
        // Removed only once its failure is recorded: whoever sees the child gone sees the failure.
        children.remove(child);
        if (first) {
            cancelSiblings();
        }
    }

    /**
     * Records {@code child}'s failure (once per child; idempotent): the scope's failure if it is
     * the first, a suppressed one otherwise. Returns true for the first. Called by the child's
     * completion, and by a join that sees the child failed before that completion got here (the
     * outcome is published first), so that the join and close() agree on one failure.
     */
    private boolean record(TaskCore<?> child) {
        lock.lock();
        try {
            if (failure == null) {
                failure = Failures.forScope(child, this, child.failure());
                failedChild = child;
                return true;
            }
            if (failedChild != child && !suppressedAlready(child.failure())) {
                // Throwable.addSuppressed takes the exception's monitor: under this spin lock it is
                // never contended between Weft threads (decision 12's named exception, see the rule test).
                failure.addSuppressed(child.failure());
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean suppressedAlready(Throwable t) {
        for (Throwable s : failure.getSuppressed()) {
            if (s == t) {
                return true;
            }
        }
        return false;
    }

    private void cancelSiblings() {
        for (TaskCore<?> sibling : new ArrayList<>(children)) {
            sibling.cancel();
        }
    }

    /** A join saw {@code child} failed: make sure the scope has recorded it (see {@link #record}). */
    void childSeenFailed(TaskCore<?> child) {
        if (record(child)) {
            cancelSiblings();
        }
    }

    public boolean isFailed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The scope's failure for a join of one of its children. Only the owner's join uses up the
     * single delivery (a task outside the scope that joins a child gets the failure too, but the
     * owner's close() still throws it: issue 18, fault 1).
     */
    TaskFailedException failureForJoin() {
        TaskFailedException f;
        boolean first = false;
        boolean owner = calledByOwner();
        lock.lock();
        try {
            if (owner) {
                first = !delivered;
                delivered = true;
            }
            f = failure;
        } finally {
            lock.unlock();
        }
        return first ? Failures.deliveredFromScope(f) : Failures.rethrown(f);
    }

    /** Waits for every child; throws the scope's failure if it was not thrown yet. */
    public void join() {
        awaitChildren(false);
        throwUndelivered();
    }

    /** Cancels the children still running, waits for them (shielded), then throws an undelivered failure. */
    public void close() {
        closed = true;
        for (TaskCore<?> child : new ArrayList<>(children)) {
            child.cancel();
        }
        // On a plain thread an interrupt cannot be deferred by a shield: set it aside for the wait
        // and restore it (a park returns at once for an interrupted thread: a busy loop otherwise).
        boolean plain = !(ExecutionContext.currentTaskOrNull() instanceof SeqTask<?> seq && seq.thread() == Thread.currentThread());
        boolean[] interrupted = {plain && Thread.interrupted()};
        try {
            Await.shielded(() -> {
                interrupted[0] |= awaitChildren(true);
                return null;
            });
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (interrupted[0]) {
                Thread.currentThread().interrupt();
            }
        }
        throwUndelivered();
    }

    /** Waits for every child; when {@code ignoreOutcome}, returns whether an interrupt arrived (it is cleared). */
    private boolean awaitChildren(boolean ignoreOutcome) {
        boolean interrupted = false;
        while (!children.isEmpty()) {
            for (TaskCore<?> child : new ArrayList<>(children)) {
                try {
                    Await.await(new DoneFuture(child));
                } catch (CancelledException e) {
                    if (!ignoreOutcome) {
                        throw e;
                    }
                    interrupted |= Thread.interrupted();   // a plain thread interrupted meanwhile: no busy loop
                }
            }
        }
        return interrupted;
    }

    private void throwUndelivered() {
        TaskFailedException f;
        lock.lock();
        try {
            if (failure == null || delivered) {
                return;
            }
            delivered = true;
            f = failure;
        } finally {
            lock.unlock();
        }
        throw Failures.deliveredFromScope(f);
    }

    /**
     * Ready when a task is done, whatever its outcome. It never polls the task as a future: that
     * would deliver (and so use up) the scope's failure inside the wait, and close() would then
     * return normally in a failed scope (issue 12 chaos finding, issue 18 fault 1).
     */
    private record DoneFuture(TaskCore<?> task) implements Future<Void> {
        @Override
        public dev.weft.Poll<Void> poll(dev.weft.Context cx) {
            return task.pollDone(cx) ? dev.weft.Poll.ready(null) : dev.weft.Poll.pending();
        }

        @Override
        public String toString() {
            return "the end of scope child '" + task.name() + "' #" + task.id();
        }
    }
}
