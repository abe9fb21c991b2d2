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
 *       a notifier) → DONE (the future returned, or was cancelled).</li>
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
    private static final VarHandle STATUS;

    static {
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
            return STATUS.compareAndSet(n, st, DONE);   // false only if a cancel took it first
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
                    n.status = DONE;
                    return true;
                }
                n.waker = cx.waker();
                n.status = WaitNode.WAITING;
                waiters.addLast(n);
                return false;
            }
            if (st == DONE) {
                throw new IllegalStateException("this notified() future already completed or was cancelled");
            }
            return STATUS.compareAndSet(n, st, DONE);   // notified between the two reads
        } finally {
            lock.unlock();
        }
    }

    void cancel(Notified n) {
        Waker w = null;
        lock.lock();
        try {
            int st = n.status;
            if (st == WaitNode.WAITING) {
                waiters.remove(n);
                n.waker = null;
            } else if (st == NOTIFIED_ONE && STATUS.compareAndSet(n, NOTIFIED_ONE, DONE)) {
                w = notifyOneLocked();                  // forward: see notes
            }
            n.status = DONE;
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.wake();
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
    }
}
