package dev.weft.runtime.internal;

import dev.weft.internal.SpinLock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who is awake and who is searching for work, for a pool of workers: decides when to wake a
 * parked worker so that new work is picked up without waking everyone (no thundering herd).
 *
 * <h2>Implementation notes</h2>
 * One atomic int packs {@code unparked} (high 16 bits) and {@code searching} (low 16 bits), after
 * tokio's {@code runtime/scheduler/multi_thread/idle.rs}:
 * <ul>
 *   <li>New work wakes a parked worker only if nobody is searching: a searcher will find it (or,
 *       when it stops searching as the last searcher, wakes another).</li>
 *   <li>At most half of the workers search at once ({@link #tryStartSearching}).</li>
 *   <li>A worker that finds work while searching stops searching; if it was the last searcher,
 *       it wakes another, which keeps the search going for the rest of the work.</li>
 * </ul>
 * Sleepers are a stack of worker indices guarded by a {@link SpinLock} (never a monitor: virtual
 * threads carried by these workers notify too, see SpinLock): parking and unparking are rare next to
 * polling, and the lock keeps "pick a sleeper" and "record it unparked" consistent. The pairing of
 * a worker's "about to park" with a waker's "nobody searching" is the Dekker pattern over the
 * packed state (both sides CAS it) plus a re-check of the queues after registering as a sleeper.
 */
public final class Idle {
    private static final int UNPARK_SHIFT = 16;
    private static final int SEARCH_MASK = (1 << UNPARK_SHIFT) - 1;

    private final int workers;
    private final AtomicInteger state;
    private final int[] sleepers;
    private int sleeperCount;
    private final SpinLock lock = new SpinLock();

    public Idle(int workers) {
        this.workers = workers;
        this.state = new AtomicInteger(workers << UNPARK_SHIFT);
        this.sleepers = new int[workers];
    }

    private static int searching(int s) {
        return s & SEARCH_MASK;
    }

    private static int unparkedCount(int s) {
        return s >>> UNPARK_SHIFT;
    }

    /**
     * New work arrived: returns the index of a parked worker to unpark, already counted as
     * unparked and searching, or -1 if none should be woken.
     */
    public int workerToNotify() {
        int s = state.get();
        if (searching(s) > 0 || unparkedCount(s) >= workers) {
            return -1;
        }
        lock.lock();
        try {
            s = state.get();
            if (searching(s) > 0 || unparkedCount(s) >= workers || sleeperCount == 0) {
                return -1;
            }
            state.addAndGet((1 << UNPARK_SHIFT) + 1);
            sleeperCount--;
            return sleepers[sleeperCount];
        } finally {
            lock.unlock();
        }
    }

    /** A worker wants to steal: allowed if fewer than half of the workers are searching. */
    public boolean tryStartSearching() {
        for (;;) {
            int s = state.get();
            if (2 * searching(s) >= workers) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** A searching worker stops searching; true if it was the last searcher. */
    public boolean stopSearching() {
        int previous = state.getAndDecrement();
        return searching(previous) == 1;
    }

    /**
     * A worker parks: records it as a sleeper; true if it was searching and the last searcher
     * (then the caller re-checks for work before sleeping).
     */
    public boolean parking(int index, boolean wasSearching) {
        lock.lock();
        try {
            int delta = -(1 << UNPARK_SHIFT) - (wasSearching ? 1 : 0);
            int previous = state.getAndAdd(delta);
            sleepers[sleeperCount] = index;
            sleeperCount++;
            return wasSearching && searching(previous) == 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A parked worker woke: true if it had already been counted as unparked by
     * {@link #workerToNotify()} (it starts searching); false if it woke spuriously or for shutdown,
     * in which case it is removed from the sleepers and counted unparked here.
     */
    public boolean unparked(int index) {
        lock.lock();
        try {
            for (int i = 0; i < sleeperCount; i++) {
                if (sleepers[i] == index) {
                    sleepers[i] = sleepers[sleeperCount - 1];
                    sleeperCount--;
                    state.addAndGet(1 << UNPARK_SHIFT);
                    return false;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }


}
