package dev.weft.io.internal.nio;

import dev.weft.Context;
import dev.weft.Waker;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * One channel's registration with a {@link NioDriver}: at most one waiting reader and one
 * waiting writer, each woken once by the driver when the channel may be ready.
 *
 * <h2>Implementation notes</h2>
 * Tasks and the driver thread share these fields; the selector itself ({@link #key}) is touched by
 * the driver thread only (see {@link NioDriver} for why).
 * <ul>
 *   <li>{@link #reader}/{@link #writer}: a poll stores its waker, the driver takes it
 *       ({@code getAndSet(null)}) and wakes it.</li>
 *   <li>{@link #interest}: the operations the key should select, changed with atomic bit
 *       operations. A poll that must wait ORs its operation in and, if it was not there, queues
 *       the registration ({@link #queued} keeps it in the queue once) for the driver to apply.
 *       An event that finds no waiter ANDs the operation out, applies that, then looks at the
 *       waker slot once more: either the poll's OR came after the AND (and it queued the change),
 *       or the driver's second look sees its waker and wakes it. A wake when the channel turns out
 *       not to be ready only costs a re-poll. Checked by jcstress {@code NioInterestStress} (read
 *       and write), which fails if the poll ORs before it stores its waker, or without the
 *       driver's second look.</li>
 *   <li>{@link #closed}: set by {@link #close()}; the driver then cancels the key and closes the
 *       channel on its own thread.</li>
 *   <li>{@link #releaseWaiters}: closers that wait until the descriptor is really closed
 *       ({@code NioDriver.closeAndWait}); the driver marks it {@link #RELEASED} and wakes them.</li>
 * </ul>
 */
public final class Registration {
    private static final VarHandle READER;
    private static final VarHandle WRITER;
    private static final VarHandle INTEREST;
    private static final VarHandle QUEUED;
    private static final VarHandle RELEASE_WAITERS;
    /** {@link #releaseWaiters} once the channel's file descriptor is closed. */
    private static final WaiterNode RELEASED = new WaiterNode(Waker.NOOP, null);

    /** What {@link #apply} did. */
    static final int APPLIED = 0;
    /** The channel was closed now and had no key: its file descriptor is closed. */
    static final int CLOSED_NOW = 1;
    /** The channel was closed now and had a key: its descriptor closes when the selector deregisters the key. */
    static final int CLOSED_KEYED = 2;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER = l.findVarHandle(Registration.class, "reader", Waker.class);
            WRITER = l.findVarHandle(Registration.class, "writer", Waker.class);
            INTEREST = l.findVarHandle(Registration.class, "interest", int.class);
            QUEUED = l.findVarHandle(Registration.class, "queued", boolean.class);
            RELEASE_WAITERS = l.findVarHandle(Registration.class, "releaseWaiters", WaiterNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NioDriver driver;
    private final SelectableChannel channel;
    private final int readOp;
    private SelectionKey key;                 // driver thread only
    @SuppressWarnings("unused") // through READER
    private volatile Waker reader;
    @SuppressWarnings("unused") // through WRITER
    private volatile Waker writer;
    @SuppressWarnings("unused") // through INTEREST
    private volatile int interest;
    @SuppressWarnings("unused") // through QUEUED
    private volatile boolean queued;
    private volatile boolean closed;
    /** A hint: the last read emptied the socket (see {@link NioChannels}); any value is safe. */
    private boolean readDrained;
    /** Driver thread only: events in a row that found no waiter for the read operation. */
    private int idleReadEvents;
    /** Driver thread only: the channel was closed by {@link #apply} or {@link #driverClosed}. */
    private boolean channelClosed;
    /** The next registration in the driver's {@link ChannelRegistry} (see there who writes it). */
    Registration nextRegistered;
    /**
     * Wakers of closers waiting until the channel's descriptor is closed (a Treiber stack), or
     * {@link #RELEASED} once it is. Through {@link #RELEASE_WAITERS}.
     */
    @SuppressWarnings("unused")
    private volatile WaiterNode releaseWaiters;

    private record WaiterNode(Waker waker, WaiterNode next) { }

    Registration(NioDriver driver, SelectableChannel channel) {
        this.driver = driver;
        this.channel = channel;
        this.readOp = (channel.validOps() & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
    }

    /** The driver this channel is registered with. */
    public NioDriver driver() {
        return driver;
    }

    /**
     * Arranges for {@code cx}'s waker to be woken when the channel may be readable (or, for a
     * server channel, have a connection to accept). The caller then returns pending.
     *
     * @throws ClosedChannelException if the registration was closed
     */
    public void awaitReadable(Context cx) throws IOException {
        await(cx, READER, readOp);
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
        slot.setVolatile(this, cx.waker());
        if (closed) {
            slot.setVolatile(this, null);
            throw new ClosedChannelException();
        }
        int old = (int) INTEREST.getAndBitwiseOr(this, op);
        if ((old & op) == 0) {
            requestApply();
        }
    }

    private void requestApply() {
        if (QUEUED.compareAndSet(this, false, true)) {
            driver.enqueue(this);
        }
    }

    /** True if the last read returned less than it asked for and no readiness was seen since. */
    boolean readDrained() {
        return readDrained;
    }

    /** The last read returned less than it asked for: the socket's receive buffer is empty. */
    void markReadDrained() {
        readDrained = true;
    }

    /**
     * Driver thread: makes the key match {@link #interest}, registering it first if needed, or
     * closes: {@link #APPLIED}, {@link #CLOSED_NOW} (released) or {@link #CLOSED_KEYED} (the driver
     * releases it after its next select, which deregisters the key and so closes the descriptor:
     * a registered channel's close is deferred until then by the JDK).
     */
    int apply(Selector selector) {
        QUEUED.setVolatile(this, false);          // before reading the state: a later change queues again
        if (closed) {
            if (channelClosed) {
                return APPLIED;
            }
            boolean keyed = key != null;
            if (keyed) {
                key.cancel();
            }
            closeChannel();
            if (keyed) {
                return CLOSED_KEYED;
            }
            markReleased();
            return CLOSED_NOW;
        }
        int ops = (int) INTEREST.getVolatile(this);
        try {
            if (key == null) {
                if (ops != 0) {
                    key = channel.register(selector, ops, this);
                }
            } else {
                key.interestOps(ops);
            }
        } catch (ClosedChannelException | CancelledKeyException | java.nio.channels.ClosedSelectorException e) {
            closed = true;
            wakeAll();
        }
        return APPLIED;
    }

    /**
     * Driver thread: the key was selected, by a blocking select ({@code idle}: the runtime had no
     * queued work) or by a poll of the selector between tasks.
     */
    void ready(SelectionKey k, boolean idle) {
        int ready = k.readyOps();
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            readDrained = false;
            fireRead(k, idle);
        }
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            fire(k, WRITER, SelectionKey.OP_CONNECT, true);     // one-shot: a connected key stays "connectable"
        } else if ((ready & SelectionKey.OP_WRITE) != 0) {
            fire(k, WRITER, SelectionKey.OP_WRITE, false);
        }
    }

    /**
     * The read side of {@link #fire}, lenient with events that find no waiter. Under load a task
     * woken by one event is usually still queued, not yet reading, when later polls of the
     * selector report the channel again; clearing the interest then and setting it again when the
     * task waits would cost two {@code epoll_ctl} calls per message. So such an event from a poll
     * between tasks leaves the interest alone (the thread is busy anyway: it does not spin), and
     * only the second one in a row from a blocking select clears it (an idle selector spins at
     * most once on a channel nobody reads).
     */
    private void fireRead(SelectionKey k, boolean idle) {
        Waker w = (Waker) READER.getAndSet(this, null);
        if (w != null) {
            idleReadEvents = 0;
            w.wake();
        } else if (idle && ++idleReadEvents > 1) {
            idleReadEvents = 0;
            fire(k, READER, readOp, false);
        }
    }

    private void fire(SelectionKey k, VarHandle slot, int op, boolean oneShot) {
        Waker w = (Waker) slot.getAndSet(this, null);
        if (w != null && !oneShot) {
            w.wake();
            return;
        }
        int now = (int) INTEREST.getAndBitwiseAnd(this, ~op) & ~op;
        k.interestOps(now);
        Waker late = (Waker) slot.getAndSet(this, null);
        if (w != null) {
            w.wake();
        }
        if (late != null) {
            late.wake();
        }
    }

    /**
     * Closes the channel: waiters are woken (their next poll sees the closed channel), and the
     * driver thread cancels the key and closes the channel soon after. Idempotent; any thread.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wakeAll();
        requestApply();
    }

    public boolean isClosed() {
        return closed;
    }

    /** True once the channel's file descriptor is closed (a port it was bound to is free). */
    public boolean isReleased() {
        return RELEASE_WAITERS.getVolatile(this) == RELEASED;
    }

    /**
     * Any thread: {@code w} will be woken once the channel's descriptor is closed; returns true
     * (and keeps nothing) if it is closed already. One CAS'd word holds the waiters and the
     * released mark, so a waiter is either in the stack the release takes or sees the mark.
     */
    boolean addReleaseWaiter(Waker w) {
        for (;;) {
            WaiterNode h = (WaiterNode) RELEASE_WAITERS.getVolatile(this);
            if (h == RELEASED) {
                return true;
            }
            if (RELEASE_WAITERS.compareAndSet(this, h, new WaiterNode(w, h))) {
                return false;
            }
        }
    }

    /** The channel's descriptor is closed: wakes the closers that wait for it. Idempotent. */
    void markReleased() {
        WaiterNode n = (WaiterNode) RELEASE_WAITERS.getAndSet(this, RELEASED);
        for (; n != null && n != RELEASED; n = n.next()) {
            n.waker().wake();
        }
    }

    /**
     * The driver is closing (its selector too): close the channel now. The driver marks it
     * released once the selector is closed (which deregisters the key and so closes a
     * registered channel's descriptor).
     */
    void driverClosed() {
        closed = true;
        closeChannel();
        wakeAll();
    }

    private void closeChannel() {
        channelClosed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing more to do
        }
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
