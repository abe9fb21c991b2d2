package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Weft;
import dev.weft.sync.internal.BarrierCore;

/**
 * Lets a fixed number of tasks wait for each other: each {@link #await()} parks until
 * {@link #parties()} tasks have arrived, then all continue. Reusable: the next arrivals form the
 * next round. Thread-safe.
 *
 * {@snippet class="dev.weft.sync.snippets.SyncSnippets" region="barrier"}
 *
 * <p>Exactly one task per round, the last to arrive, gets {@code true} (the "leader"), for work
 * that must happen once per round.
 *
 * <p><b>Cancellation.</b> A task cancelled while waiting withdraws its arrival: the round still
 * needs {@link #parties()} arrivals, and a task that retries is not counted twice. A cancellation
 * that comes after the round completed changes nothing.
 *
 * <p><b>Instead of {@link java.util.concurrent.CyclicBarrier}</b>: the JDK barrier blocks threads
 * and is broken for everyone when one waiter is interrupted; this one parks tasks (or is pending in
 * a poll task) and a cancelled waiter just leaves.
 */
public final class Barrier {
    private final BarrierCore core;

    /** A barrier for {@code parties} tasks (at least 1). */
    public Barrier(int parties) {
        this.core = new BarrierCore(parties);
    }

    /** How many tasks each round waits for. */
    public int parties() {
        return core.parties();
    }

    /**
     * Arrives and parks until the round is complete.
     *
     * @return true for exactly one task of the round (the last to arrive)
     * @throws dev.weft.CancelledException if the calling task is cancelled while waiting; its arrival
     *         is withdrawn
     */
    public boolean await() {
        return Weft.await(core.arrive());
    }

    /** A future that arrives at its first poll and is ready (true for the leader) when the round completes. */
    public Future<Boolean> awaitFuture() {
        return core.arrive();
    }

    /** The tasks waiting in the current round (a snapshot). */
    public int waiting() {
        return core.waiting();
    }

    @Override
    public String toString() {
        return "Barrier[" + waiting() + "/" + parties() + "]";
    }
}
