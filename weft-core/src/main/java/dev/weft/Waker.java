package dev.weft;

/**
 * Tells a task that something it waits on may have changed, so that it is polled again.
 *
 * <p>Contract of every waker Weft hands out:
 * <ul>
 *   <li><b>Any thread.</b> {@link #wake()} may be called from any thread, including a native
 *       thread through an FFM upcall, and never blocks.</li>
 *   <li><b>Idempotent.</b> Several wakes before the task runs again cause one poll, not several.</li>
 *   <li><b>No lost wake-up.</b> A wake that races with the task's poll (before, during or after
 *       the poll returns {@link Poll#pending()}) causes a later poll.</li>
 *   <li><b>Safe after the task is gone.</b> Waking a completed or cancelled task does nothing.</li>
 *   <li><b>Publishes nothing.</b> A wake is a signal, not a channel for data: what the woken task
 *       must see is published by the resource itself (an atomic or volatile write before the
 *       wake, read by the task's poll), as Weft's channels, timers and drivers do. A wake that
 *       finds the task already queued, or lands while the task is being polled, gives no
 *       happens-before edge to the next poll.</li>
 * </ul>
 *
 * <p>A future that returns {@link Poll#pending()} must have arranged for the context's current
 * waker to be woken when it can make progress; wakers may change between polls, so a future
 * keeps the one from its latest poll.
 */
@FunctionalInterface
public interface Waker {

    /** A waker that does nothing: for polling a future by hand, in tests or in a busy loop. */
    Waker NOOP = () -> { };

    /** Schedules the task that owns this waker to be polled again. */
    void wake();

    /**
     * True if waking {@code other} would wake the same task as waking this waker, so a future can
     * skip replacing a stored waker. The default compares identity.
     */
    default boolean willWake(Waker other) {
        return this == other;
    }
}
