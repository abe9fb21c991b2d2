package dev.weft.io.internal.nio;

import dev.weft.Context;
import dev.weft.Waker;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;

/**
 * One channel's registration with a {@link NioDriver}: at most one waiting reader and one
 * waiting writer, each woken once by the selector when the channel may be ready.
 *
 * <h2>Implementation notes</h2>
 * {@link #reader} and {@link #writer} are swapped atomically: a poll stores its waker, the
 * selector thread takes it ({@code getAndSet(null)}) and wakes it. When an event finds no waiter
 * the selector clears that interest and then looks at the slot once more, while a poll stores its
 * waker and then reads the interest: either the poll sees the cleared interest and sets it again,
 * or the selector sees the waker and wakes it (Dekker over the key's atomic interest set and the
 * volatile slot). A waker woken when the channel turns out not to be ready only costs a re-poll.
 */
public final class Registration {
    private static final VarHandle READER;
    private static final VarHandle WRITER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER = l.findVarHandle(Registration.class, "reader", Waker.class);
            WRITER = l.findVarHandle(Registration.class, "writer", Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NioDriver driver;
    SelectionKey key;            // set once by NioDriver.register, before the registration is shared
    @SuppressWarnings("unused") // through READER
    private volatile Waker reader;
    @SuppressWarnings("unused") // through WRITER
    private volatile Waker writer;
    private volatile boolean closed;

    Registration(NioDriver driver) {
        this.driver = driver;
    }

    /** The driver this channel is registered with. */
    public NioDriver driver() {
        return driver;
    }

    /**
     * Arranges for {@code cx}'s waker to be woken when the channel may be readable (or, for a
     * server channel, have a connection to accept). The caller then returns pending.
     */
    public void awaitReadable(Context cx) throws IOException {
        int op = (key.channel().validOps() & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        await(cx, READER, op);
    }

    /** Arranges for {@code cx}'s waker to be woken when the channel may be writable. */
    public void awaitWritable(Context cx) throws IOException {
        await(cx, WRITER, SelectionKey.OP_WRITE);
    }

    /** Arranges for {@code cx}'s waker to be woken when a pending connect may be finished. */
    public void awaitConnectable(Context cx) throws IOException {
        await(cx, WRITER, SelectionKey.OP_CONNECT);
    }

    private void await(Context cx, VarHandle slot, int op) throws IOException {
        Waker w = cx.waker();
        slot.setVolatile(this, w);
        if (closed) {
            slot.setVolatile(this, null);
            throw new ClosedChannelException();
        }
        try {
            if ((key.interestOps() & op) == 0) {
                key.interestOpsOr(op);
                driver.interestChanged();
            }
        } catch (CancelledKeyException e) {
            slot.setVolatile(this, null);
            throw new ClosedChannelException();
        }
    }

    /** Selector thread: the key was selected. */
    void ready(SelectionKey k) {
        int ready;
        try {
            ready = k.readyOps();
        } catch (CancelledKeyException e) {
            wakeAll();
            return;
        }
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            fire(k, READER, SelectionKey.OP_READ | SelectionKey.OP_ACCEPT, false);
        }
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            fire(k, WRITER, SelectionKey.OP_CONNECT, true);     // one-shot: a connected key stays "connectable"
        } else if ((ready & SelectionKey.OP_WRITE) != 0) {
            fire(k, WRITER, SelectionKey.OP_WRITE, false);
        }
    }

    private void fire(SelectionKey k, VarHandle slot, int ops, boolean alwaysClear) {
        Waker w = (Waker) slot.getAndSet(this, null);
        if (w != null && !alwaysClear) {
            w.wake();
            return;
        }
        try {
            k.interestOpsAnd(~ops);
        } catch (CancelledKeyException e) {
            // closed meanwhile: wake whoever waits below
        }
        Waker late = (Waker) slot.getAndSet(this, null);
        if (w != null) {
            w.wake();
        }
        if (late != null) {
            late.wake();
        }
    }

    /**
     * The channel is being closed: cancels the key (so the selector lets go of it promptly) and
     * wakes the waiters, whose next poll sees the closed channel.
     */
    public void close() {
        closed = true;
        key.cancel();
        driver.interestChanged();
        wakeAll();
    }

    void driverClosed() {
        closed = true;
        wakeAll();
    }

    private void wakeAll() {
        Waker r = (Waker) READER.getAndSet(this, null);
        Waker w = (Waker) WRITER.getAndSet(this, null);
        if (r != null) {
            r.wake();
        }
        if (w != null) {
            w.wake();
        }
    }
}
