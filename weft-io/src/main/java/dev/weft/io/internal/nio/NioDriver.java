package dev.weft.io.internal.nio;

import dev.weft.Runtime;
import dev.weft.spi.Driver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The NIO readiness driver: one {@link Selector} per runtime, waited on by the runtime's idle
 * thread ({@link Driver}). Channels get a {@link Registration} through which a poll asks to be
 * woken when the channel is readable or writable. The driver keeps every registration it made
 * ({@link ChannelRegistry}) and closes their channels when it closes.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Only the driver thread touches the selector.</b> Registering a channel, changing a
 *       key's interest, cancelling a key and closing a registered channel all take monitors inside
 *       the JDK's selector ({@code cancelledKeys}, {@code updateLock}, the key set) that the
 *       selecting thread also takes. A virtual thread that blocks on such a monitor unmounts and
 *       may be handed the monitor as its successor while the runtime's workers wait on the same
 *       monitor: nothing can run it, and the runtime stops (ARCHITECTURE.md decision 12; seen here
 *       with 2,000 connections closing at once). So tasks never call those methods: they record
 *       what they want in the {@link Registration} (lock-free) and queue it in {@link #pending}, and
 *       the driver thread applies the queue at the start of every {@link #park}.</li>
 *   <li><b>The driver thread is whoever holds the token</b> ({@link #owner}, a CAS'd thread):
 *       {@link #park} takes it for its duration (returning at once if it is taken), and
 *       {@link #close()} takes it; the holder applies the queue, selects, dispatches events and
 *       sweeps the {@link ChannelRegistry}. The CAS and the release store order one holder's
 *       writes to driver-only fields before the next holder's reads.</li>
 *   <li><b>Interest follows waiters.</b> Selection is level-triggered, so a channel is interested
 *       in an operation only while a task may wait for it; an event that finds no waiter clears
 *       the interest (on the driver thread; for reads, only when the runtime is idle and a second
 *       such event comes in a row, see {@code Registration.fireRead}). In a steady read loop the
 *       interest is set once. A task that starts waiting meanwhile is woken or re-arms the
 *       interest (jcstress {@code NioInterestStress}).</li>
 *   <li><b>Changes reach a blocked select.</b> A task that queues a change wakes the selector if
 *       a thread is selecting (at most one wake-up per select: {@link #wakePending}). The driver
 *       sets {@link #selecting} before it drains the queue for the last time, and a task queues
 *       before it reads {@code selecting}: either the drain sees the change or the task sees the
 *       flag and wakes the select (Dekker over two volatiles; jcstress {@code NioSelectingStress},
 *       which fails with a plain {@code selecting}).</li>
 *   <li>Events are dispatched by the thread that selects, through
 *       {@link Selector#select(java.util.function.Consumer, long)} (no selected-key set); they
 *       only wake wakers.</li>
 * </ul>
 */
public final class NioDriver implements Driver {
    private static final VarHandle WAKE_PENDING;
    private static final VarHandle OWNER;

    static {
        dev.weft.internal.Diagnostics.registerLibrary(NioDriver.class);   // its frames are Weft's in dumps
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WAKE_PENDING = l.findVarHandle(NioDriver.class, "wakePending", boolean.class);
            OWNER = l.findVarHandle(NioDriver.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Selector selector;
    private final String runtimeName;
    private final SelectorWaker waker;
    private final ConcurrentLinkedQueue<Registration> pending = new ConcurrentLinkedQueue<>();
    private final ChannelRegistry registry = new ChannelRegistry();
    /** Token holder only: channels closed with a key, released after the next select deregisters it. */
    private final ArrayList<Registration> deregistering = new ArrayList<>();
    /** The thread that may touch the selector now (the driver token), or null. Through {@link #OWNER}. */
    @SuppressWarnings("unused")
    private volatile Thread owner;
    private volatile boolean selecting;
    @SuppressWarnings("unused") // through WAKE_PENDING
    private volatile boolean wakePending;
    private volatile boolean closed;

    private NioDriver(Runtime runtime) {
        this(runtime.name(), openSelector(runtime.name()));
    }

    /**
     * A driver over {@code selector}. Test hook: weft-stress's jcstress tests give it a selector
     * that records instead of blocking, so the real handshakes run without a file descriptor.
     */
    NioDriver(String runtimeName, Selector selector) {
        this.runtimeName = runtimeName;
        this.selector = selector;
        this.waker = new SelectorWaker(selector, "weft-io-selector-waker-" + runtimeName);
    }

    private static Selector openSelector(String runtimeName) {
        try {
            return Selector.open();
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

    /**
     * A registration for {@code channel} (made non-blocking here). The selector learns of the
     * channel when a task first waits on it; the driver knows it from now on, and closes it when
     * it closes. Closing the registration closes the channel.
     *
     * @throws ClosedChannelException if the driver is closed (its runtime closed)
     */
    public Registration register(SelectableChannel channel) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        channel.configureBlocking(false);
        Registration r = new Registration(this, channel);
        registry.add(r);
        if (closed) {
            // close() may have walked the registry before the add (it sets closed first: Dekker
            // over the add's CAS and this read), so close the channel here; twice is harmless.
            r.driverClosed();
            throw new ClosedChannelException();
        }
        return r;
    }

    /** Any thread: {@code r} has a change (interest, close) for the driver thread to apply. */
    void enqueue(Registration r) {
        pending.offer(r);
        if (selecting && WAKE_PENDING.compareAndSet(this, false, true)) {
            wakeup();
        }
        if (closed) {
            drainClosed();       // nobody selects any more: apply it here
        }
    }

    /**
     * After {@link #close()}: applies what is queued on the calling thread. A thread that finds
     * the token taken leaves its change to the holder, which looks at the queue again after it
     * lets go of the token (the offer comes before the try, the release before the look).
     */
    private void drainClosed() {
        while (!pending.isEmpty() && tryDrive()) {
            try {
                drain();
                if (!selector.isOpen()) {
                    releaseDeregistered();      // a closed selector has deregistered every key
                }                               // (else close() is about to close it, and releases them)
            } finally {
                stopDriving();
            }
        }
    }

    /** Takes the driver token: true if the calling thread may now touch the selector. */
    private boolean tryDrive() {
        return OWNER.compareAndSet(this, null, Thread.currentThread());
    }

    private void stopDriving() {
        OWNER.setVolatile(this, null);
    }

    /** Token holder: applies queued registrations, interest changes and closes. */
    private void drain() {
        Registration r;
        while ((r = pending.poll()) != null) {
            int how = r.apply(selector);
            if (how == Registration.CLOSED_KEYED) {
                deregistering.add(r);
            }
            if (how != Registration.APPLIED) {
                registry.closed();
            }
        }
    }

    /** Token holder, after a select (or the selector's close): the keyed channels closed before it are closed now. */
    private void releaseDeregistered() {
        for (Registration r : deregistering) {
            r.markReleased();
        }
        deregistering.clear();
    }

    /**
     * Waits on the selector (see {@link Driver#park}). The calling thread takes the driver token
     * for the duration; if another thread holds it (briefly, to apply closes), returns at once.
     */
    @Override
    public void park(long timeoutNanos) {
        if (!tryDrive()) {
            return;
        }
        try {
            parkDriving(timeoutNanos);
        } finally {
            stopDriving();
        }
    }

    private void parkDriving(long timeoutNanos) {
        try {
            if (timeoutNanos == 0) {
                drain();
                selector.selectNow(NioDriver::dispatchBusy);
                releaseDeregistered();
                return;
            }
            selecting = true;      // before the last drain: pairs with enqueue (see class notes)
            try {
                drain();
                if (!deregistering.isEmpty()) {
                    // Deregisters the cancelled keys now, which closes their channels, so a
                    // closer waiting in closeAndWait need not wait for a blocking select to end.
                    // No blocking select after it: selectNow clears a wakeup() that came since
                    // the runtime last looked for work, so the runtime must look again.
                    selector.selectNow(NioDriver::dispatchBusy);
                    releaseDeregistered();
                    return;
                }
                if (timeoutNanos == Long.MAX_VALUE) {
                    selector.select(NioDriver::dispatchIdle);
                } else {
                    long millis = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                    selector.select(NioDriver::dispatchIdle, millis);
                }
            } finally {
                selecting = false;
                WAKE_PENDING.setVolatile(this, false);
            }
        } catch (ClosedSelectorException e) {
            // closed while the runtime shuts down: nothing left to dispatch
        } catch (IOException e) {
            throw new UncheckedIOException("weft-io: select failed in runtime '" + runtimeName + "'", e);
        }
    }

    private static void dispatchIdle(SelectionKey key) {
        dispatch(key, true);
    }

    private static void dispatchBusy(SelectionKey key) {
        dispatch(key, false);
    }

    private static void dispatch(SelectionKey key, boolean idle) {
        if (key.attachment() instanceof Registration r) {
            try {
                r.ready(key, idle);
            } catch (CancelledKeyException e) {
                // closed meanwhile
            }
        }
    }

    /**
     * Closes {@code r}'s channel and returns once its file descriptor is closed, so a port it
     * was bound to can be bound again at once, waiting at most {@link #CLOSE_WAIT_NANOS}.
     * Decision 17 holds: only the driver thread touches the selector, so the caller either waits
     * for it, or becomes it:
     * <ul>
     *   <li>a platform thread takes the driver token if it is free (nobody drives the runtime
     *       now: a current-thread runtime not being driven, busy workers) and applies the close
     *       itself; if another thread holds it, it wakes that thread's select and waits (parked,
     *       woken by the release) until that thread or a later holder has applied it;</li>
     *   <li>a virtual thread of a runtime never touches the selector: a call on the blocking pool
     *       does the above and the task waits for it, shielded (so a cancelled task still
     *       closes); if no pool is available (its runtime's pool has stopped) it returns
     *       without waiting;</li>
     *   <li>the driver thread itself (a close from inside the driver's dispatch) cannot wait for
     *       itself: the channel is closed at its next select.</li>
     * </ul>
     * Never throws; idempotent.
     */
    public void closeAndWait(Registration r) {
        r.close();
        if (r.isReleased()) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        Thread self = Thread.currentThread();
        if (self.isVirtual() && dev.weft.internal.ExecutionContext.currentRuntimeOrNull() != null) {
            dev.weft.Task<Void> helper;
            try {
                helper = dev.weft.io.internal.PoolCalls.start(() -> {
                    awaitReleased(r, deadline);
                    return null;
                });
            } catch (RuntimeException noPool) {
                return;         // the task's runtime has closed: its drivers close everything anyway
            }
            dev.weft.io.internal.PoolCalls.awaitShielded(helper);
            return;
        }
        awaitReleased(r, deadline);
    }

    /** Bound of {@link #closeAndWait}: a driver thread that does not let go within it is stuck. */
    static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Not a Weft task's virtual thread: applies {@code r}'s close as the driver, or waits for the driver to. */
    private void awaitReleased(Registration r, long deadline) {
        Thread self = Thread.currentThread();
        dev.weft.Waker unparkMe = () -> LockSupport.unpark(self);
        while (!r.isReleased()) {
            if (OWNER.getVolatile(this) == self) {
                return;         // called from this thread's own dispatch: the close applies at its next park
            }
            if (closed) {
                drainClosed();
            } else if (tryDrive()) {
                try {
                    parkDriving(0);             // applies the close and deregisters its key
                } finally {
                    stopDriving();
                }
                // The selectNow cleared any wakeup() meant for the runtime's own driver thread,
                // which may be about to select: wake it again (at worst one select returns early).
                wakeupFrom(self);
                continue;
            } else {
                wakeupFrom(self);               // the holder's select returns and it lets go of the token
            }
            if (r.addReleaseWaiter(unparkMe)) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)));
        }
    }

    /** {@link #wakeup()} for a thread that is not a Weft task's (a virtual one still keeps off the selector's monitor). */
    private void wakeupFrom(Thread self) {
        if (self.isVirtual()) {
            waker.request();
        } else {
            selector.wakeup();
        }
    }

    /**
     * Any thread: makes a select in progress (or the next one) return. A virtual thread hands the
     * call to the {@link SelectorWaker}'s platform thread: it must never enter the selector's
     * wakeup monitor (see there why).
     */
    @Override
    public void wakeup() {
        if (Thread.currentThread().isVirtual()) {
            waker.request();
        } else {
            selector.wakeup();
        }
    }

    /**
     * Called by the runtime after its tasks ended and no thread parks here: closes every channel
     * the driver made and that is still open (waited on or not), then the selector. Channels
     * registered from now on are refused.
     */
    @Override
    public void close() {
        closed = true;
        while (!tryDrive()) {
            wakeup();               // a thread may still be in a select, or applying closes: it lets go soon
            Thread.yield();
        }
        try {
            drain();
            registry.forEach(Registration::driverClosed);
            selector.close();               // deregisters every key: registered channels close now
        } catch (IOException | ClosedSelectorException e) {
            // best effort at shutdown
        } finally {
            registry.forEach(Registration::markReleased);
            releaseDeregistered();
            stopDriving();
        }
        waker.stop();
        drainClosed();              // changes queued while this thread held the token
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "NioDriver[" + runtimeName + ", " + (closed ? "closed" : registry.size() + " channels") + "]";
    }
}
