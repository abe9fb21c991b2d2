package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Weft;
import dev.weft.spi.Coop;
import dev.weft.sync.internal.NotifyCore;

/**
 * Wakes tasks that wait for "something happened", without a value: the building block for
 * hand-made primitives. Thread-safe.
 *
 * {@snippet class="dev.weft.sync.snippets.SyncSnippets" region="notify"}
 *
 * <ul>
 *   <li>{@link #notifyOne()} wakes the task that has waited longest; if nobody waits, it stores a
 *       single permit, so the next {@link #notified()} returns at once. A notification that
 *       arrives just before the waiter is therefore not lost (several of them still store one
 *       permit).</li>
 *   <li>{@link #notifyWaiters()} wakes every task waiting now (and every {@link #notifiedFuture()}
 *       already created), and stores nothing.</li>
 * </ul>
 *
 * <p><b>Cancellation.</b> A cancelled wait that had already been chosen by {@link #notifyOne()}
 * passes the notification on (to the next waiter, or as the stored permit): cancelling never
 * swallows a notification. Neither does discarding a completed wait: its future's
 * {@link Future#release(Object) release} passes the notification on the same way (see
 * {@link #notifiedFuture()}).
 *
 * <p><b>Instead of {@link Object#notify()} / {@link java.util.concurrent.locks.Condition}</b>:
 * those need a held monitor or lock and lose a signal sent before the wait begins; this needs no
 * lock, keeps one early notification, and a wait is a future, so it composes with {@code select}
 * and timeouts.
 */
public final class Notify {
    private final NotifyCore core = new NotifyCore();

    /** A new notifier with no stored permit. */
    public Notify() { }

    /** Wakes the longest waiter, or stores a permit if nobody waits. Never waits. */
    public void notifyOne() {
        core.notifyOne();
    }

    /**
     * Wakes every current waiter (including futures from {@link #notifiedFuture()} created before
     * this call but not yet polled). Stores no permit. Never waits. (Named so because
     * {@link Object#notifyAll()} is taken.)
     */
    public void notifyWaiters() {
        core.notifyWaiters();
    }

    /**
     * Parks the calling task until notified (returns at once if a permit is stored, consuming it).
     *
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked; a
     *         notification it had been given is passed on
     */
    public void notified() {
        Coop.proceedBlocking();
        Weft.await(core.notified());
    }

    /**
     * A future that is ready when notified. It counts as waiting for {@link #notifyWaiters()} from
     * its creation, and for {@link #notifyOne()} from its first poll. Cancel-safe. Its
     * {@link Future#release(Object) release} (a combinator discards the completion, e.g. a
     * {@link Future#join(java.util.List) join} that was dropped) gives back a notification it
     * consumed from {@link #notifyOne()} (directly or as the stored permit), as {@code notifyOne}
     * would: to the longest waiter, or as the stored permit; once. A completion by
     * {@link #notifyWaiters()} is not given back: it stores nothing, and every waiter had it.
     */
    public Future<Void> notifiedFuture() {
        return core.notified();
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
