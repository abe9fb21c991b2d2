package dev.weft.internal;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.spi.AbstractRuntime;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Optional;

/**
 * What every task has, whichever its kind: identity, diagnostics record, cancellation flag,
 * outcome and the wakers of those awaiting it.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Outcome.</b> {@link #result} (the value or the failure, one field) is written by the
 *       task's own run as it completes, then {@link #outcome} is CAS'd from {@code RUNNING}; a
 *       reader that sees a non-{@code RUNNING} outcome (volatile read) sees the result, and reads
 *       it only for SUCCEEDED or FAILED. The CAS makes completion
 *       exactly-once: a runtime that closes with a task still running after its grace completes
 *       it as cancelled ({@link #abandon}), and the task's own completion, if it ever comes, then
 *       loses the CAS and changes nothing that is read: {@link #abandon} writes no result, and only
 *       the task's own run, which completes once, writes one (checked by {@code TaskOutcomeStress}).</li>
 *   <li><b>Waiters.</b> {@link #waiters} is a Treiber stack of wakers (Treiber 1986). Completion
 *       swaps in {@link #CLOSED} and wakes every node it took, so a waiter pushed before the swap
 *       is woken, and one that finds {@code CLOSED} reads the outcome instead: no lost wake-up.</li>
 *   <li><b>Counters.</b> {@link #polls} is written only by the thread running the task.
 *       {@link #wakes} is incremented by any waking thread without atomicity: a lost increment
 *       only under-counts a diagnostic, and keeps wakes free of contended atomics.</li>
 *   <li><b>State.</b> {@link #state} is a diagnostic snapshot written by the running thread with
 *       plain stores; readers on other threads may see it late (benign).</li>
 * </ul>
 */
public abstract class TaskCore<T> implements Task<T> {
    static final byte S_SCHEDULED = 0;
    static final byte S_RUNNING = 1;
    static final byte S_IDLE = 2;
    static final byte S_DONE = 3;
    private static final Task.State[] STATES = {Task.State.SCHEDULED, Task.State.RUNNING, Task.State.IDLE, Task.State.DONE};
    static final int RUNNING = 0;
    static final int SUCCEEDED = 1;
    static final int FAILED = 2;
    static final int CANCELLED = 3;

