package dev.weft.io.internal.nio;

import dev.weft.Runtime;
import dev.weft.spi.Driver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The NIO readiness driver: one {@link Selector} per runtime, waited on by the runtime's idle
 * thread ({@link Driver}). Channels register once ({@link #register}) and get a
 * {@link Registration} through which a poll asks to be woken when the channel is readable or
 * writable.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Interest follows waiters.</b> NIO selection is level-triggered, so a channel stays
 *       interested in an operation only while someone may wait for it: a poll that must wait sets
 *       the interest ({@link Registration#awaitReadable}); the selector thread clears it when an
 *       event finds no waiter. In a steady read loop the interest is set once and stays set.</li>
 *   <li><b>Interest changes reach a blocked select.</b> The JDK applies interest changes at the
 *       start of the next select, so a change made while a thread is blocked in
 *       {@code select} wakes the selector ({@link #interestChanged}). {@link #selecting} is
 *       written before the select and read after the change is queued: either the select sees
 *       the queued change or the changer sees {@code selecting} and wakes it (Dekker; the queue is
 *       the JDK's, guarded by its lock).</li>
 *   <li>Events are dispatched by the thread that selects, through
 *       {@link Selector#select(java.util.function.Consumer, long)} (no selected-key set), and
 *       only wake wakers: the woken tasks run on that thread's runtime after the select returns.</li>
 * </ul>
 */
public final class NioDriver implements Driver {
    private final Selector selector;
    private final String runtimeName;
    private volatile boolean selecting;
    private volatile Thread selectingThread;

    private NioDriver(Runtime runtime) {
        this.runtimeName = runtime.name();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("weft-io: cannot open a selector for runtime '" + runtimeName + "'", e);
        }
    }

    /** The current runtime's NIO driver, made on first use. */
    public static NioDriver current() {
        return Runtime.current().driver(NioDriver.class, NioDriver::new);
    }

    /** The NIO driver of {@code runtime}, made on first use. */
    public static NioDriver of(Runtime runtime) {
        return runtime.driver(NioDriver.class, NioDriver::new);
    }

    /** Registers {@code channel} (made non-blocking) with no interest yet. */
    public Registration register(SelectableChannel channel) throws IOException {
        channel.configureBlocking(false);
        Registration r = new Registration(this);
        try {
            r.key = channel.register(selector, 0, r);
        } catch (ClosedSelectorException e) {
            throw new IOException("runtime '" + runtimeName + "' is closed: its I/O driver no longer accepts channels", e);
        }
        return r;
    }

    /** A registration changed its interest: wake a select in progress so it sees the change. */
    void interestChanged() {
        if (selecting && selectingThread != Thread.currentThread()) {
            selector.wakeup();
        }
    }

    @Override
    public void park(long timeoutNanos) {
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(NioDriver::dispatch);
                return;
            }
            selectingThread = Thread.currentThread();
            selecting = true;      // before the select reads the JDK's update queue (see class notes)
            try {
                if (timeoutNanos == Long.MAX_VALUE) {
                    selector.select(NioDriver::dispatch);
                } else {
                    long millis = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                    selector.select(NioDriver::dispatch, millis);
                }
            } finally {
                selecting = false;
            }
        } catch (ClosedSelectorException e) {
            // closed while the runtime shuts down: nothing left to dispatch
        } catch (IOException e) {
            throw new UncheckedIOException("weft-io: select failed in runtime '" + runtimeName + "'", e);
        }
    }

    private static void dispatch(SelectionKey key) {
        if (key.attachment() instanceof Registration r) {
            r.ready(key);
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            for (SelectionKey k : selector.keys()) {
                if (k.attachment() instanceof Registration r) {
                    r.driverClosed();
                }
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            // best effort at shutdown
        }
    }

    @Override
    public String toString() {
        return "NioDriver[" + runtimeName + ", " + (selector.isOpen() ? selector.keys().size() + " channels" : "closed") + "]";
    }
}
