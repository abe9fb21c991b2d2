package dev.weft.sync;

import dev.weft.Future;

/**
 * A channel for exactly one value, as {@link Channels#oneshot()} returns it: the classic "reply
 * to this request" slot.
 *
 * {@snippet class="dev.weft.sync.snippets.OneshotSnippets" region="reply"}
 *
 * <p><b>Instead of {@link java.util.concurrent.CompletableFuture}</b>: a oneshot's receive parks a
 * sequential task or is pending in a poll task (no thread held, no callback thread to reason
 * about), and it knows when the sender gave up ({@link Sender#close()} without sending: the
 * receiver gets {@link ClosedException}) and when the receiver is gone (the send hands its value
 * back).
 *
 * @param sender   the sending half
 * @param receiver the receiving half
 * @param <T>      the value type
 */
public record Oneshot<T>(Oneshot.Sender<T> sender, Oneshot.Receiver<T> receiver) {

    /**
     * The sending half of a oneshot: send once, or close without sending. Any thread; never waits.
     *
     * @param <T> the value type
     */
    public interface Sender<T> extends AutoCloseable {

        /**
         * Completes the oneshot with {@code value} and wakes the receiver; never waits.
         *
         * @throws ClosedException carrying {@code value} if the receiver was closed
         * @throws IllegalStateException if a value was already sent or the sender was closed
         */
        void send(T value);

        /**
         * Closes without sending (idempotent; a no-op after {@link #send}): the receiver then gets
         * {@link ClosedException}. Use it in a {@code finally} so a failed responder never leaves
         * the requester waiting.
         */
        @Override
        void close();

        /** True once the receiver was closed: a send would fail. */
        boolean isClosed();
    }

    /**
     * The receiving half of a oneshot. One receive at a time; a receive that was cancelled can be
     * retried and still gets the value.
     *
     * @param <T> the value type
     */
    public interface Receiver<T> extends AutoCloseable {

        /**
         * The value, parking the calling task until it is sent.
         *
         * @throws ClosedException if the sender closed without sending
         * @throws IllegalStateException if the value was already received
         * @throws dev.weft.CancelledException if the calling task is cancelled while parked; the
         *         value, if it arrives, stays receivable
         */
        T recv();

        /**
         * A future of the value; fails with {@link ClosedException} if the sender closed without
         * sending. Cancel-safe: cancelling it takes nothing, so a later receive gets the value. Its
         * {@link Future#release(Object) release} (a combinator discards the value, e.g. a
         * {@link Future#join(java.util.List) join} that was dropped) gives the value back: a later
         * receive gets it, as if it had never been taken.
         */
        Future<T> recvFuture();

        /**
         * The value if it was sent, else {@code null}; never waits.
         *
         * @throws ClosedException if the sender closed without sending
         * @throws IllegalStateException if the value was already received
         */
        T tryRecv();

        /**
         * Closes the receiving half (idempotent): a later send fails and hands its value back. A
         * value sent before the close can still be received.
         */
        @Override
        void close();
    }
}
