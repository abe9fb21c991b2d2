package dev.weft.sync.internal;

import dev.weft.internal.SpinLock;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.spi.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The engine of {@code Notify}: a FIFO of waiting {@link Notified} futures, one stored permit, and
 * a count of {@link #notifyWaiters()} calls.
 *
 * <h2>Implementation notes</h2>
 * Semantics follow tokio's {@code sync/notify.rs}; the code is Weft's own and simply locked
 * (notification is not a per-message fast path).
 * <ul>
 *   <li>Everything is changed under {@code this} lock; a node's {@code status} is volatile only
 *       so its own future can see a notification without taking the lock.</li>
 *   <li>Node states: IDLE → WAITING (queued) → NOTIFIED_ONE / NOTIFIED_ALL (taken out of the list by
 *       a notifier) → DONE (the future returned, or was cancelled), or DONE_ONE (the future
 *       returned by consuming a {@code notifyOne}: NOTIFIED_ONE or the stored permit).</li>
 *   <li>{@code release} of a DONE_ONE future (a combinator discards the completion) gives the
 *       notification back: CAS DONE_ONE → DONE (so at most once), then {@link #notifyOne()}, i.e.
 *       to the longest waiter or as the stored permit, exactly as a cancel forwards it. A
 *       completion by {@link #notifyWaiters()} (DONE) is not given back: it stores nothing and
 *       every waiter of that moment had it. Tested by {@code ReleaseSignalsTest}.</li>
 *   <li>{@link #notifyOne()} with nobody waiting stores one permit (at most one), consumed by the
 *       next {@code notified()} poll: a notification sent just before the waiter arrives is not
 *       lost.</li>
 *   <li>{@link #notifyWaiters()} bumps {@code generation}; a future created before that call
 *       completes even if it was not polled yet (it compares the generation it saw at creation).
 *       It stores no permit.</li>
 *   <li>Cancel of a NOTIFIED_ONE future forwards the notification (to the next waiter, or as the
 *       permit): a notifyOne is never swallowed by a task that stopped waiting. A poll that would
 *       consume the notification and a cancel that would forward it decide by CAS on the status
 *       (NOTIFIED_ONE → DONE), so it is used exactly once even if cancel comes from another
 *       thread. Tested by {@code NotifyTest} (20,000 rounds of notifyOne racing cancel).</li>
 * </ul>
 */
public final class NotifyCore {
    /** Guards this object's mutable state; a {@link SpinLock}, never a monitor (see SpinLock for why). */
    private final SpinLock lock = new SpinLock();
    static final int NOTIFIED_ONE = 3;
    static final int NOTIFIED_ALL = 4;
    static final int DONE = 5;
    static final int DONE_ONE = 6;
    private static final VarHandle STATUS;

    static {
        dev.weft.internal.Diagnostics.registerLibrary(NotifyCore.class);   // its frames are Weft's in dumps
        try {
            STATUS = MethodHandles.lookup().findVarHandle(WaitNode.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WaitList waiters = new WaitList();   // guarded by this
    private boolean permit;                            // guarded by this
    private volatile long generation;                  // written under this lock

    /** A future of the next notification; see the class notes for what counts. */
    public Future<Void> notified() {
        return new Notified(this, generation);
    }

    public void notifyOne() {
        Waker w;
        lock.lock();
        try {
            w = notifyOneLocked();
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.wake();
        }
    }

    private Waker notifyOneLocked() {
        WaitNode n = waiters.pollFirst();
        if (n == null) {
            permit = true;
            return null;
        }
        n.status = NOTIFIED_ONE;
        Waker w = n.waker;
        n.waker = null;
        return w;
    }

    public void notifyWaiters() {
        Wakes wakes = new Wakes();
        lock.lock();
        try {
            generation = generation + 1;
            WaitNode n = waiters.pollFirst();
            while (n != null) {
                n.status = NOTIFIED_ALL;
                wakes.add(n.waker);
                n.waker = null;
                n = waiters.pollFirst();
            }
        } finally {
            lock.unlock();
        }
        wakes.wakeAll();
    }

    boolean pollNotified(Notified n, Context cx) {
        int st = n.status;
        if (st == NOTIFIED_ONE || st == NOTIFIED_ALL) {
            return STATUS.compareAndSet(n, st, doneFor(st));    // false only if a cancel took it first
        }
        lock.lock();
        try {
            st = n.status;
            if (st == WaitNode.WAITING) {
                Waker w = cx.waker();
                if (!n.waker.willWake(w)) {
                    n.waker = w;
                }
                return false;
            }
            if (st == WaitNode.IDLE) {
                if (generation != n.generation) {
                    n.status = DONE;
                    return true;
                }
                if (permit) {
                    permit = false;
                    n.status = DONE_ONE;
                    return true;
                }
                n.waker = cx.waker();
                n.status = WaitNode.WAITING;
                waiters.addLast(n);
                return false;
            }
            if (st == DONE || st == DONE_ONE) {
                throw new IllegalStateException("this notified() future already completed or was cancelled");
            }
            return STATUS.compareAndSet(n, st, doneFor(st));   // notified between the two reads
        } finally {
            lock.unlock();
        }
    }

    /** The completed state for a notification of kind {@code st}: DONE_ONE if release may give it back. */
    private static int doneFor(int st) {
        return st == NOTIFIED_ONE ? DONE_ONE : DONE;
    }

    void cancel(Notified n) {
        Waker w = null;
        lock.lock();
        try {
            int st = n.status;
            if (st == WaitNode.WAITING) {
                waiters.remove(n);
                n.waker = null;
                n.status = DONE;
            } else if (st == NOTIFIED_ONE) {
                if (STATUS.compareAndSet(n, NOTIFIED_ONE, DONE)) {
                    w = notifyOneLocked();              // forward: see notes
                }                                       // else the poll took it (DONE_ONE): leave that
            } else if (st == WaitNode.IDLE || st == NOTIFIED_ALL) {
                STATUS.compareAndSet(n, st, DONE);      // CAS: a poll may complete it at this moment
            }                                           // DONE / DONE_ONE: completed, nothing to undo
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.wake();
        }
    }

    /** {@code Future.release} of a completed wait: a consumed notifyOne is given back (see notes). */
    void giveBack(Notified n) {
        if (STATUS.compareAndSet(n, DONE_ONE, DONE)) {
            notifyOne();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Notify[waiters=" + waiters.size() + (permit ? ", permit stored" : "") + "]";
        } finally {
            lock.unlock();
        }
    }

    /** One wait for a notification. One poller at a time; cancel from any thread. */
    static final class Notified extends WaitNode implements Future<Void> {
        private final NotifyCore core;
        final long generation;

        Notified(NotifyCore core, long generation) {
            this.core = core;
            this.generation = generation;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (!Coop.proceed(cx)) {
                return Poll.pending();
            }
            return core.pollNotified(this, cx) ? Poll.ready(null) : Poll.pending();
        }

        @Override
        public void drop() {
            core.cancel(this);
        }

        /** The completion is discarded: a notifyOne it consumed goes to the next waiter or back to the permit. */
        @Override
        public void release(Void value) {
            core.giveBack(this);
        }
    }
}
