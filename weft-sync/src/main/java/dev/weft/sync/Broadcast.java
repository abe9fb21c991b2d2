package dev.weft.sync;

import dev.weft.Future;

/**
 * A broadcast channel, as {@link Channels#broadcast(int)} returns it: every receiver sees every
 * message sent after it subscribed, in order. It retains the last {@code capacity} messages; a
 * receiver that falls further behind is told how many it missed ({@link LaggedException}) and
 * continues from the oldest retained one. Senders never wait.
 *
 * {@snippet class="dev.weft.sync.snippets.BroadcastSnippets" region="fanout"}
 *
 * <p><b>Instead of</b> a list of {@link java.util.concurrent.BlockingQueue}s, one per listener:
 * one buffer is shared by every receiver, a slow listener cannot block the sender or the others,
 * and it learns exactly how much it missed.
 *
 * @param sender   the first sender handle
 * @param receiver the first receiver
 * @param <T>      the message type
 */
public record Broadcast<T>(Broadcast.Sender<T> sender, Broadcast.Receiver<T> receiver) {

    /**
     * The sending half: counted handles, like {@link dev.weft.sync.Sender}. Thread-safe; never waits.
     *
     * @param <T> the message type
     */
    public interface Sender<T> extends AutoCloseable {

        /**
         * Sends {@code message} to every current receiver; overwrites the oldest retained message
         * when the buffer is full. Never waits.
         *
         * @throws ClosedException carrying {@code message} if no receiver is open
         * @throws IllegalStateException if this handle was closed
         */
        void send(T message);

        /** A new receiver that will see every message sent from now on. */
        Receiver<T> subscribe();

        /** Another counted sender handle; the receivers see the end when every handle is closed. */
        Sender<T> clone();

        /** Closes this handle; idempotent. */
        @Override
        void close();

        /** The receivers open now (a snapshot). */
        int receiverCount();
    }

    /**
     * One subscriber's view. Owned by one task at a time. A receive takes its message only in the
     * poll that returns it, so a cancelled receive loses nothing.
     *
     * @param <T> the message type
     */
    public interface Receiver<T> extends AutoCloseable {

        /**
         * The next message, parking the calling task until one is sent.
         *
         * @throws LaggedException if messages were overwritten before this receiver saw them; the
         *         next call continues from the oldest retained message
         * @throws ClosedException at the end: every sender closed and every retained message seen
         * @throws dev.weft.CancelledException if the calling task is cancelled while parked
         */
        T recv();

        /**
         * A future of the next message, failing as {@link #recv()} throws. Cancel-safe. Its
         * {@link Future#release(Object) release} (a combinator discards the message, e.g. a
         * {@link Future#join(java.util.List) join} that was dropped) gives the message back to
         * this receiver: its next receive gets it first (in the original order if several were
         * given back), even if the ring has overwritten it since, and before the end. Call it, like
         * every method of a receiver, from the task that owns the receiver.
         */
        Future<T> recvFuture();

        /**
         * The next message if there is one now, else {@code null}; never waits.
         *
         * @throws LaggedException as {@link #recv()}
         * @throws ClosedException at the end
         */
        T tryRecv();

        /** Unsubscribes; idempotent. */
        @Override
        void close();
    }
}
