package dev.weft.sync.internal;

import dev.weft.internal.SpinLock;
import dev.weft.Context;
import dev.weft.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A first-in-first-out counting semaphore whose waiters are futures: the engine of
 * {@code Semaphore}, {@code Mutex} and {@code RwLock}.
 *
 * <h2>Implementation notes</h2>
 * The design is tokio's batch semaphore ({@code sync/batch_semaphore.rs}): an atomic count for
 * the uncontended path, a locked FIFO of waiters for the rest, and permits handed to waiters
 * directly by the releaser. The encoding below is Weft's own.
 * <ul>
 *   <li><b>{@code state}</b> = (free permits &lt;&lt; 1) | QUEUED. Invariant: QUEUED ⇒ free
 *       permits = 0; every permit that would be free while someone waits is assigned to the head
 *       waiter instead. So the fast paths ({@link #tryAcquire}, {@link #release} without waiters)
 *       are one CAS that simply refuses when QUEUED is set, and a newcomer can never overtake a
 *       waiter: strict FIFO.</li>
 *   <li><b>While QUEUED is set</b> only holders of {@code this} lock change {@code state}: a
 *       releaser assigns permits to waiters in order (the head may be partly served: {@code
 *       assigned &lt; need}); when the list empties it stores the leftover with QUEUED clear. The
 *       first waiter sets QUEUED by CAS (taking any free permits as its partial assignment), so a
 *       racing fast path either happened before (its CAS won) or sees QUEUED.</li>
 *   <li><b>Node states</b> ({@link Acquire#status}): IDLE → WAITING (queued, maybe partly
 *       assigned) → GRANTED (fully assigned, out of the list, woken; written under the lock) →
 *       TAKEN (the future returned the permits; CAS) or CANCELLED (CAS). A node that was never
 *       queued goes IDLE → TAKEN directly, or IDLE → CANCELLED if it is dropped first.</li>
 *   <li><b>Who moves a node out of IDLE.</b> Only two actors: its poller and {@link #cancel}
 *       (which may run on another thread, concurrently with the poll: {@code Future.drop} is
 *       any-thread). Every such move is either made under the lock (the poller's enqueue: IDLE →
 *       WAITING or TAKEN; cancel: IDLE → CANCELLED) or is a CAS from IDLE (the poller's lock-free
 *       fast path: IDLE → TAKEN after its {@link #tryAcquire} succeeded). So a poll and a cancel
 *       of a fresh node are ordered: either the cancel marks it CANCELLED first, and then the
 *       poll queues nothing and hands permits it already took straight back ({@link #release}),
 *       answering pending; or the poll moves it first, and the cancel handles WAITING / GRANTED
 *       below (TAKEN: the poll returned the permits, which its caller now owns). Before issue 12 a
 *       cancel of an IDLE node did nothing, so a cancel that landed between the poll's failed try
 *       and its enqueue left a queued node that later took permits nobody used
 *       ({@code SemaphoreTest.aDropFromAnotherThreadDuringTheFirstPollLeaksNoPermit} reproduced
 *       it; {@code SemaphoreLincheckTest.CancelSafety} model-checks the concurrent poll and
 *       drop).</li>
 *   <li><b>Cancellation</b> ({@link #cancel}): WAITING → the node leaves the list and gives its
 *       partial assignment back through the release path (so the next waiter may now be served);
 *       GRANTED → the CAS GRANTED→CANCELLED decides the race with a poll that would take the grant,
 *       and the loser of that race does nothing, the winner of a cancel releases every permit it
 *       was granted. Either way no permit leaks and no waiter is left behind a permit nobody will
 *       use. Checked by {@code SemaphoreLincheckTest} (model checking, including cancel racing a
 *       grant) and {@code SemaphoreTest} and {@code MutexTest} (two threads racing
 *       the release against the cancel, 20,000 rounds each).</li>
 *   <li>Wakers are woken after the lock is released ({@link Wakes}).</li>
 * </ul>
 */
public final class FairSemaphore {
    /** Guards this object's mutable state; a {@link SpinLock}, never a monitor (see SpinLock for why). */
    private final SpinLock lock = new SpinLock();
    /** The most permits a semaphore can hold (tokio's bound, far below the state word's). */
    public static final int MAX_PERMITS = Integer.MAX_VALUE >> 3;
    static final int TAKEN = 3;
    static final int GRANTED = 4;
    static final int CANCELLED = 5;
    private static final long QUEUED = 1L;
    private static final VarHandle STATE;
    private static final VarHandle STATUS;

    static {
        dev.weft.internal.Diagnostics.registerLibrary(FairSemaphore.class);   // its frames are Weft's in dumps
        try {
            STATE = MethodHandles.lookup().findVarHandle(FairSemaphore.class, "state", long.class);
            STATUS = MethodHandles.lookup().findVarHandle(WaitNode.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A pending acquisition of {@link #need} permits; futures extend it. */
    public static class Acquire extends WaitNode {
        final int need;
        int assigned;               // guarded by the semaphore's lock

        public Acquire(int need) {
            this.need = need;
        }
    }

    private volatile long state;
    private final WaitList waiters = new WaitList();   // guarded by this

    public FairSemaphore(int permits) {
        checkCount(permits, "permits", 0);
        this.state = (long) permits << 1;
    }

    static void checkCount(int n, String what, int min) {
        if (n < min || n > MAX_PERMITS) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + MAX_PERMITS + "]: " + n);
        }
    }

    /** Free permits now (0 while anyone waits). */
    public int available() {
        return (int) (state >>> 1);
    }

    /** True if some acquisition is queued. */
    public boolean hasWaiters() {
        return (state & QUEUED) != 0;
    }

    /** Takes {@code n} permits if they are free and nobody waits; never waits. */
    public boolean tryAcquire(int n) {
        long s = state;
        for (;;) {
            if ((s & QUEUED) != 0 || (s >>> 1) < n) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s - ((long) n << 1))) {
                return true;
            }
            s = state;
        }
    }

    /** Returns {@code n} permits: to the waiters first, in order, the rest to the free count. */
    public void release(int n) {
        if (n == 0) {
            return;
        }
        long s = state;
        for (;;) {
            if ((s & QUEUED) != 0) {
                break;
            }
            long next = s + ((long) n << 1);
            if ((next >>> 1) > MAX_PERMITS) {
                throw new IllegalStateException("releasing " + n + " would exceed " + MAX_PERMITS + " permits");
            }
            if (STATE.compareAndSet(this, s, next)) {
                return;
            }
            s = state;
        }
        Wakes wakes = new Wakes();
        lock.lock();
        try {
            releaseLocked(n, wakes);
        } finally {
            lock.unlock();
        }
        wakes.wakeAll();
    }

    /** Under the lock: give {@code n} permits to waiters in order; store what is left. */
    private void releaseLocked(long n, Wakes wakes) {
        while (n > 0) {
            Acquire head = (Acquire) waiters.peekFirst();
            if (head == null) {
                break;
            }
            int give = (int) Math.min(n, head.need - head.assigned);
            head.assigned += give;
            n -= give;
            if (head.assigned == head.need) {
                waiters.pollFirst();
                wakes.add(head.waker);
                head.waker = null;
                head.status = GRANTED;          // volatile: publishes the grant to the poller
            }
        }
        if (waiters.isEmpty()) {
            // Nobody waits (any more): the rest becomes free and QUEUED is cleared. A CAS, because
            // once QUEUED is clear the fast paths may be changing state concurrently.
            long s = state;
            for (;;) {
                long free = (s >>> 1) + n;                    // QUEUED set implies (s >>> 1) == 0
                if (free > MAX_PERMITS) {
                    throw new IllegalStateException("releasing would exceed " + MAX_PERMITS + " permits");
                }
                if (STATE.compareAndSet(this, s, free << 1)) {
                    return;
                }
                s = state;
            }
        }
    }

    /**
     * One poll of an acquisition: true once {@code node} holds its permits (the caller now owns
     * them), false if it is queued (pending; the waker will be woken when granted).
     */
    public boolean pollAcquire(Acquire node, Context cx) {
        int st = node.status;
        if (st == TAKEN) {
            throw new IllegalStateException("this acquisition already completed");
        }
        if (st == GRANTED) {
            return STATUS.compareAndSet(node, GRANTED, TAKEN);
        }
        if (st == CANCELLED) {
            return false;                                     // dropped: holds nothing, never completes
        }
        if (st == WaitNode.IDLE && tryAcquire(node.need)) {
            if (STATUS.compareAndSet(node, WaitNode.IDLE, TAKEN)) {
                return true;
            }
            release(node.need);                               // a concurrent cancel came first: give them back
            return false;
        }
        lock.lock();
        try {
            st = node.status;
            if (st == WaitNode.WAITING) {
                Waker w = cx.waker();
                if (!node.waker.willWake(w)) {
                    node.waker = w;
                }
                return false;
            }
            if (st == WaitNode.IDLE) {
                return enqueueLocked(node, cx.waker());
            }
        } finally {
            lock.unlock();
        }
        return STATUS.compareAndSet(node, GRANTED, TAKEN);      // granted meanwhile
    }

    /** Under the lock: take free permits, or queue the node. True if it got everything at once. */
    private boolean enqueueLocked(Acquire node, Waker waker) {
        long s = state;
        for (;;) {
            if ((s & QUEUED) != 0) {
                break;                                        // others wait: free count is 0
            }
            long free = s >>> 1;
            if (free >= node.need) {
                if (STATE.compareAndSet(this, s, s - ((long) node.need << 1))) {
                    node.status = TAKEN;
                    return true;
                }
            } else if (STATE.compareAndSet(this, s, QUEUED)) {
                node.assigned = (int) free;                   // partial assignment to the new head
                break;
            }
            s = state;
        }
        node.waker = waker;
        node.status = WaitNode.WAITING;
        waiters.addLast(node);
        return false;
    }

    /**
     * The acquisition will not be completed: give back whatever it holds. Idempotent; any thread,
     * also while the node's first poll is running (see the notes, "Who moves a node out of IDLE").
     * A node whose permits were already returned to the caller (TAKEN) is left alone.
     */
    public void cancel(Acquire node) {
        int st = node.status;
        if (st == WaitNode.WAITING || st == WaitNode.IDLE) {
            Wakes wakes = new Wakes();
            lock.lock();
            try {
                st = node.status;
                if (st == WaitNode.WAITING) {
                    waiters.remove(node);
                    node.status = CANCELLED;
                    node.waker = null;
                    int give = node.assigned;
                    node.assigned = 0;
                    releaseLocked(give, wakes);               // next waiter, or clear QUEUED
                    st = -1;
                } else if (st == WaitNode.IDLE && STATUS.compareAndSet(node, WaitNode.IDLE, CANCELLED)) {
                    st = -1;                                  // a poll now queues nothing (see notes)
                } else {
                    st = node.status;                         // the poll's fast path took it (TAKEN)
                }
            } finally {
                lock.unlock();
            }
            wakes.wakeAll();
            if (st == -1) {
                return;
            }
        }
        if (st == GRANTED && STATUS.compareAndSet(node, GRANTED, CANCELLED)) {
            release(node.need);                               // granted but never delivered: pass it on
        }
    }

    @Override
    public String toString() {
        long s = state;
        return "FairSemaphore[available=" + (s >>> 1) + ((s & QUEUED) != 0 ? ", waiters=" + waiters.size() : "") + "]";
    }
}
