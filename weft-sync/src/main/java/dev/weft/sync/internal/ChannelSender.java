package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Poll;

import dev.weft.Future;
import dev.weft.Weft;
import dev.weft.spi.Coop;
import dev.weft.sync.Sender;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One counted sender handle of an mpsc channel. Thread-safe.
 *
 * <p>Closing goes OPEN → CLOSING (CAS: exactly one caller closes, so the channel's sender count
 * drops once per handle) → count dropped (which closes the channel if it was the last handle) →
 * CLOSED. Sends are refused only once CLOSED, i.e. after the channel-level effect of the close:
 * otherwise a send could fail as "closed" while the receiver does not see the end yet, which
 * {@code MpscLincheckTest} found in the first version (the handle flag was set first).
 *
 * @param <T> the message type
 */
public final class ChannelSender<T> implements Sender<T> {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ChannelSender.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelCore<T> core;
    private volatile int state;
    /** As a Sink: the message handed to startSend that is not in the channel yet (one task at a time). */
    private SendFuture<T> sending;

    public ChannelSender(ChannelCore<T> core) {
        this.core = core;
    }

    @Override
    public void send(T message) {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        Coop.proceedBlocking();
        if (core.trySend(message)) {
            return;
        }
        Weft.await(new SendFuture<>(core, message));
    }

    @Override
    public Future<Void> sendFuture(T message) {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        return new SendFuture<>(core, message);
    }

    @Override
    public boolean trySend(T message) {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        return core.trySend(message);
    }

    @Override
    public Sender<T> clone() {
        ensureOpen();
        if (!core.addSender()) {
            throw new IllegalStateException("the channel's senders are all closed; it cannot be reopened");
        }
        return new ChannelSender<>(core);
    }

    // ------------------------------------------------------------------ as a Sink

    @Override
    public Poll<Void> pollReady(Context cx) {
        ensureOpen();
        return drain(cx) ? Poll.ready(null) : Poll.pending();
    }

    @Override
    public void startSend(T message) {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        if (sending != null) {
            throw new IllegalStateException("startSend without a ready pollReady: this sender still holds a message "
                    + "waiting for room in the channel; poll pollReady until it is ready first");
        }
        if (!core.trySend(message)) {
            sending = new SendFuture<>(core, message);
        }
    }

    @Override
    public Poll<Void> pollFlush(Context cx) {
        return drain(cx) ? Poll.ready(null) : Poll.pending();
    }

    @Override
    public Poll<Void> pollClose(Context cx) {
        if (!drain(cx)) {
            return Poll.pending();
        }
        close();
        return Poll.ready(null);
    }

    /** True once no message is held; a ClosedException (carrying the message) ends the hold too. */
    private boolean drain(Context cx) {
        SendFuture<T> s = sending;
        if (s == null) {
            return true;
        }
        Poll<Void> p;
        try {
            p = s.poll(cx);
        } catch (RuntimeException e) {
            sending = null;
            throw e;
        }
        if (p.isReady()) {
            sending = null;
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        if (sending != null && state == OPEN) {
            throw new IllegalStateException("this sender still holds a message handed to startSend (the channel was full): "
                    + "flush the sink (sender.flush(), or await closeFuture()) before close(), or the message is lost");
        }
        if (STATE.compareAndSet(this, OPEN, CLOSING)) {
            core.dropSender();
            state = CLOSED;
        }
    }

    @Override
    public boolean isClosed() {
        return core.queue.isClosed();
    }

    private void ensureOpen() {
        if (state == CLOSED) {
            throw new IllegalStateException("this sender handle was closed");
        }
    }

    @Override
    public String toString() {
        return "Sender[" + (state != OPEN ? "closed handle" : "open") + ", " + core.size() + " buffered]";
    }
}
