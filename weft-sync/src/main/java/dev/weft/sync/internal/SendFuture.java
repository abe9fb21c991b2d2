package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.spi.Coop;
import dev.weft.sync.ClosedException;

/**
 * A send as a future: ready once the message is in the channel. The message stays in this future,
 * not in the channel, until the poll that stores it, so cancelling a pending send means "not
 * sent". The future is its own {@link WaitNode} in the channel's {@code senders} queue (bounded
 * channels only; an unbounded channel never registers). One poller at a time; {@link #drop()}
 * from any thread.
 *
 * @param <T> the message type
 */
final class SendFuture<T> extends WaitNode implements Future<Void> {
    private final ChannelCore<T> core;
    private final T message;

    SendFuture(ChannelCore<T> core, T message) {
        this.core = core;
        this.message = message;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        try {
            if (core.trySend(message)) {
                core.senders.retire(this, true);
                return Poll.ready(null);
            }
            core.senders.register(this, cx.waker());
            if (core.trySend(message)) {
                core.senders.retire(this, true);
                return Poll.ready(null);
            }
        } catch (ClosedException e) {
            core.senders.retire(this, true);
            throw e;
        }
        return Poll.pending();
    }

    @Override
    public void drop() {
        core.senders.retire(this, true);
    }

    @Override
    public String toString() {
        return "send(" + core + ")";
    }
}
