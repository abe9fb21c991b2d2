package dev.weft.sync.internal;

import dev.weft.Future;
import dev.weft.Stream;
import dev.weft.Weft;
import dev.weft.spi.Coop;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Receiver;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The receiver of an mpsc channel. Thread-safe (consumer-side calls serialize on the channel's
 * consumer lock); the blocking forms await the cancel-safe futures, so their cancellation safety is
 * the futures'.
 *
 * @param <T> the message type
 */
public final class ChannelReceiver<T> implements Receiver<T> {
    final ChannelCore<T> core;

    public ChannelReceiver(ChannelCore<T> core) {
        this.core = core;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T recv() {
        Object r = nextOrEnd();
        if (r == ChannelCore.END) {
            throw endOfChannel();
        }
        return (T) r;
    }

    @Override
    public Future<T> recvFuture() {
        return new RecvFuture<>(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T tryRecv() {
        Object r = core.pollMessage(true);
        if (r == ChannelCore.EMPTY) {
            return null;
        }
        if (r == ChannelCore.END) {
            throw endOfChannel();
        }
        return (T) r;
    }

    @Override
    public int drainTo(Collection<? super T> sink, int max) {
        Objects.requireNonNull(sink, "sink");
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        return core.drainTo(sink, max);
    }

    @Override
    public int recvMany(Collection<? super T> sink, int max) {
        checkBatch(sink, max);
        Coop.proceedBlocking();
        int n = core.drainTo(sink, max);
        if (n > 0) {
            return n;
        }
        return Weft.await(new RecvManyFuture<>(core, sink, max));
    }

    @Override
    public Future<Integer> recvManyFuture(Collection<? super T> sink, int max) {
        checkBatch(sink, max);
        return new RecvManyFuture<>(core, sink, max);
    }

    private static void checkBatch(Collection<?> sink, int max) {
        Objects.requireNonNull(sink, "sink");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
    }

    @Override
    public Stream<T> stream() {
        return new ReceiverStream<>(core);
    }

    /**
     * The blocking iteration of a sequential consumer: {@link #recv()}'s path, with the end as a
     * value instead of an exception, and no stream, lookahead future or {@code Poll} objects per
     * message (issue 13: {@code mpsc_100k}).
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            /** The next message, {@code END} once the channel has ended, or null before the next look (messages are never null). */
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = nextOrEnd();
                }
                return next != ChannelCore.END;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the channel has ended: every sender is closed and every message was received");
                }
                T message = (T) next;
                next = null;
                return message;
            }
        };
    }

    /** The next message, parking while there is none, or {@code END} once the channel has ended. */
    private Object nextOrEnd() {
        Coop.proceedBlocking();
        Object r = core.pollMessage(false);
        if (r != ChannelCore.EMPTY) {
            return r;
        }
        try {
            return Weft.await(new RecvFuture<>(this));
        } catch (ClosedException end) {         // a receive future fails only at the end (endOfChannel)
            return ChannelCore.END;
        }
    }

    @Override
    public long size() {
        return core.size();
    }

    @Override
    public void close() {
        core.closeReceiver();
    }

    @Override
    public boolean isClosed() {
        return core.receiverClosed();
    }

    ClosedException endOfChannel() {
        return new ClosedException(core.receiverClosed()
                ? "the receiver was closed and every buffered message was received"
                : "every sender was closed and every message was received");
    }

    @Override
    public String toString() {
        return "receiver of " + core;
    }
}
