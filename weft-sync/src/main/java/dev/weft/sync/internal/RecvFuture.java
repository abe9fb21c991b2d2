package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.spi.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A receive as a future. It takes a message only in the poll that returns it (see
 * {@link ChannelCore}, "Cancel safety"), so {@link #drop()} has nothing to give back: it only
 * leaves the channel's {@code receivers} queue, passing on a wake it may have been given.
 * {@link #release} gives the message it returned back to the channel, to be received first (see
 * {@link ChannelCore}, "Given-back messages"); at most once. The future is its own
 * {@link WaitNode}. One poller at a time; {@link #drop()} and {@link #release} from any thread.
 *
 * @param <T> the message type
 */
final class RecvFuture<T> extends ReceiveNode implements Future<T> {
    private static final VarHandle DELIVERED;

    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(RecvFuture.class, "delivered", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelReceiver<T> receiver;
    /**
     * The message the ready poll returned, until given back. Stored with release semantics after
     * {@code takenPosition}; {@link #release}'s CAS reads it (volatile), so a release on another
     * thread sees the position too, and only one release gives the message back. The release runs
     * on another thread than the poll in {@code ReleaseReceivesTest.aMessageGivenBackWhileAReceiveRegistersWakesIt}.
     */
    @SuppressWarnings("unused") // through DELIVERED
    private Object delivered;

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
        DELIVERED.setRelease(this, r);
        return Poll.ready((T) r);
    }

    @Override
    public void drop() {
        receiver.core.receivers.retire(this, true);
    }

    /** The message is discarded unused: it goes back to the channel, ahead of everything else. */
    @Override
    public void release(T value) {
        if (value != null && DELIVERED.compareAndSet(this, value, null)) {
            receiver.core.giveBack(takenPosition, value);
        }
    }

    @Override
    public String toString() {
        return "recv(" + receiver.core + ")";
    }
}