    private static final WaiterNode CLOSED = new WaiterNode(Waker.NOOP, null);
    private static final VarHandle WAITERS;
    private static final VarHandle OUTCOME;
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(TaskCore.class, "waiters", WaiterNode.class);
            OUTCOME = MethodHandles.lookup().findVarHandle(TaskCore.class, "outcome", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final AbstractRuntime runtime;
    private final long id;
    /**
     * The name given at spawn (a String), or, when spawn sites are captured, a {@link Label} with
     * the name (or null) and the site; null for neither. One field for both: an idle task's size
     * is what a program with many of them pays.
     */
    private final Object label;
    final ScopeState scope;

    /** The value (outcome SUCCEEDED) or the failure (FAILED); see the notes on completion. */
    private Object result;
    private volatile int outcome;
    /** Set before an {@link #abandon} completion, for its message; read after the outcome. */
    private boolean abandoned;
    private volatile WaiterNode waiters;
    volatile boolean cancelRequested;

    long polls;
    long wakes;
    /** Cooperative budget ({@link dev.weft.spi.Coop}); written only by the thread running the task. */
    int budget = dev.weft.spi.Coop.BUDGET;
    /**
     * {@link Task.State} as its ordinal ({@link #S_SCHEDULED} …): a byte, not an enum reference,
     * because it is written on every poll, and under G1 a reference store into an old object
     * costs a fence in G1's post-write barrier (BENCHMARKS.md, yield_many).
     */
    byte state = S_SCHEDULED;
    /** {@link CoarseClock} time of the last change of {@link #state} (plain: a diagnostic). */
    int stateSince;
    /** {@link CoarseClock} time of the spawn. */
    final int created;
    /**
     * Milliseconds spent running, scheduled (woken, waiting for a worker) and idle, summed from
     * coarse-clock stamps at each change of state ({@link #enter}); each sum is an unbiased
     * estimate (the clock's tick is independent of the task), exact to a tick per change.
     */
    int busyMs;
    int scheduledMs;
    int idleMs;
    /** Wakes from inside the task's own poll or run (a yield, a resource found ready). */
    int selfWakes;
    /** {@link CoarseClock} time of the last wake (0: never woken); plain, any waking thread writes it. */
    int lastWake;
    /** The longest long run (poll or resumption past the long-poll threshold) in coarse milliseconds, capped at 65,535; 0 if none. */
    char longestRunMs;
    /** How many long polls (see {@link #longestRunMs}), saturating at 127. */
    byte longPolls;
    /** {@link Lints} bits: which lints were reported for this task (written by the lint scan only). */
    byte lintBits;
    /** The last pending poll returned without taking its waker (written by the polling thread only). */
    boolean lostWakerSuspect;
    /** Links of the runtime's {@link TaskRegistry}; guarded by the registry shard's lock. */
    TaskCore<?> prevLive;
    TaskCore<?> nextLive;
    boolean inRegistry;
    private Object[] locals;
    /** What the registered ContextPropagators captured at the spawn, or null (see Propagation). */
    final Object[] propagated = Propagation.capture();

    protected TaskCore(AbstractRuntime runtime, String name, ScopeState scope) {
        this.runtime = runtime;
        this.id = IDS.incrementAndGet();
        this.label = Diagnostics.spawnSites() ? new Label(name, Diagnostics.captureSpawnSite()) : name;
        this.scope = scope;
        this.created = CoarseClock.now();
        this.stateSince = created;
        WeftEvents.spawned(this);
    }

    /**
     * Moves the diagnostic state to {@code s}, stamps it with the coarse clock (one volatile
     * read), and adds the time spent in the state it leaves to that state's sum. A run that took
     * {@link Lints#longPollMillis()} or longer is handed to {@link Lints#longRun}.
     */
    final void enter(byte s) {
        int now = CoarseClock.now();
        if (Lints.STATS) {
            int d = now - stateSince;
            switch (state) {
                case S_RUNNING -> {
                    busyMs += d;
                    // A long poll: surely at least the threshold (one tick of slack for the coarse
                    // clock), not the first (class loading and the JIT make first polls slow), and
                    // of a poll task only: a sequential task's run between awaits also covers
                    // parks inside JDK calls that Weft does not see (the watchdog covers those).
                    if (d >= Lints.longPollMillis() + CoarseClock.TICK_MILLIS && polls > 1 && this instanceof PollTask) {
                        if (d > longestRunMs) {
                            longestRunMs = (char) Math.min(d, Character.MAX_VALUE);
                        }
                        if (longPolls < Byte.MAX_VALUE) {
                            longPolls++;
                        }
                        Lints.longRun(this, d);
                    }
                }
                case S_SCHEDULED -> scheduledMs += d;
                case S_IDLE -> idleMs += d;
                default -> { }
            }
        }
        state = s;
        stateSince = now;
    }

    /** Starts the task; called once by the runtime after registration. */
    public abstract void start();

    /** The thread running this task's body now (sequential or blocking task), or null. */
    public Thread thread() {
        return null;
    }

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final String name() {
        String given = label instanceof Label l ? l.name() : (String) label;
        return given != null ? given : "task-" + id;
    }

    @Override
    public final Task.State state() {
        return outcome != RUNNING ? Task.State.DONE : STATES[state];
    }

    @Override
    public final Runtime runtime() {
        return runtime;
    }

    @Override
    public final Optional<StackTraceElement> spawnSite() {
        return label instanceof Label l ? Optional.ofNullable(l.site()) : Optional.empty();
    }

    @Override
    public final long polls() {
        return polls;
    }

    @Override
    public final long wakes() {
        return wakes;
    }

    @Override
    public final boolean isCancelled() {
        return cancelRequested;
    }

    @Override
    public final boolean isDone() {
        return outcome != RUNNING;
    }

    @Override
    public final T join() {
        return Await.await(this);
    }

    /** True if the task ended by failing (not by cancellation). */
    public final boolean failed() {
        return outcome == FAILED;
    }

    /** The body's exception, once failed. */
    public final Throwable failure() {
        return outcome == FAILED ? (Throwable) result : null;
    }

    // ------------------------------------------------------------------ as a future

    @Override
    public final Poll<T> poll(Context cx) {
        int o = outcome;
        if (o == RUNNING) {
            if (addWaiter(cx.waker())) {
                return Poll.pending();
            }
            o = outcome;
        }
        return resultOf(o);
    }

    /**
     * True once the task is done; otherwise registers {@code cx}'s waker and answers false. Never
     * throws and delivers nothing: a scope waiting for its children must not use up a failure
     * that only joins deliver ({@link ScopeState#failureForJoin}).
     */
    final boolean pollDone(Context cx) {
        if (outcome != RUNNING) {
            return true;
        }
        return !addWaiter(cx.waker());
    }

    private Poll<T> resultOf(int o) {
        if (o == SUCCEEDED) {
            @SuppressWarnings("unchecked")
            T value = (T) result;
            return Poll.ready(value);
        }
        if (scope != null && o == FAILED) {
            scope.childSeenFailed(this);        // its completion may not have told the scope yet
        }
        if (scope != null && scope.isFailed()) {
            throw scope.failureForJoin();
        }
        if (o == FAILED) {
            throw Failures.forJoin(this, (Throwable) result);
        }
        if (abandoned) {
            throw new CancelledException("task '" + name() + "' was still running when runtime '" + runtime.name()
                    + "' closed, after its close grace: it was completed as cancelled and its cleanup may not have run");
        }
        throw new CancelledException("task '" + name() + "' was cancelled");
    }

    private boolean addWaiter(Waker w) {
        WaiterNode node = null;
        for (;;) {
            WaiterNode head = waiters;
            if (head == CLOSED) {
                return false;
            }
            if (head != null && head.waker.willWake(w)) {
                return true;
            }
            if (node == null) {
                node = new WaiterNode(w, head);
            } else {
                node.next = head;
            }
            if (WAITERS.compareAndSet(this, head, node)) {
                return true;
            }
        }
    }

    // ------------------------------------------------------------------ completion

    final void complete(T v) {
        result = v;                 // only the task's own run completes it; abandon() writes no result
        finish(SUCCEEDED);
    }

    final void completeFailed(Throwable t) {
        result = t;
        finish(FAILED);
    }

    final void completeCancelled() {
        finish(CANCELLED);
    }

    /**
     * Completes this task as cancelled although its body or future may still be running: called
     * by a closing runtime for the tasks left after its grace, so that every join returns. The
     * body's own completion, if it ever comes, changes nothing; its cleanup may never run.
     */
    public final void abandon() {
        if (outcome != RUNNING) {
            return;
        }
        abandoned = true;           // published by the outcome CAS; a losing abandon's write is harmless
        cancelRequested = true;
        finish(CANCELLED);
    }

    /** Completes the task once; a second completion (an abandoned task finishing late) does nothing. */
    private void finish(int how) {
        if (!OUTCOME.compareAndSet(this, RUNNING, how)) {
            return;
        }
        enter(S_DONE);
        WeftEvents.ended(this, WeftEvents.outcomeName(how));
        WaiterNode node = (WaiterNode) WAITERS.getAndSet(this, CLOSED);
        RuntimeInternals.taskFinished(runtime, this);
        if (scope != null) {
            scope.childFinished(this);
        }
        while (node != null) {
            Waker w = node.waker;
            try {
                w.wake();
            } catch (Throwable t) {
                dev.weft.spi.Faults.report("completion of task '" + name() + "' waking a waiter", w, t);
            }
            node = node.next;
        }
    }

    // ------------------------------------------------------------------ task-locals

    final Object local(int index) {
        Object[] l = locals;
        return l != null && index < l.length ? l[index] : null;
    }

    final void setLocal(int index, Object v) {
        Object[] l = locals;
        if (l == null) {
            l = new Object[Math.max(4, index + 1)];
            locals = l;
        } else if (index >= l.length) {
            l = Arrays.copyOf(l, Math.max(index + 1, l.length * 2));
            locals = l;
        }
        l[index] = v;
    }

    @Override
    public String toString() {
        return kind() + " task '" + name() + "' #" + id + " [" + state() + "]";
    }

    private static final class WaiterNode {
        final Waker waker;
        WaiterNode next;

        WaiterNode(Waker waker, WaiterNode next) {
            this.waker = waker;
            this.next = next;
        }
    }

    /** A task's name and spawn site, kept together when spawn sites are captured. */
    private record Label(String name, StackTraceElement site) { }
}
