package dev.weft.sync.internal;

import dev.weft.internal.SpinLock;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;

/**
 * The engine of {@code Barrier}: a count of arrivals in the current generation and the list of
 * arrivals waiting for it to fill.
 *
 * <h2>Implementation notes</h2>
 * Everything is changed under {@code this} lock. An {@link Arrival} future arrives at its first
 * poll (IDLE → WAITING, {@code arrived++}); the arrival that makes {@code arrived == parties} is
 * the leader: it starts a new generation ({@code arrived = 0}), marks every waiter RELEASED and
 * wakes them after unlocking. Cancelling a WAITING arrival withdraws it ({@code arrived--}), so the
 * barrier still needs a full set of parties and a retried wait does not count twice; cancelling a
 * RELEASED one changes nothing (its generation has passed). Tested by {@code BarrierTest}.
 * {@code release} of a completed arrival (a combinator discards it) does nothing either: the round
 * it completed has tripped for every party, and an arrival cannot be undone then
 * ({@code ReleaseSignalsTest}).
 */
public final class BarrierCore {
    /** Guards this object's mutable state; a {@link SpinLock}, never a monitor (see SpinLock for why). */
    private final SpinLock lock = new SpinLock();
    static final int RELEASED = 3;
    static final int DONE = 4;

    private final int parties;
    private final WaitList waiters = new WaitList();   // guarded by this
    private int arrived;                               // guarded by this

    public BarrierCore(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least one party: " + parties);
        }
        this.parties = parties;
    }

    public int parties() {
        return parties;
    }

    /** Arrivals waiting in the current generation (a snapshot). */
    public int waiting() {
        lock.lock();
        try {
            return arrived;
        } finally {
            lock.unlock();
        }
    }

    /** A future that arrives at its first poll and is ready (true for the leader) when all have. */
    public Future<Boolean> arrive() {
        return new Arrival(this);
    }

    Poll<Boolean> pollArrival(Arrival a, Context cx) {
        Wakes wakes;
        lock.lock();
        try {
            int st = a.status;
            if (st == RELEASED) {
                a.status = DONE;
                return Poll.ready(false);
            }
            if (st == WaitNode.WAITING) {
                Waker w = cx.waker();
                if (!a.waker.willWake(w)) {
                    a.waker = w;
                }
                return Poll.pending();
            }
            if (st == DONE) {
                throw new IllegalStateException("this barrier wait already completed");
            }
            arrived++;
            if (arrived < parties) {
                a.waker = cx.waker();
                a.status = WaitNode.WAITING;
                waiters.addLast(a);
                return Poll.pending();
            }
            arrived = 0;
            a.status = DONE;
            wakes = new Wakes();
            WaitNode n = waiters.pollFirst();
            while (n != null) {
                n.status = RELEASED;
                wakes.add(n.waker);
                n.waker = null;
                n = waiters.pollFirst();
            }
        } finally {
            lock.unlock();
        }
        wakes.wakeAll();
        return Poll.ready(true);
    }

    void cancel(Arrival a) {
        lock.lock();
        try {
            if (a.status == WaitNode.WAITING) {
                waiters.remove(a);
                a.waker = null;
                arrived--;
            }
            a.status = DONE;
        } finally {
            lock.unlock();
        }
    }

    /** One party's wait. One poller at a time; cancel from any thread. */
    static final class Arrival extends WaitNode implements Future<Boolean> {
        private final BarrierCore core;

        Arrival(BarrierCore core) {
            this.core = core;
        }

        @Override
        public Poll<Boolean> poll(Context cx) {
            return core.pollArrival(this, cx);
        }

        @Override
        public void drop() {
            core.cancel(this);
        }

        /** Nothing to give back: the round this arrival completed has tripped (see the class notes). */
        @Override
        public void release(Boolean leader) {
            // An arrival cannot be undone after its round tripped: every party was let go.
        }
    }
}
