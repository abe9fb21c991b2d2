package dev.weft.sync;

import dev.weft.Future;

/**
 * A single value that changes, and receivers that want its latest version, as
 * {@link Channels#watch(Object)} returns it: configuration, status, "the current leader".
 * Receivers read the current value at any time and can wait for the next change; intermediate
 * values may be skipped, the latest never is.
 *
 * {@snippet class="dev.weft.sync.snippets.WatchSnippets" region="config"}
 *
 * <p><b>Instead of a {@code volatile} field plus a {@link java.util.concurrent.locks.Condition}</b>
 * (or a {@code CompletableFuture} per change): a watch pairs the value with a version, so a
 * receiver never misses that something changed, and waiting is a cancel-safe future.
 *
 * @param sender   the sending half
 * @param receiver the first receiver
 * @param <T>      the value type
 */
public record Watch<T>(Watch.Sender<T> sender, Watch.Receiver<T> receiver) {

    /**
     * The sending half (one per watch). Thread-safe; never waits.
     *
     * @param <T> the value type
     */
    public interface Sender<T> extends AutoCloseable {

        /**
         * Publishes {@code value} as the latest and wakes every receiver waiting for a change.
         *
         * @throws ClosedException carrying {@code value} if no receiver is open (the value is not
         *         stored)
         * @throws IllegalStateException if the sender was closed
         */
        void send(T value);

        /** The latest value. */
        T current();

        /** A new receiver; the current value counts as already seen by it. */
        Receiver<T> subscribe();

        /** Closes the sender (idempotent): receivers get {@link ClosedException} once they have seen the latest value. */
        @Override
        void close();

        /** The receivers open now (a snapshot). */
        int receiverCount();
    }

    /**
     * One receiver's view: the latest value and which version it has seen. Owned by one task at a
     * time.
     *
     * @param <T> the value type
     */
    public interface Receiver<T> extends AutoCloseable {

        /** The latest value; does not mark it seen. Never waits. */
        T current();

        /** True if a value newer than the last one this receiver saw was sent. */
        boolean hasChanged();

        /**
         * Parks until a value newer than the last one seen is sent (returns at once if there already
         * is one), marks it seen and returns it.
         *
         * @throws ClosedException if the sender closed and the latest value was already seen
         * @throws dev.weft.CancelledException if the calling task is cancelled while parked; nothing
         *         is marked seen then
         */
        T changed();

        /**
         * A future of {@link #changed()}; cancel-safe (a cancelled one marks nothing seen). Its
         * {@link Future#release(Object) release} (a combinator discards the value, e.g. a
         * {@link Future#join(java.util.List) join} that was dropped) marks that version unseen
         * again, unless this receiver has seen a newer one since: {@link #hasChanged()} is true and
         * the next {@link #changed()} returns at once, with the latest value. Call it, like every
         * method of a receiver, from the task that owns the receiver.
         */
        Future<T> changedFuture();

        /** Another receiver that has seen what this one has. */
        Receiver<T> clone();

        /** Closes this receiver; idempotent. */
        @Override
        void close();
    }
}
