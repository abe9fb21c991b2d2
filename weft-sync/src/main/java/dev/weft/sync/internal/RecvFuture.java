package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.spi.Coop;

/**
 * A receive as a future. It takes a message only in the poll that returns it (see
 * {@link ChannelCore}, "Cancel safety"), so {@link #drop()} has nothing to give back: it only
 * leaves the channel's {@code receivers} queue, passing on a wake it may have been given. The
 * future is its own {@link WaitNode}. One poller at a time; {@link #drop()} from any thread.
 *
 * @param <T> the message type
 */
final class RecvFuture<T> extends WaitNode implements Future<T> {
    private final ChannelReceiver<T> receiver;

    RecvFuture(ChannelReceiver<T> receiver) {
        this.receiver = receiver;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<T> poll(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        Object r = receiver.core.pollReceive(this, cx);
        if (r == ChannelCore.EMPTY) {
            return Poll.pending();
        }
        if (r == ChannelCore.END) {
            throw receiver.endOfChannel();
        }
        return Poll.ready((T) r);
    }

    @Override
    public void drop() {
        receiver.core.receivers.retire(this, true);
    }
}
