package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.spi.Coop;
import java.util.Collection;

/**
 * A batch receive as a future: ready with the number of messages moved into the sink (0 at the
 * end of the channel). Messages move only in the poll that returns, so cancelling a pending one
 * moves nothing (see {@link ChannelCore#pollReceiveMany}). Its own {@link WaitNode}. One poller at
 * a time; {@link #drop()} from any thread.
 *
 * @param <T> the message type
 */
final class RecvManyFuture<T> extends WaitNode implements Future<Integer> {
    private final ChannelCore<T> core;
    private final Collection<? super T> sink;
    private final int max;

    RecvManyFuture(ChannelCore<T> core, Collection<? super T> sink, int max) {
        this.core = core;
        this.sink = sink;
        this.max = max;
    }

    @Override
    public Poll<Integer> poll(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        int n = core.pollReceiveMany(this, cx, sink, max);
        return n < 0 ? Poll.pending() : Poll.ready(n);
    }

    @Override
    public void drop() {
        core.receivers.retire(this, true);
    }
}
