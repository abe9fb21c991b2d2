package dev.weft.bench.chaos;

import dev.weft.Task;
import dev.weft.Waker;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ledger's record of one spawned task: its handle, what its body did, and how many times the
 * task was seen to complete.
 *
 * <p>It is also the task's <em>completion watcher</em>: for a task outside any scope the ledger
 * polls the task handle once with this object as the waker, so the task's completion wakes it
 * exactly once ({@code TaskCore} wakes every registered waiter when it finishes). A second wake,
 * or a wake while the task is not done, is a violation.
 *
 * <p>Implementation notes: the body record is written by the task's own body (its virtual
 * thread, its polling worker or its pool thread) before the task completes, and read by joiners
 * after {@code join} returned, so the task's completion orders them. {@link #wake()} runs on
 * whichever thread completes the task (often a worker): it only counts, never throws or blocks.
 */
final class Tracked implements Waker {
    private final Ledger ledger;
    private final long id;
    private final String what;
    private final boolean scoped;
    private final boolean mayBeAbandoned;
    private volatile Task<?> task;
    private final AtomicInteger completions = new AtomicInteger();
    private final AtomicInteger bodyEnds = new AtomicInteger();
    private volatile boolean returnedNormally;
    private volatile Object returned;
    private volatile Throwable thrown;

    Tracked(Ledger ledger, long id, String what, boolean scoped, boolean mayBeAbandoned) {
        this.ledger = ledger;
        this.id = id;
        this.what = what;
        this.scoped = scoped;
        this.mayBeAbandoned = mayBeAbandoned;
    }

    long id() {
        return id;
    }

    String what() {
        return what;
    }

    boolean scoped() {
        return scoped;
    }

    /** True for tasks on a runtime that is closed while they run: they may end abandoned. */
    boolean mayBeAbandoned() {
        return mayBeAbandoned;
    }

    Task<?> task() {
        return task;
    }

    void attach(Task<?> t) {
        task = t;
    }

    /** The task's completion woke its watcher. */
    @Override
    public void wake() {
        ledger.watcherWoken(this, completions.incrementAndGet());
    }

    /** Counts a completion seen another way (done before the watcher could register, or a scoped child). */
    int completedSeen() {
        return completions.incrementAndGet();
    }

    // ------------------------------------------------------------------ what the body did

    void bodyReturned(Object value) {
        returned = value;
        returnedNormally = true;
        ledger.bodyEnded(this, bodyEnds.incrementAndGet());
    }

    void bodyThrew(Throwable t) {
        thrown = t;
        ledger.bodyEnded(this, bodyEnds.incrementAndGet());
    }

    /** The tracked future was polled after it ended, or dropped after ready (see {@link TrackedFuture}). */
    void ledgerPolledAfterEnd(String how) {
        ledger.futureMisused(this, how);
    }

    int bodyEnds() {
        return bodyEnds.get();
    }

    boolean returnedNormally() {
        return returnedNormally;
    }

    Object returned() {
        return returned;
    }

    Throwable thrown() {
        return thrown;
    }

    @Override
    public String toString() {
        Task<?> t = task;
        return "task #" + id + " '" + what + "'" + (t == null ? "" : " (" + t.kind() + ", " + t.state() + " on "
                + t.runtime().name() + (t.isCancelled() ? ", cancel requested" : "") + ")");
    }
}
