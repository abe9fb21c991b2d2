package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.spi.Coop;

/**
 * A receiver's messages as a {@link Stream}: the same cancel-safe poll as {@link RecvFuture}, with
 * {@link Poll#end()} at the end of the channel. {@link #drop()} leaves the wait queue only; it
 * does not close the receiver. One poller at a time.
 *
 * @param <T> the message type
 */
final class ReceiverStream<T> extends ReceiveNode implements Stream<T> {
    private final ChannelCore<T> core;

    ReceiverStream(ChannelCore<T> core) {
        this.core = core;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<T> pollNext(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        Object r = core.pollReceive(this, cx);
        if (r == ChannelCore.EMPTY) {
            return Poll.pending();
        }
        if (r == ChannelCore.END) {
            return Poll.end();
        }
        return Poll.ready((T) r);
    }

    @Override
    public void drop() {
        core.receivers.retire(this, true);
    }

    @Override
    public String toString() {
        return "stream of " + core;
    }
}
