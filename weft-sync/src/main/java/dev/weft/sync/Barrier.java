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
 * that comes after the round completed changes nothing, and an arrival cannot be undone after the
 * barrier tripped: discarding a completed {@link #awaitFuture()} gives nothing back.
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

    /**
     * A future that arrives at its first poll and is ready (true for the leader) when the round
     * completes. Dropping it while it waits withdraws the arrival. Once it is ready the arrival
     * cannot be undone: the round has tripped for every party, so its
     * {@link Future#release(Object) release} (a combinator discards the result, e.g. a
     * {@link Future#join(java.util.List) join} that was dropped) does nothing, and a discarded
     * {@code true} means nobody learns it was the leader of that round.
     */
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
