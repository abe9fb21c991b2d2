package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Stream;
import java.util.Collection;
import java.util.Iterator;

/**
 * The receiving half of an mpsc channel ({@link Channels#mpsc}, {@link Channels#unbounded}):
 * messages in the order each sender sent them.
 *
 * {@snippet class="dev.weft.sync.snippets.ChannelSnippets" region="mpsc"}
 *
 * <p><b>Three ways to read.</b> In a sequential task, {@code for (T m : receiver)} (or
 * {@link #recv()}) parks while the channel is empty and ends when every sender has closed and
 * every message was received. In a poll task, {@link #recvFuture()} or {@link #stream()}.
 * Anywhere, {@link #tryRecv()} and {@link #drainTo} never wait.
 *
 * <p><b>Cancellation never loses a message.</b> A receive takes a message out of the channel only
 * in the very poll that returns it. So a pending {@link #recvFuture()} that is cancelled &mdash;
 * because it lost a {@link dev.weft.Weft#select select}, timed out, or its task was cancelled
 * &mdash; leaves every message in the channel for the next receive:
 *
 * {@snippet class="dev.weft.sync.snippets.ChannelSnippets" region="selectLosesNothing"}
 *
 * <p><b>Nor does discarding a received message.</b> When a combinator obtained a message from
 * {@link #recvFuture()} (or a batch from {@link #recvManyFuture}) but will not deliver it &mdash; a
 * {@link Future#join(java.util.List) join} whose other branch failed, or that lost a select or
 * timed out after this branch completed &mdash; it calls the future's
 * {@link Future#release(Object) release}, which gives the message back: the next receive on this
 * receiver, by whichever method, gets it first, and several given back keep their original
 * order. A closed channel delivers them before its end. They do not count against a bounded
 * channel's capacity (their slots were freed when they were taken).
 *
 * <p><b>Sharing.</b> A receiver is normally owned by one task. It may be shared by several (each
 * message then goes to exactly one of them, like a work queue); that is safe but the order in
 * which the tasks see messages is then up to scheduling.
 *
 * <p><b>Closing</b> the receiver makes every later send fail with {@link ClosedException}
 * (carrying the message back) and wakes senders waiting on a full channel; messages already in
 * the channel can still be received, then the receiver sees the end.
 *
 * <p><b>Instead of {@link java.util.concurrent.BlockingQueue#take()}</b>: a receive parks a
 * sequential task or is pending in a poll task without holding a thread, composes with
 * {@code select} and timeouts without losing messages, and ends cleanly when producers are done.
 *
 * @param <T> the message type
 */
public interface Receiver<T> extends Iterable<T>, AutoCloseable {

    /**
     * The next message, parking the calling task while the channel is empty.
     *
     * @throws ClosedException (without a value) once every sender is closed and every message was
     *         received, or the receiver was closed and drained
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked; no message
     *         is lost
     */
    T recv();

    /**
     * A future of the next message: pending while the channel is empty; fails with
     * {@link ClosedException} at the end. Cancel-safe: a cancelled pending receive takes nothing.
     * Its {@link Future#release(Object) release} gives the message it returned back to the channel,
     * to be received first (once; see the class notes).
     */
    Future<T> recvFuture();

    /**
     * The next message if one is there now, else {@code null}; never waits.
     *
     * @throws ClosedException at the end of the channel
     */
    T tryRecv();

    /**
     * Moves up to {@code max} messages that are there now into {@code sink}, in order; never waits.
     * Cheaper per message than repeated {@link #tryRecv()}.
     *
     * <p><b>A failing sink loses nothing.</b> {@code sink.add} runs without any of the channel's
     * locks held (it may even receive from this channel). If it throws, the message it refused and
     * every later one stay in the channel, in order, for the next receive; the messages added
     * before stay in the sink; the exception propagates. The same holds for {@link #recvMany} and
     * {@link #recvManyFuture}.
     *
     * @return the number of messages moved (0 when empty, also at the end)
     */
    int drainTo(Collection<? super T> sink, int max);

    /**
     * Parks until at least one message is there, then moves up to {@code max} of them into
     * {@code sink}, in order: the batch form of {@link #recv()}, much cheaper per message when the
     * channel is busy.
     *
     * {@snippet class="dev.weft.sync.snippets.ChannelSnippets" region="recvMany"}
     *
     * @return the number of messages moved, at least 1; 0 only at the end of the channel
     * @throws IllegalArgumentException if {@code max < 1}
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked; nothing
     *         was moved
     */
    int recvMany(Collection<? super T> sink, int max);

    /**
     * A future of {@link #recvMany}: pending while the channel is empty; ready with the number of
     * messages moved into {@code sink} (0 at the end). Cancel-safe: messages are moved only by
     * the poll that returns, so a cancelled one has moved nothing. The sink is called with no lock
     * held; if its {@code add} throws, the messages not yet added go back to the channel, to be
     * received first, and the future fails with that exception.
     *
     * <p>Its {@link Future#release(Object) release} (the count is discarded) takes the messages it
     * moved back out of {@code sink} &mdash; each one's last occurrence by identity &mdash; and
     * gives them back to the channel, first, in their original order. A message no longer in the
     * sink stays with whoever took it out; a sink that does not support removal keeps them.
     */
    Future<Integer> recvManyFuture(Collection<? super T> sink, int max);

    /**
     * The messages as a {@link Stream} for poll code: an item per message, the end at the end of
     * the channel. Cancelling the stream only stops this reader (the receiver stays open, no
     * message is lost); close the receiver explicitly.
     */
    Stream<T> stream();

    /**
     * Iterates over the messages from a sequential task: {@code hasNext()} parks until the next
     * message or the end. A cancelled task's {@code hasNext()} throws
     * {@link dev.weft.CancelledException} and loses no message.
     */
    @Override
    Iterator<T> iterator();

    /**
     * The number of messages waiting, given-back ones included, approximately (exact when no one
     * is sending or receiving).
     */
    long size();

    /**
     * Closes the receiving side; idempotent. Later sends fail and hand their message back; senders
     * parked on a full channel wake and fail the same way; buffered messages stay receivable.
     */
    @Override
    void close();

    /** True once this receiver was closed. */
    boolean isClosed();
}
