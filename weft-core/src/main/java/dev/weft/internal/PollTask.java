package dev.weft.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.spi.AbstractRuntime;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A poll task: a {@link Future} that a runtime's workers poll. The task is its own
 * {@link Waker} and its own {@link Runnable} (one poll per run), so spawning allocates the task,
 * its context and nothing per poll or per wake.
 *
 * <h2>Implementation notes</h2>
 * The run state is one int, changed by CAS:
 * <pre>
 *   IDLE ──wake──▶ SCHEDULED ──run──▶ RUNNING ──pending──▶ IDLE
 *                                        │  └─wake─▶ NOTIFIED ──pending──▶ SCHEDULED (re-queued)
 *                                        ├──own wake, then pending──▶ SCHEDULED (re-queued; from
 *                                        │      RUNNING or NOTIFIED, by a release store)
 *                                        └──ready/throw/cancel──▶ COMPLETE
 * </pre>
 * <ul>
 *   <li>Only the thread that moved the state to SCHEDULED submits the task, so it is queued at
 *       most once: several wakes cost one poll.</li>
 *   <li>A wake during a poll moves RUNNING to NOTIFIED; the worker sees that when it tries
 *       RUNNING → IDLE, and re-queues the task. A wake is never lost, whether it comes before,
 *       during or after the poll.</li>
 *   <li>A wake from inside the task's own poll (a yield; the thread is {@code pollingThread})
 *       only sets a plain flag that the same thread reads when the poll returns, and the task
 *       goes RUNNING (or NOTIFIED) → SCHEDULED with a release store: two CASes fewer per yield.
 *       Another thread never reads its own identity from {@code pollingThread} (it would have to
 *       have written it, and it cleared it afterwards), so it always takes the CAS path.</li>
 *   <li>A wake after COMPLETE changes nothing.</li>
 *   <li>Cancellation sets {@code cancelRequested} (volatile) and wakes; the next run sees it,
 *       calls the future's {@link Future#drop()} and completes the task as cancelled.</li>
 * </ul>
 * Orderings: the CAS to RUNNING (volatile) orders the previous poll's writes to the future's
 * fields before this poll's reads (the previous poll's last state write is a CAS or a release
 * store), so a future may be polled by different workers in turn. A waker's own writes reach
 * the next poll through the resource's synchronization, not through the run state (see
 * {@link Waker}).
 * Tested by {@code PollTaskWakeRaceTest}, and by jcstress {@code PollTaskWakeStress}: a wake from
 * another thread racing the end of a poll is never lost ({@code ForeignWake}, which fails if that
 * wake takes the flag path), and a yield racing such a wake queues the task once
 * ({@code SelfWake}, which fails if the flag is read after the task went IDLE).
 */
public final class PollTask<T> extends TaskCore<T> implements Runnable, Waker {
    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final int RUNNING = 2;
    private static final int NOTIFIED = 3;
    private static final int COMPLETE = 4;
    private static final VarHandle RUN_STATE;

    static {
        try {
            RUN_STATE = MethodHandles.lookup().findVarHandle(PollTask.class, "runState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Future<T> future;
    private final Executor executor;
    private final Context context = new Context(this);
    private volatile int runState = SCHEDULED;
    /** The thread inside {@link Future#poll} now, else null; written only by that thread. */
    private Thread pollingThread;
    /** Woken by its own poll (read and written only by the polling thread). */
    private boolean selfWoken;

    public PollTask(AbstractRuntime runtime, String name, ScopeState scope, Future<T> future, Executor executor) {
        super(runtime, name, scope);
        this.future = future;
        this.executor = executor;
    }

    @Override
    public Task.Kind kind() {
        return Task.Kind.POLL;
    }

    /** The future this task polls (for dumps: its {@code toString} names the chain being polled). */
    Future<T> future() {
        return future;
    }

    @Override
    public void start() {
        submit();
    }

    private void submit() {
        try {
            executor.execute(this);
        } catch (RejectedExecutionException closed) {
            // The runtime is closing: it cancels and completes every live task itself.
            runState = COMPLETE;
            cancelRequested = true;
            completeCancelled();
        }
    }

    @Override
    public void wake() {
        wakes++;
        if (pollingThread == Thread.currentThread()) {
            // Woken from inside its own poll (a yield, a resource found ready while polling): the
            // poll's end re-queues it. No CAS: no other thread reads this flag.
            selfWoken = true;
            selfWakes++;
            return;
        }
        lastWake = CoarseClock.now();       // the last wake from outside (a self-wake is counted, not stamped)
        for (;;) {
            int s = runState;
            if (s == IDLE) {
                if (RUN_STATE.compareAndSet(this, IDLE, SCHEDULED)) {
                    enter(S_SCHEDULED);
                    submit();
                    return;
                }
            } else if (s == RUNNING) {
                if (RUN_STATE.compareAndSet(this, RUNNING, NOTIFIED)) {
                    return;
                }
            } else {
                return;
            }
        }
    }

    @Override
    public void cancel() {
        if (isDone()) {
            return;
        }
        cancelRequested = true;
        wake();
    }

    /** One poll. Called by a worker of the task's runtime. */
    @Override
    public void run() {
        if (!RUN_STATE.compareAndSet(this, SCHEDULED, RUNNING)) {
            return;
        }
        ExecutionContext ctx = ExecutionContext.ownedBy(runtime);
        ExecutionContext previousCtx = null;
        TaskCore<?> previousTask = null;
        if (ctx == null) {
            previousCtx = ExecutionContext.enterForPoll(runtime, this);
        } else {
            previousTask = ctx.task;
            ctx.task = this;
        }
        try {
            pollOnce();
        } finally {
            if (ctx == null) {
                ExecutionContext.restore(previousCtx);
            } else {
                ctx.task = previousTask;
            }
        }
    }

    private void pollOnce() {
        if (cancelRequested) {
            runState = COMPLETE;
            Await.dropGuarded(future, this);
            completeCancelled();
            return;
        }
        enter(S_RUNNING);
        polls++;
        TaskBudget.refill(this);
        Poll<T> p;
        selfWoken = false;
        pollingThread = Thread.currentThread();
        Runnable undo = propagated == null ? null : Propagation.install(propagated);
        try {
            p = future.poll(context);
        } catch (Throwable t) {
            if (undo != null) {
                undo.run();
            }
            pollingThread = null;
            runState = COMPLETE;
            completeFailed(t);
            return;
        }
        if (undo != null) {
            undo.run();
        }
        pollingThread = null;
        if (p.isReady()) {
            runState = COMPLETE;
            complete(p.value());
            return;
        }
        Lints.pendingPoll(this, ContextMarks.takeWakerMark(context), selfWoken);
        if (selfWoken) {
            // RUNNING, or NOTIFIED by another thread meanwhile: either way it runs again. A waker
            // racing with this store sees SCHEDULED (or fails its CAS and then sees it) and leaves
            // the re-queue to us; release pairs with the next run's CAS to RUNNING.
            RUN_STATE.setRelease(this, SCHEDULED);
            enter(S_SCHEDULED);
            submit();
            return;
        }
        enter(S_IDLE);
        if (!RUN_STATE.compareAndSet(this, RUNNING, IDLE)) {
            // NOTIFIED: woken while polling; go to the back of the queue so others run first.
            runState = SCHEDULED;
            enter(S_SCHEDULED);
            submit();
        }
    }
}
