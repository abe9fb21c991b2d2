package dev.weft.sync;

import dev.weft.Future;

/**
 * The sending half of an mpsc channel ({@link Channels#mpsc}, {@link Channels#unbounded}). Every
 * method may be called from any thread and any task.
 *
 * {@snippet class="dev.weft.sync.snippets.ChannelSnippets" region="mpsc"}
 *
 * <p><b>Several senders.</b> A handle is counted: {@link #clone()} makes another handle to the
 * same channel, and each handle is {@linkplain #close() closed} once (try-with-resources works).
 * When the last handle is closed, the receiver gets every message already sent and then the end.
 * A closed handle cannot send ({@link IllegalStateException}); other handles are not affected.
 *
 * <p><b>Back-pressure.</b> On a bounded channel {@link #send} parks (a sequential task) and
 * {@link #sendFuture} is pending (a poll task) while the buffer is full. Waiting senders are woken
 * as the receiver frees slots; they are not strictly first-come-first-served (a new send may take a
 * freed slot first), which keeps the channel fast. An unbounded channel never waits.
 *
 * <p><b>Receiver gone.</b> Once the receiver is closed, every send fails with
 * {@link ClosedException}, whose {@link ClosedException#value() value()} is the message: nothing
 * is silently dropped. A message accepted before the receiver closed stays receivable.
 *
 * <p><b>Cancellation.</b> Cancelling a pending {@link #sendFuture} (or the sequential task parked
 * in {@link #send}) means the message was not sent: it never entered the channel, and no other
 * sender is left waiting because of the cancelled one.
 *
 * <p><b>Instead of a {@link java.util.concurrent.BlockingQueue}</b> ({@code put}/{@code offer}):
 * use a channel between Weft tasks. A full {@code ArrayBlockingQueue} blocks a poll task's worker
 * thread; a channel makes it pending. The channel also knows when every producer is done (the end
 * of the stream) and when the consumer is gone (the message comes back), which a queue cannot say.
 *
 * <p><b>As a {@link dev.weft.Sink}</b> ({@code stream.forward(sender)}, {@code sender.with(f)}):
 * {@code startSend} puts the message in the channel if there is room, else holds it until
 * {@code pollReady}/{@code pollFlush} get it in; {@code pollClose} flushes, then closes this
 * handle. A handle used as a sink belongs to one task at a time: {@link #clone()} one per
 * producer. {@link #close()} refuses to close a handle that still holds a message handed to
 * {@code startSend} (flush first): the message would be lost.
 *
 * @param <T> the message type; messages are never {@code null}
 */
public interface Sender<T> extends AutoCloseable, dev.weft.Sink<T> {

    /**
     * Sends {@code message}, parking the calling task while a bounded channel is full.
     *
     * @throws ClosedException carrying {@code message} if the receiver was closed
     * @throws IllegalStateException if this handle was closed
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked (the
     *         message was not sent)
     */
    void send(T message);

    /**
     * A future that sends {@code message} when polled: ready once the message is in the channel,
     * pending while a bounded channel is full; it fails with {@link ClosedException} (carrying the
     * message) if the receiver was closed. Lazy: nothing happens before the first poll. Cancelling
     * it before it is ready leaves the message unsent.
     */
    Future<Void> sendFuture(T message);

    /**
     * Sends {@code message} if there is room now; never waits.
     *
     * @return false if a bounded channel is full (the message was not sent)
     * @throws ClosedException carrying {@code message} if the receiver was closed
     */
    boolean trySend(T message);

    /**
     * Another handle to the same channel, counted separately: the channel ends when every handle
     * is closed. Not a copy of anything else: both handles send into the one channel.
     *
     * @throws IllegalStateException if this handle was closed
     */
    Sender<T> clone();

    /** Closes this handle; idempotent. The last handle to close ends the channel for its receiver. */
    @Override
    void close();

    /** True once the channel accepts no more messages (its receiver closed, or every sender closed). */
    boolean isClosed();
}
