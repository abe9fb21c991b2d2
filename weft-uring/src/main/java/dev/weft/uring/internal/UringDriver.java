package dev.weft.uring.internal;

import dev.weft.Runtime;
import dev.weft.internal.ExecutionContext;
import dev.weft.internal.SpinLock;
import dev.weft.io.spi.FileHandle;
import dev.weft.io.spi.IoDriver;
import dev.weft.spi.Driver;
import dev.weft.spi.Faults;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The io_uring driver of one runtime: one ring, driven in turns by the runtime's own threads
 * (decision 16: the worker that would park waits in {@link #park}; busy workers reap with
 * {@code park(0)}).
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>One ring, shared.</b> Every piece of ring state this process writes (the SQ tail, the CQ
 *       head, the SQEs, the operation table) is touched under {@link #lock}, a spin lock held for a
 *       few hundred nanoseconds (never across a system call that waits). The thread that parks
 *       waits in {@code io_uring_enter(GETEVENTS)} outside the lock, submitting nothing, so other
 *       threads keep submitting meanwhile; the kernel serialises concurrent enters itself. The
 *       ring is therefore set up without {@code SINGLE_ISSUER} (another thread's enter fails with
 *       {@code EEXIST}) and so without {@code DEFER_TASKRUN}, which needs it and would post a
 *       completion only when its submitter next waits in the kernel: 549 ms late behind a
 *       600 ms computation, against 0 to 6 ms on this setup ({@code SharedRingProbeTest};
 *       ARCHITECTURE.md, decision 23). {@code COOP_TASKRUN} is on: it spares the submitter an
 *       interrupt per completion, and measured no later than without it.</li>
 *   <li><b>Who submits.</b> The kernel ties a request to the OS thread that submitted it and
 *       cancels it when that thread exits. So only threads that drive this ring (they have called
 *       {@link #park}: the runtime's workers, its loop thread, or this driver's own thread) submit
 *       directly, also for a virtual thread they carry
 *       ({@link ExecutionContext#currentOsThread()}). Any other thread (a plain thread, the
 *       JDK's carriers) queues the request ({@link #pending}) and wakes the driver, which submits it
 *       on its next turn.</li>
 *   <li><b>Batched per turn.</b> A driving thread only prepares the SQE ({@link #submit}); the
 *       thread hands what is prepared to the kernel in one {@code io_uring_enter} when it ends its
 *       turn ({@link #flush}, called by the runtime before it parks and every few dozen tasks,
 *       and by {@link #park}), or at once when {@value #SUBMIT_BATCH} are waiting. That enter
 *       runs outside the lock: SQEs beyond the published tail are untouched by it, and the kernel
 *       serialises concurrent submitters and consumes each SQE once.</li>
 *   <li><b>Wake-ups.</b> A read of an eventfd is kept armed in the ring; {@link #wakeup()} writes
 *       the eventfd, which completes that read and ends a wait in progress (or the next one at
 *       once: the count stays). Concurrent wake-ups are coalesced by {@link #wakePending}.</li>
 *   <li><b>user_data.</b> An operation's user_data is its slot in {@link #slots} and the slot's
 *       generation (high 32 bits). A slot's generation moves on when its operation completes, so a
 *       late CQE for a freed slot is recognised and dropped, never delivered to a newer operation.
 *       The eventfd read and the cancel requests carry tags outside any slot.</li>
 *   <li><b>Cancel.</b> {@code IORING_OP_ASYNC_CANCEL} by user_data. The operation's memory stays
 *       held until its own terminal CQE, whatever the cancel returns. A cancel is never dropped
 *       for a full SQ: the SQ is submitted to make room, and a CQ overflow backlog
 *       ({@code EBUSY}) is reaped first.</li>
 *   <li><b>Faults.</b> A waker that throws is reported ({@link Faults}) and the others are still
 *       woken; wakes run after the lock is released.</li>
 * </ul>
 */
public final class UringDriver implements Driver, IoDriver, UringAccess.DriverView {
    /** SQ entries; the CQ has twice as many. */
    static final int ENTRIES = 256;
    /** Prepared SQEs that a driving thread hands to the kernel at once, without waiting for the end of its turn. */
    static final int SUBMIT_BATCH = 32;
    static final long WAKE_TAG = -1L;
    static final long CANCEL_TAG = -2L;
    /** The setup flags: see the class notes for the ones left out. */
    static final int SETUP = Abi.SETUP_CQSIZE | Abi.SETUP_SUBMIT_ALL | Abi.SETUP_COOP_TASKRUN | Abi.SETUP_NO_SQARRAY;

    private final String runtimeName;
    private final Ring ring;
    private final SpinLock lock = new SpinLock();
    private final int eventFd;
    private final MemorySegment wakeRead;
    private final MemorySegment wakeWrite;
    private final MemorySegment waitArg;
    private final ConcurrentLinkedQueue<UringOp> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** SQEs prepared by a driving thread and not yet handed to the kernel ({@link #flush}); written under the lock. */
    private volatile boolean unsubmitted;
    private volatile Thread[] driving = new Thread[0];
    private volatile boolean closed;
    // guarded by lock
    private boolean wakeArmed;
    /**
     * A wake-up's CQE was reaped by a thread other than a parking one (a cancel, a flush, a
     * reap-now): a driving thread blocked in its wait may not have seen it (the CQ head moved
     * before the kernel re-checked) and the wake read is no longer armed, so that reaper re-arms
     * it and wakes again ({@link #rewakeIfStolenLocked}). Written under the lock.
     */
    private boolean wakeReaped;
    /** A wake-up's CQE was reaped since the last park consumed one: the next park returns without waiting. */
    private boolean woken;
    private UringOp[] slots = new UringOp[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int nextSlot;
    private int inFlight;
    /** Times the SQ was full when an SQE was wanted, and times the kernel answered EBUSY/EAGAIN (CQ backlog). */
    private long sqFull;
    private long busy;
    private long overflowSeen;

    /** Opens a ring ({@value #ENTRIES} SQ entries) and its eventfd for runtime {@code runtime}. */
    public UringDriver(Runtime runtime) {
        this(runtime, ENTRIES);
    }

    /** As above with {@code entries} SQ entries (tests use tiny rings to reach the full-SQ and CQ-overflow paths). */
    UringDriver(Runtime runtime, int entries) {
        this.runtimeName = runtime.name();
        try {
            this.ring = new Ring(entries, SETUP);
        } catch (ErrnoException e) {
            throw new IllegalStateException("io_uring_setup failed for runtime '" + runtimeName + "': " + e.getMessage()
                    + ". Use the NIO driver (ioDriver(\"nio\")), or see Uring.unavailabilityCause().", e);
        }
        int efd;
        try {
            efd = Sys.eventfd(0, Sys.EFD_CLOEXEC);
        } catch (ErrnoException e) {
            ring.close();
            throw new IllegalStateException("eventfd failed: " + e.getMessage(), e);
        }
        this.eventFd = efd;
        // freed in close(), after the ring (the kernel may write wakeRead until then)
        this.wakeRead = Native.allocate(8);
        this.wakeWrite = Native.allocate(8);
        this.wakeWrite.set(ValueLayout.JAVA_LONG, 0, 1L);
        this.waitArg = Native.allocate(Abi.GETEVENTS_ARG_SIZE + Abi.TIMESPEC_SIZE);
        this.waitArg.set(ValueLayout.JAVA_LONG, Abi.GETEVENTS_ARG_TS, waitArg.address() + Abi.GETEVENTS_ARG_SIZE);
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public FileHandle openFile(Path path, Set<? extends OpenOption> options) throws IOException {
        return UringFile.open(this, path, options);
    }

    @Override
    public dev.weft.Future<dev.weft.io.spi.StreamSocket> connect(java.net.InetSocketAddress address) {
        return UringSockets.connect(this, address);
    }

    @Override
    public dev.weft.io.spi.ListenSocket listen(java.net.InetSocketAddress address, int backlog) throws IOException {
        return UringListenSocket.bind(this, address, backlog);
    }

    /** {@inheritDoc} On io_uring: an {@code AF_UNIX} socket connected by {@code IORING_OP_CONNECT}. */
    @Override
    public dev.weft.Future<dev.weft.io.spi.StreamSocket> connectUnix(java.net.UnixDomainSocketAddress address) {
        return UringSockets.connectUnix(this, address);
    }

    /** {@inheritDoc} On io_uring: bind and listen, then the listener's multishot accept, as for TCP. */
    @Override
    public dev.weft.io.spi.ListenSocket listenUnix(java.net.UnixDomainSocketAddress address, int backlog) throws IOException {
        return UringListenSocket.bindUnix(this, address, backlog);
    }

    @Override
    public dev.weft.io.spi.DatagramSocket bindUdp(java.net.InetSocketAddress address) throws IOException {
        return UringDatagramSocket.bind(this, address);
    }

    // ------------------------------------------------------------------ submission

    /** Submits {@code op} now if the calling OS thread drives this ring, else at the driver's next turn. */
    void submit(UringOp op) {
        if (closed) {
            throw new IllegalStateException("the io_uring driver of runtime '" + runtimeName + "' is closed: "
                    + op.what() + " was not started");
        }
        if (!onDrivingThread()) {
            pending.offer(op);
            wakeup();
            return;
        }
        List<UringOp> wakes = new ArrayList<>(2);
        boolean full;
        lock.lock();
        try {
            prepareLocked(op, wakes);
            unsubmitted = true;     // the thread's turn ends in flush() or park(): one enter for the batch
            full = ring.unsubmitted() >= SUBMIT_BATCH;
        } finally {
            lock.unlock();
        }
        wake(wakes);
        if (full) {
            flush();
        }
    }

    /**
     * Hands the prepared SQEs to the kernel with one {@code io_uring_enter}, made <em>outside</em>
     * the lock: reads from the page cache and receives with data waiting complete inside it, which
     * takes microseconds per operation, and the other workers keep preparing meanwhile instead of
     * spinning. Then reaps, so what completed inside the enter is delivered before this thread
     * looks for work again.
     */
    @Override
    public void flush() {
        if (!unsubmitted) {
            return;
        }
        List<UringOp> wakes = new ArrayList<>();
        int count;
        lock.lock();
        try {
            armWakeLocked(wakes);
            unsubmitted = false;
            count = ring.publish();
        } finally {
            lock.unlock();
        }
        boolean again = false;
        if (count > 0) {
            try {
                ring.enterToSubmit(count);
            } catch (ErrnoException e) {
                again = true;   // EBUSY/EAGAIN (CQ backlog) or a refused batch: the locked path reaps and reports
            }
        }
        boolean rewake;
        lock.lock();
        try {
            if (again) {
                submitLocked(wakes);
            }
            reapLocked(wakes);
            rewake = rewakeIfStolenLocked(wakes);
        } finally {
            lock.unlock();
        }
        wake(wakes);
        if (rewake) {
            wakeup();
        }
    }

    /** Asks the kernel to cancel {@code op} (any thread); its memory stays held until its terminal CQE. */
    void cancel(UringOp op) {
        if (op.isDone() || closed) {
            return;
        }
        // Any thread submits a cancel itself: it completes inside this io_uring_enter (it does not
        // outlive the caller's thread), and the operation it cancels lets go of its file now, even
        // when nobody drives the ring (a current-thread runtime closed from outside).
        List<UringOp> wakes = new ArrayList<>(1);
        boolean rewake;
        lock.lock();
        try {
            cancelLocked(op, wakes);
            submitLocked(wakes);
            reapLocked(wakes);
            rewake = rewakeIfStolenLocked(wakes);
        } finally {
            lock.unlock();
        }
        wake(wakes);
        if (rewake) {
            wakeup();
        }
    }

    /** Submits what is prepared, reaps what is in the CQ now and runs the completions, on the calling thread (any thread). */
    void reapNow() {
        List<UringOp> wakes = new ArrayList<>();
        boolean rewake;
        lock.lock();
        try {
            if (unsubmitted) {
                submitLocked(wakes);
            }
            reapLocked(wakes);
            rewake = rewakeIfStolenLocked(wakes);
        } finally {
            lock.unlock();
        }
        wake(wakes);
        if (rewake) {
            wakeup();
        }
    }

    /**
     * Waits for {@code op}'s terminal CQE, reaping on the calling thread so that it works when
     * nobody drives the ring; at most {@code timeoutNanos}. Sleeps between looks (parks a
     * sequential task, a plain thread sleeps).
     */
    void awaitTerminal(UringOp op, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!op.isDone() && System.nanoTime() < deadline) {
            reapNow();
            if (!op.isDone()) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
            }
        }
    }

    /** Sockets this driver made and has not closed: closed with the driver (the runtime closed). */
    private final java.util.Set<OpenSocket> open = new java.util.HashSet<>();
    private final SpinLock openLock = new SpinLock();

    /** A socket that the driver closes when it closes itself. */
    interface OpenSocket {
        /** The runtime is closing: close the descriptor now (its operations are done or abandoned). */
        void closeForShutdown();
    }

    void opened(OpenSocket s) {
        openLock.lock();
        try {
            open.add(s);
        } finally {
            openLock.unlock();
        }
    }

    void closed(OpenSocket s) {
        openLock.lock();
        try {
            open.remove(s);
        } finally {
            openLock.unlock();
        }
    }

    private boolean onDrivingThread() {
        Thread os = ExecutionContext.currentOsThread();
        if (os == null) {
            return false;
        }
        for (Thread t : driving) {
            if (t == os) {
                return true;
            }
        }
        return false;
    }

    private void prepareLocked(UringOp op, List<UringOp> wakes) {
        if (op.abandoned) {
            op.complete(-Errno.ECANCELED);   // cancelled before it reached the kernel: its memory was never used
            wakes.add(op);
            return;
        }
        int slot = allocateSlot();
        slots[slot] = op;
        op.slot = slot;
        op.userData = ((long) generations[slot] << 32) | slot;
        inFlight++;
        submittedOps++;
        if (op.opcode == Opcode.READ_FIXED || op.opcode == Opcode.WRITE_FIXED
                || (op.opcode == Opcode.SEND_ZC && (op.ioprio & Abi.RECVSEND_FIXED_BUF) != 0)) {
            fixedOps++;
        }
        if (op.opcode == Opcode.SEND_ZC) {
            zeroCopySends++;
        }
        while (!ring.prepare(op.opcode, op.fd, op.addr, op.len, op.offset, op.opFlags, op.userData, op.bufIndex, op.ioprio)) {
            makeRoomLocked(wakes);
        }
    }

    private void cancelLocked(UringOp op, List<UringOp> wakes) {
        if (op.isDone() || op.slot < 0 || op.cancelSent || slots[op.slot] != op) {
            return;     // done, still queued (prepareLocked completes it), or already asked
        }
        op.cancelSent = true;
        while (!ring.prepare(Opcode.ASYNC_CANCEL, -1, op.userData, 0, 0, 0, CANCEL_TAG)) {
            makeRoomLocked(wakes);
        }
    }

    /** The SQ is full: submit what is prepared (reaping first if the kernel asks, EBUSY). */
    private void makeRoomLocked(List<UringOp> wakes) {
        sqFull++;
        try {
            ring.submit();
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EBUSY || e.errno() == Errno.EAGAIN) {
                busy++;
                reapLocked(wakes);
                Thread.onSpinWait();
            } else {
                failPreparedLocked(e, wakes);
            }
        }
    }

    private void submitLocked(List<UringOp> wakes) {
        unsubmitted = false;
        while (true) {
            try {
                ring.submit();
                return;
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EBUSY || e.errno() == Errno.EAGAIN) {
                    busy++;
                    reapLocked(wakes);      // completions wait in the overflow list: make room, then go again
                    Thread.onSpinWait();
                } else {
                    failPreparedLocked(e, wakes);
                    return;
                }
            }
        }
    }

    /** io_uring_enter refused the batch itself (not one operation): report it; the SQEs stay for the next turn. */
    private void failPreparedLocked(ErrnoException e, List<UringOp> wakes) {
        Faults.report("io_uring driver of runtime '" + runtimeName + "' (submit)", this, e);
    }

    private int allocateSlot() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (nextSlot == slots.length) {
            int n = slots.length * 2;
            slots = Arrays.copyOf(slots, n);
            generations = Arrays.copyOf(generations, n);
            free = Arrays.copyOf(free, n);
        }
        return nextSlot++;
    }

    // ------------------------------------------------------------------ completion

    private void reapLocked(List<UringOp> wakes) {
        if (ring.cqOverflowPending()) {
            overflowSeen++;
            try {
                ring.submitAndWait(0);      // GETEVENTS moves the overflowed completions into the CQ
            } catch (ErrnoException e) {
                // EBUSY: the CQ is still full; the reap below makes room and the next turn flushes more
            }
        }
        ring.reap((userData, res, flags) -> onCqe(userData, res, flags, wakes));
    }

    /** Keeps the eventfd read in the ring (prepared here, in the kernel after the caller's submit). */
    /**
     * After a reap outside {@link #park}: if it took a wake-up's CQE, re-arms the wake read and
     * submits it, and returns true: the caller then calls {@link #wakeup()} once the lock is
     * released, so that a thread waiting in the ring wakes and drains what was queued for it.
     */
    private boolean rewakeIfStolenLocked(List<UringOp> wakes) {
        if (!wakeReaped) {
            return false;
        }
        wakeReaped = false;
        armWakeLocked(wakes);
        submitLocked(wakes);
        return true;
    }

    private void armWakeLocked(List<UringOp> wakes) {
        if (!wakeArmed && !closed) {
            while (!ring.prepare(Opcode.READ, eventFd, wakeRead.address(), 8, 0, 0, WAKE_TAG)) {
                makeRoomLocked(wakes);
            }
            wakeArmed = true;
        }
    }

    private void onCqe(long userData, int res, int flags, List<UringOp> wakes) {
        if (userData == WAKE_TAG) {
            wakeArmed = false;
            woken = true;
            wakeReaped = true;
            wakePending.set(false);
            return;
        }
        if (userData == CANCEL_TAG) {
            return;     // the cancel's own answer: the operation's CQE is what counts
        }
        int slot = (int) userData;
        int generation = (int) (userData >>> 32);
        if (slot < 0 || slot >= nextSlot || generations[slot] != generation || slots[slot] == null) {
            return;     // a late CQE for a slot already freed: never delivered to a newer operation
        }
        if ((flags & Abi.CQE_F_MORE) != 0) {
            UringOp multishot = slots[slot];
            if (multishot.addMore(res)) {
                wakes.add(multishot);   // one of its results; the operation goes on
            }
            return;
        }
        UringOp op = slots[slot];
        slots[slot] = null;
        generations[slot]++;
        free[freeCount++] = slot;
        inFlight--;
        completedOps++;
        op.complete(res);
        wakes.add(op);
    }

    /** Completed operations' callbacks and wakers, run after the lock is released (each guarded in {@link UringOp#fire}). */
    private static void wake(List<UringOp> completed) {
        for (UringOp op : completed) {
            op.fire();
        }
    }

    // ------------------------------------------------------------------ Driver

    @Override
    public void park(long timeoutNanos) {
        registerDriving();
        List<UringOp> wakes = new ArrayList<>();
        boolean wasWoken;
        lock.lock();
        try {
            drainPendingLocked(wakes);
            reapLocked(wakes);
            wakeReaped = false;     // this parking thread took it: nobody else is waiting on its behalf
            armWakeLocked(wakes);
            submitLocked(wakes);
            wasWoken = woken;   // also a wake-up reaped by a submitter since the last park: it was meant for this one
            woken = false;
        } finally {
            lock.unlock();
        }
        if (!wakes.isEmpty() || wasWoken || timeoutNanos <= 0 || closed) {
            wake(wakes);
            return;
        }
        waitForCompletions(timeoutNanos);
        lock.lock();
        try {
            drainPendingLocked(wakes);
            reapLocked(wakes);
            wakeReaped = false;
            armWakeLocked(wakes);
            submitLocked(wakes);
            woken = false;
        } finally {
            lock.unlock();
        }
        wake(wakes);
    }

    /** Blocks this OS thread in io_uring_enter until a CQE, a wake-up or the timeout; submits nothing. */
    private void waitForCompletions(long timeoutNanos) {
        try {
            if (timeoutNanos == Long.MAX_VALUE) {
                Sys.ioUringEnter(ring.fd(), 0, 1, Abi.ENTER_GETEVENTS);
            } else {
                MemorySegment ts = waitArg.asSlice(Abi.GETEVENTS_ARG_SIZE, Abi.TIMESPEC_SIZE);
                ts.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
                ts.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
                Sys.ioUringEnter(ring.fd(), 0, 1, Abi.ENTER_GETEVENTS | Abi.ENTER_EXT_ARG,
                        waitArg.address(), Abi.GETEVENTS_ARG_SIZE);
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ETIME && e.errno() != Errno.EINTR && e.errno() != Errno.EBUSY) {
                Faults.report("io_uring driver of runtime '" + runtimeName + "' (wait)", this, e);
            }
        }
    }

    private void drainPendingLocked(List<UringOp> wakes) {
        UringOp op;
        while ((op = pending.poll()) != null) {
            prepareLocked(op, wakes);
        }
    }

    private void registerDriving() {
        Thread self = Thread.currentThread();
        Thread[] now = driving;
        for (Thread t : now) {
            if (t == self) {
                return;
            }
        }
        if (self.isVirtual()) {
            return;     // a virtual thread never drives a ring (it may move between OS threads)
        }
        lock.lock();
        try {
            Thread[] again = driving;
            if (!Arrays.asList(again).contains(self)) {
                Thread[] next = Arrays.copyOf(again, again.length + 1);
                next[again.length] = self;
                driving = next;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeup() {
        if (closed || !wakePending.compareAndSet(false, true)) {
            return;
        }
        try {
            Sys.write(eventFd, wakeWrite.address(), 8);
        } catch (ErrnoException e) {
            wakePending.set(false);
            Faults.report("io_uring driver of runtime '" + runtimeName + "' (wakeup)", this, e);
        }
    }

    /**
     * Cancels the operations still in flight, waits up to a second for their CQEs (their memory is
     * held until then), then closes the ring and the eventfd.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<UringOp> wakes = new ArrayList<>();
        lock.lock();
        try {
            drainPendingLocked(wakes);
            closed = true;
            for (int i = 0; i < nextSlot; i++) {
                if (slots[i] != null) {
                    cancelLocked(slots[i], wakes);
                }
            }
            submitLocked(wakes);
        } finally {
            lock.unlock();
        }
        wake(wakes);
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (true) {
            wakes.clear();
            int left;
            lock.lock();
            try {
                reapLocked(wakes);
                left = inFlight;
            } finally {
                lock.unlock();
            }
            wake(wakes);
            if (left == 0 || System.nanoTime() > deadline) {
                break;
            }
            waitForCompletions(10_000_000L);
        }
        List<OpenSocket> left;
        openLock.lock();
        try {
            left = new ArrayList<>(open);
            open.clear();
        } finally {
            openLock.unlock();
        }
        for (OpenSocket s : left) {
            try {
                s.closeForShutdown();
            } catch (Throwable t) {
                Faults.report("io_uring driver of runtime '" + runtimeName + "' (closing a socket)", s, t);
            }
        }
        ring.close();
        try {
            Sys.close(eventFd);
        } catch (ErrnoException e) {
            // closing anyway
        }
        Native.free(wakeWrite);
        Native.free(waitArg);
        // wakeRead is left to the process: the kernel tears a closed ring down asynchronously, and an
        // armed read of the eventfd could still be cancelled into it (8 bytes per closed runtime).
    }

    private volatile dev.weft.uring.Uring extras;
    /** Operations given to the kernel and operations completed (their terminal CQE), for {@link dev.weft.uring.Uring.Stats}. */
    private long submittedOps;
    private long completedOps;
    private long fixedOps;
    private long zeroCopySends;
    /** Owned sends of at least this many bytes are {@code SEND_ZC}; MAX_VALUE: off (the default). */
    private volatile int zeroCopyThreshold = Integer.MAX_VALUE;

    int zeroCopyThreshold() {
        return zeroCopyThreshold;
    }

    /** Sets {@link #zeroCopyThreshold}; refused where the kernel has no {@code SEND_ZC}. */
    @Override
    public void zeroCopySendsAbove(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a threshold of 0 bytes or more, or Integer.MAX_VALUE for off; got " + bytes);
        }
        if (bytes != Integer.MAX_VALUE && !dev.weft.uring.Uring.supportedOperations().contains("SEND_ZC")) {
            throw new UnsupportedOperationException("this kernel has no IORING_OP_SEND_ZC (Linux 6.0): sends stay SEND");
        }
        zeroCopyThreshold = bytes;
    }
    // The registered pool (IORING_REGISTER_BUFFERS), one at a time; written under lock, read without
    // it by fixedIndex (a stale read picks a plain READ/WRITE, never a wrong index: the identity and
    // bounds are published together in one immutable record).
    private volatile Registered registered;

    /** A pool registered with the kernel: buffer {@code i} is {@code [base + i*size, base + (i+1)*size)}. */
    private record Registered(Object owner, String name, long base, int size, int count) { }

    /**
     * The registered buffer that holds {@code [addr, addr+len)} of memory from pool {@code owner},
     * or -1 when none does (no pool registered, another pool, or memory the pool allocated beyond
     * its count).
     */
    int fixedIndex(Object owner, long addr, int len) {
        Registered r = registered;
        if (r == null || owner == null || r.owner != owner || addr < r.base) {
            return -1;
        }
        long index = (addr - r.base) / r.size;
        if (index >= r.count || addr + len > r.base + (index + 1) * r.size) {
            return -1;
        }
        return (int) index;
    }

    /**
     * Registers {@code pool}'s buffers with the kernel ({@code IORING_REGISTER_BUFFERS}): reads and
     * writes of them become {@code READ_FIXED}/{@code WRITE_FIXED}, with no page pinning per
     * operation. One pool per ring at a time.
     */
    @Override
    public void registerBuffers(dev.weft.io.BufPool pool) {
        java.lang.foreign.MemorySegment slab = dev.weft.io.spi.KernelLoans.poolMemory(pool);
        if (slab == null) {
            throw new IllegalArgumentException("BufPool '" + pool.name() + "' is " + (pool.isDirect() ? "empty" : "a heap pool")
                    + ": only a direct pool's memory can be registered with the kernel (BufPool.direct(size, count))");
        }
        Registered current = registered;
        if (current != null) {
            throw new IllegalStateException("BufPool '" + current.name() + "' is registered with this ring already: one "
                    + "pool per ring; unregisterBuffers() first");
        }
        Memlock.check(pool.name(), slab.byteSize());
        int count = pool.count();
        java.lang.foreign.MemorySegment iovecs = Native.allocate(16L * count);
        try {
            for (int i = 0; i < count; i++) {
                iovecs.set(java.lang.foreign.ValueLayout.JAVA_LONG, 16L * i, slab.address() + (long) i * pool.bufferSize());
                iovecs.set(java.lang.foreign.ValueLayout.JAVA_LONG, 16L * i + 8, pool.bufferSize());
            }
            // The system call outside the driver's lock (it pins the pool's pages; other threads keep
            // submitting meanwhile); registering is serialized by its own flag.
            if (!registering.compareAndSet(false, true)) {
                throw new IllegalStateException("another pool is being registered with this ring: one pool per ring");
            }
            try {
                if (registered != null) {
                    throw new IllegalStateException("BufPool '" + registered.name() + "' was registered meanwhile: one pool per ring");
                }
                Sys.ioUringRegister(ring.fd(), Abi.REGISTER_BUFFERS, iovecs, count);
                registered = new Registered(dev.weft.io.spi.KernelLoans.poolIdentity(pool), pool.name(), slab.address(),
                        pool.bufferSize(), count);
            } finally {
                registering.set(false);
            }
        } catch (ErrnoException e) {
            throw Memlock.registerFailed(pool.name(), slab.byteSize(), e);
        } finally {
            Native.free(iovecs);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean registering = new java.util.concurrent.atomic.AtomicBoolean();

    /** Unregisters the registered pool, if any; operations already submitted keep their buffers. */
    @Override
    public void unregisterBuffers() {
        if (!registering.compareAndSet(false, true)) {
            throw new IllegalStateException("a pool is being registered with this ring right now: unregister after it");
        }
        try {
            if (registered == null) {
                return;
            }
            registered = null;      // no new fixed operation from here; those in flight keep their buffers
            // Outside the driver's lock: a kernel may wait here for fixed operations in flight.
            try {
                Sys.ioUringRegister(ring.fd(), Abi.UNREGISTER_BUFFERS, java.lang.foreign.MemorySegment.NULL, 0);
            } catch (ErrnoException e) {
                throw new IllegalStateException("io_uring could not unregister its buffers: " + e.getMessage(), e);
            }
        } finally {
            registering.set(false);
        }
    }

    /** The name of the registered pool, or null. */
    @Override
    public String registeredPool() {
        Registered r = registered;
        return r == null ? null : r.name();
    }
    private final java.util.concurrent.atomic.LongAdder copiedBytes = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder inPlaceBytes = new java.util.concurrent.atomic.LongAdder();

    /** {@code n} bytes were copied in Java between a caller's buffer and a socket's own buffer. */
    void copied(int n) {
        copiedBytes.add(n);
    }

    /** {@code n} bytes went to or from the kernel straight from memory the caller wrote or reads (no copy). */
    void inPlace(long n) {
        inPlaceBytes.add(n);
    }

    @Override
    public String runtimeName() {
        return runtimeName;
    }

    @Override
    public long[] snapshot() {
        lock.lock();
        try {
            return new long[] {ring.sqEntries(), ring.cqEntries(), inFlight, sqFull, busy, overflowSeen, submittedOps, completedOps,
                copiedBytes.sum(), inPlaceBytes.sum(), fixedOps, zeroCopySends, zeroCopyThreshold, ring.submitCalls()};
        } finally {
            lock.unlock();
        }
    }

    /** {@code Uring.class}: this driver's extras (statistics, the kernel's operations); the driver itself for its own type. */
    @Override
    public <E> java.util.Optional<E> extension(Class<E> type) {
        if (type == dev.weft.uring.Uring.class) {
            dev.weft.uring.Uring u = extras;
            if (u == null) {
                u = UringAccess.newUring(this);     // a race makes two equal views, keeps one
                extras = u;
            }
            return java.util.Optional.of(type.cast(u));
        }
        return Driver.super.extension(type);
    }

    @Override
    public String toString() {
        return "io_uring driver of runtime '" + runtimeName + "'";
    }
}
