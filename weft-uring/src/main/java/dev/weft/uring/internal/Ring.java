package dev.weft.uring.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: its submission queue (SQ), completion queue (CQ) and SQE array, mapped
 * into this process, driven with plain loads and stores plus {@code io_uring_enter}.
 *
 * <p><b>One thread.</b> A ring is used by one platform thread: the one that created it. The
 * setup asks for {@code IORING_SETUP_SINGLE_ISSUER} (and {@code DEFER_TASKRUN}), under which the
 * kernel refuses {@code io_uring_enter} from any other task with {@code EEXIST}; without those
 * flags it is still not safe for two threads to call it at once (the local SQ tail and the CQ head
 * are unsynchronised). A virtual thread must not own one: it may move between OS threads.
 * {@link #close()} may be called from any thread once the owner has stopped using the ring.
 *
 * <p><b>Completions.</b> Under {@code DEFER_TASKRUN} the kernel posts completions that finished
 * asynchronously only while this thread is in {@link #submitAndWait} (which passes
 * {@code IORING_ENTER_GETEVENTS}); {@link #reap} alone sees only what is already in the CQ.
 * With {@code IORING_FEAT_NODROP} a full CQ does not lose completions: they wait in the kernel
 * ({@link #cqOverflowPending()}) until a {@code submitAndWait} moves them in.
 *
 * <p><b>Buffers.</b> {@link #prepare} takes raw addresses: the memory they point at must stay
 * alive and untouched until the operation's CQE has been reaped.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Design: liburing's, without the library. SQEs are written at a local tail ({@code sqeTail},
 * this thread only) and published to the kernel by {@link #submit} / {@link #submitAndWait}.
 * The SQ index array is filled once at setup with the identity ({@code array[i] = i}): slot
 * {@code tail & mask} always names SQE {@code tail & mask}; with {@code SETUP_NO_SQARRAY} (granted
 * from Linux 6.6) there is no array and the kernel reads SQE {@code tail & mask} itself. The CQ head is owned by this thread
 * ({@code cqHead} mirrors it); the kernel owns the SQ head and the CQ tail.
 *
 * <p>Memory ordering (the kernel is the other party; its side is {@code smp_load_acquire} /
 * {@code smp_store_release} on the same words):
 * <ul>
 *   <li>SQEs (and the index array) are filled with plain stores, then the SQ tail is written with
 *       {@code setRelease} ({@link #setSqTailRelease}): the kernel's acquire of the tail sees every
 *       SQE byte written before it.</li>
 *   <li>The SQ head, written by the kernel as it consumes SQEs, is read with {@code getAcquire}
 *       ({@link #sqHeadAcquire}): once we see a slot as consumed, the kernel has finished reading
 *       it and we may overwrite it.</li>
 *   <li>The CQ tail is read with {@code getAcquire} ({@link #cqTailAcquire}) before any CQE below
 *       it is read with plain loads: the kernel wrote those CQEs before its release of the tail.</li>
 *   <li>The CQ head is written with {@code setRelease} ({@link #setCqHeadRelease}) after the CQEs
 *       below it were read: the kernel may reuse their slots only after our reads.</li>
 * </ul>
 * Each claim is exercised by {@code RingStressTest} (100,000 NOPs in random batches: every
 * user_data must come back exactly once, with the right result, and heads and tails must meet at
 * the end); a stale SQE, a CQE read before it was written, or a slot reused too early shows there
 * as a missing, duplicated or wrong user_data. (jcstress cannot play the kernel's side, so this
 * is a stress test, not a proof.)
 *
 * <p>Who touches what: {@code sqeTail}, {@code cqHead} and the SQE array between the SQ head and
 * the local tail: the owner thread. Everything else in the mappings: the kernel, read here only.
 */
public final class Ring implements AutoCloseable {
    /** u32 at (segment, offset); aligned, so acquire and release modes are available. */
    private static final VarHandle U32 = JAVA_INT.varHandle();

    private final int fd;
    private final int grantedFlags;
    private final int features;
    private final Arena arena = Arena.ofShared();

    private final long sqRingAddress, sqRingSize, cqRingAddress, cqRingSize, sqesAddress, sqesSize;
    private final MemorySegment sqRing, cqRing, sqes;

    private final int sqEntries, sqMask, cqEntries, cqMask;
    private final long sqHeadOff, sqTailOff, sqFlagsOff, cqHeadOff, cqTailOff, cqOverflowOff, cqesOff;

    /** io_uring_enter calls that handed SQEs to the kernel (any thread; {@link #submitCalls()}). */
    private final java.util.concurrent.atomic.LongAdder submitCalls = new java.util.concurrent.atomic.LongAdder();
    /** The next SQE slot to fill: owner thread only; published by setSqTailRelease. */
    private int sqeTail;
    /** Mirror of the kernel-visible CQ head: owner thread only. */
    private int cqHead;
    private boolean closed;

    /**
     * A ring of {@code entries} SQEs (rounded up to a power of two by the kernel) and twice as many
     * CQEs, asking for {@link Abi#SETUP_WANTED} and keeping what the kernel grants.
     *
     * @throws ErrnoException if io_uring_setup or a mapping fails (ENOSYS, EPERM, ENOMEM...)
     */
    public Ring(int entries) throws ErrnoException {
        this(entries, Abi.SETUP_WANTED);
    }

    /**
     * A ring asking for {@code flags}; while setup fails with EINVAL, the highest flag still asked
     * for is dropped and setup tried again ({@link #grantedFlags()} says what was kept).
     */
    public Ring(int entries, int flags) throws ErrnoException {
        if (entries < 1 || entries > 32768) {
            throw new IllegalArgumentException("entries must be in 1..32768, got " + entries);
        }
        int fd = -1;
        int granted = flags;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment params = scratch.allocate(Abi.PARAMS_SIZE, 8);
            while (true) {
                params.fill((byte) 0);
                params.set(JAVA_INT, Abi.P_FLAGS, granted);
                if ((granted & Abi.SETUP_CQSIZE) != 0) {
                    params.set(JAVA_INT, Abi.P_CQ_ENTRIES, 2 * entries);
                }
                try {
                    fd = Sys.ioUringSetup(entries, params);
                    break;
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EINVAL || granted == 0) {
                        throw e;
                    }
                    granted &= ~Integer.highestOneBit(granted);   // the newest flag first
                }
            }
            this.fd = fd;
            this.grantedFlags = granted;
            this.features = params.get(JAVA_INT, Abi.P_FEATURES);
            this.sqEntries = params.get(JAVA_INT, Abi.P_SQ_ENTRIES);
            this.cqEntries = params.get(JAVA_INT, Abi.P_CQ_ENTRIES);
            long sq = Abi.P_SQ_OFF, cq = Abi.P_CQ_OFF;
            this.sqHeadOff = u32(params, sq + Abi.SQO_HEAD);
            this.sqTailOff = u32(params, sq + Abi.SQO_TAIL);
            this.sqFlagsOff = u32(params, sq + Abi.SQO_FLAGS);
            long sqArrayOff = u32(params, sq + Abi.SQO_ARRAY);
            this.cqHeadOff = u32(params, cq + Abi.CQO_HEAD);
            this.cqTailOff = u32(params, cq + Abi.CQO_TAIL);
            this.cqOverflowOff = u32(params, cq + Abi.CQO_OVERFLOW);
            this.cqesOff = u32(params, cq + Abi.CQO_CQES);

            boolean noSqArray = (granted & Abi.SETUP_NO_SQARRAY) != 0;
            long cqSize = cqesOff + cqEntries * Abi.CQE_SIZE;
            // Without the index array (6.6+, which always maps both rings at once) the SQ ring is
            // the CQ ring's mapping: the same size.
            long sqSize = noSqArray ? cqSize : sqArrayOff + sqEntries * 4L;
            boolean single = (features & Abi.FEAT_SINGLE_MMAP) != 0;
            if (single) {
                sqSize = Math.max(sqSize, cqSize);
                cqSize = sqSize;
            }
            int prot = Sys.PROT_READ | Sys.PROT_WRITE;
            int map = Sys.MAP_SHARED | Sys.MAP_POPULATE;
            long sqAddr = 0, cqAddr = 0, sqesAddr = 0;
            try {
                sqAddr = Sys.mmap(sqSize, prot, map, fd, Abi.OFF_SQ_RING).address();
                cqAddr = single ? sqAddr : Sys.mmap(cqSize, prot, map, fd, Abi.OFF_CQ_RING).address();
                sqesAddr = Sys.mmap(sqEntries * Abi.SQE_SIZE, prot, map, fd, Abi.OFF_SQES).address();
            } catch (ErrnoException e) {
                unmapQuietly(sqesAddr, sqEntries * Abi.SQE_SIZE);
                if (cqAddr != sqAddr) {
                    unmapQuietly(cqAddr, cqSize);
                }
                unmapQuietly(sqAddr, sqSize);
                throw e;
            }
            this.sqRingAddress = sqAddr;
            this.sqRingSize = sqSize;
            this.cqRingAddress = cqAddr;
            this.cqRingSize = cqSize;
            this.sqesAddress = sqesAddr;
            this.sqesSize = sqEntries * Abi.SQE_SIZE;
            this.sqRing = MemorySegment.ofAddress(sqAddr).reinterpret(sqSize, arena, null);
            this.cqRing = single ? sqRing : MemorySegment.ofAddress(cqAddr).reinterpret(cqSize, arena, null);
            this.sqes = MemorySegment.ofAddress(sqesAddr).reinterpret(sqesSize, arena, null);
            this.sqMask = sqRing.get(JAVA_INT, u32(params, sq + Abi.SQO_RING_MASK));
            this.cqMask = cqRing.get(JAVA_INT, u32(params, cq + Abi.CQO_RING_MASK));
            for (int i = 0; !noSqArray && i < sqEntries; i++) {   // the identity index array (see the notes)
                sqRing.set(JAVA_INT, sqArrayOff + 4L * i, i);
            }
            // plain: the kernel reads the array only after an acquire of the tail we release later
            this.sqeTail = sqHeadAcquire();
            this.cqHead = (int) U32.getAcquire(cqRing, cqHeadOff);
        } catch (ErrnoException | RuntimeException e) {
            arena.close();
            if (fd >= 0) {
                closeQuietly(fd);
            }
            throw e;
        }
    }

    /**
     * Fills the next SQE: everything zeroed, then {@code opcode}, {@code fd}, {@code addr},
     * {@code len}, {@code offset} and {@code userData}. Not visible to the kernel until
     * {@link #submit}.
     *
     * @return false, with nothing written, when the SQ is full (submit first)
     */
    public boolean prepare(int opcode, int fd, long addr, int len, long offset, long userData) {
        return prepare(opcode, fd, addr, len, offset, 0, userData);
    }

    /**
     * {@link #prepare(int, int, long, int, long, long)} with the operation's own flags word
     * ({@code rw_flags}, {@code fsync_flags}, {@code open_flags}, {@code statx_flags}, ...).
     */
    public boolean prepare(int opcode, int fd, long addr, int len, long offset, int opFlags, long userData) {
        return prepare(opcode, fd, addr, len, offset, opFlags, userData, 0);
    }

    /** {@link #prepare(int, int, long, int, long, int, long)} with a registered buffer's index ({@code READ_FIXED}, {@code WRITE_FIXED}). */
    public boolean prepare(int opcode, int fd, long addr, int len, long offset, int opFlags, long userData, int bufIndex) {
        return prepare(opcode, fd, addr, len, offset, opFlags, userData, bufIndex, 0);
    }

    /** The full form: also the SQE's {@code ioprio} field (flags of some operations, e.g. multishot accept). */
    public boolean prepare(int opcode, int fd, long addr, int len, long offset, int opFlags, long userData, int bufIndex,
                           int ioprio) {
        if (sqeTail - sqHeadAcquire() >= sqEntries) {
            return false;
        }
        long sqe = (long) (sqeTail & sqMask) * Abi.SQE_SIZE;
        for (long o = 0; o < Abi.SQE_SIZE; o += 8) {    // plain: published by the tail's release
            sqes.set(JAVA_LONG, sqe + o, 0L);
        }
        sqes.set(JAVA_BYTE, sqe + Abi.SQE_OPCODE, (byte) opcode);
        sqes.set(JAVA_INT, sqe + Abi.SQE_FD, fd);
        sqes.set(JAVA_LONG, sqe + Abi.SQE_OFF, offset);
        sqes.set(JAVA_LONG, sqe + Abi.SQE_ADDR, addr);
        sqes.set(JAVA_INT, sqe + Abi.SQE_LEN, len);
        sqes.set(JAVA_INT, sqe + Abi.SQE_OP_FLAGS, opFlags);
        sqes.set(JAVA_LONG, sqe + Abi.SQE_USER_DATA, userData);
        sqes.set(JAVA_SHORT, sqe + Abi.SQE_BUF_INDEX, (short) bufIndex);
        sqes.set(JAVA_SHORT, sqe + Abi.SQE_IOPRIO, (short) ioprio);
        sqeTail++;
        return true;
    }

    /** How many {@code io_uring_enter} calls handed SQEs to the kernel so far. */
    public long submitCalls() {
        return submitCalls.sum();
    }

    /** SQEs prepared and not yet consumed by the kernel. */
    public int unsubmitted() {
        return sqeTail - sqHeadAcquire();
    }

    /**
     * Publishes the prepared SQEs (release store of the SQ tail) without entering the kernel, and
     * returns how many it has not consumed yet: the count for {@link #enterToSubmit}, which a
     * caller that serialises its ring access with a lock may call after releasing it.
     */
    public int publish() {
        setSqTailRelease(sqeTail);
        return sqeTail - sqHeadAcquire();
    }

    /**
     * {@code io_uring_enter} submitting up to {@code count} published SQEs, without waiting; safe
     * while another thread prepares further SQEs (they lie beyond the published tail) or enters
     * too (the kernel serialises submissions and consumes each SQE once).
     *
     * @return how many SQEs the kernel consumed
     */
    public int enterToSubmit(int count) throws ErrnoException {
        submitCalls.increment();
        while (true) {
            try {
                return Sys.ioUringEnter(fd, count, 0, 0);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
            }
        }
    }

    /**
     * Publishes the prepared SQEs and lets the kernel consume them ({@code io_uring_enter} without
     * waiting); does not block on the operations themselves.
     *
     * @return how many SQEs the kernel consumed
     */
    public int submit() throws ErrnoException {
        return enter(0, 0);
    }

    /**
     * Publishes the prepared SQEs, then blocks this OS thread until at least {@code minComplete}
     * completions are in the CQ ({@code IORING_ENTER_GETEVENTS}); also moves completions waiting
     * in the kernel's overflow list into the CQ. {@code minComplete} 0 does not block.
     *
     * @return how many SQEs the kernel consumed
     */
    public int submitAndWait(int minComplete) throws ErrnoException {
        return enter(minComplete, Abi.ENTER_GETEVENTS);
    }

    private int enter(int minComplete, int flags) throws ErrnoException {
        setSqTailRelease(sqeTail);
        while (true) {
            int toSubmit = sqeTail - sqHeadAcquire();
            if (toSubmit == 0 && flags == 0) {
                return 0;
            }
            if (toSubmit > 0) {
                submitCalls.increment();
            }
            try {
                return Sys.ioUringEnter(fd, toSubmit, minComplete, flags);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
                // interrupted by a signal: what was consumed shows in the head; go again
            }
        }
    }

    /**
     * Drains the completions now in the CQ, calling {@code sink} for each in order. A CQE is
     * consumed before its call, so if {@code sink} throws, that CQE is not delivered again, the
     * ones after it stay for the next reap, and the exception propagates.
     *
     * @return how many CQEs were delivered
     */
    public int reap(CqeSink sink) {
        int tail = cqTailAcquire();
        int head = cqHead;
        int n = 0;
        try {
            while (head != tail) {
                long cqe = cqesOff + (long) (head & cqMask) * Abi.CQE_SIZE;
                // plain loads: below the tail we acquired, so the kernel's writes are visible
                long userData = cqRing.get(JAVA_LONG, cqe + Abi.CQE_USER_DATA);
                int res = cqRing.get(JAVA_INT, cqe + Abi.CQE_RES);
                int flags = cqRing.get(JAVA_INT, cqe + Abi.CQE_FLAGS);
                head++;
                n++;
                sink.accept(userData, res, flags);
            }
        } finally {
            if (head != cqHead) {
                cqHead = head;
                setCqHeadRelease(head);
            }
        }
        return n;
    }

    /** Free SQ slots: how many {@link #prepare} calls will succeed before the next submit. */
    public int sqSpace() {
        return sqEntries - (sqeTail - sqHeadAcquire());
    }

    /**
     * The kernel's count of completions it dropped because the CQ was full and it could not keep
     * them ({@code cq.overflow}). With {@code IORING_FEAT_NODROP} this stays 0 unless the kernel
     * ran out of memory.
     */
    public long cqOverflow() {
        return Integer.toUnsignedLong((int) U32.getAcquire(cqRing, cqOverflowOff));
    }

    /** Whether completions wait in the kernel's overflow list ({@code IORING_SQ_CQ_OVERFLOW}). */
    public boolean cqOverflowPending() {
        return ((int) U32.getAcquire(sqRing, sqFlagsOff) & Abi.SQ_CQ_OVERFLOW) != 0;
    }

    /** The {@code IORING_SETUP_*} flags the kernel accepted. */
    public int grantedFlags() {
        return grantedFlags;
    }

    /** The kernel's {@code IORING_FEAT_*} bits. */
    public int features() {
        return features;
    }

    /** The SQ size the kernel chose. */
    public int sqEntries() {
        return sqEntries;
    }

    /** The CQ size the kernel chose. */
    public int cqEntries() {
        return cqEntries;
    }

    /** The ring's file descriptor (for {@code io_uring_register}). */
    public int fd() {
        return fd;
    }

    /** Unmaps the rings and closes the descriptor; idempotent. Operations in flight are abandoned. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();   // first: any later access through the segments throws instead of faulting
        unmapQuietly(sqesAddress, sqesSize);
        if (cqRingAddress != sqRingAddress) {
            unmapQuietly(cqRingAddress, cqRingSize);
        }
        unmapQuietly(sqRingAddress, sqRingSize);
        closeQuietly(fd);
    }

    // --- accessors named by memory mode (see the implementation notes) ---

    int sqHeadAcquire() {
        return (int) U32.getAcquire(sqRing, sqHeadOff);
    }

    private void setSqTailRelease(int tail) {
        U32.setRelease(sqRing, sqTailOff, tail);
    }

    int cqTailAcquire() {
        return (int) U32.getAcquire(cqRing, cqTailOff);
    }

    private void setCqHeadRelease(int head) {
        U32.setRelease(cqRing, cqHeadOff, head);
    }

    /** For tests, from any thread: CQEs in the CQ not yet reaped (acquire load of the tail). */
    public int cqReadyForTests() {
        return cqTailAcquire() - (int) U32.getAcquire(cqRing, cqHeadOff);
    }

    /** For tests: the SQ tail as published to the kernel. */
    int sqTailAcquire() {
        return (int) U32.getAcquire(sqRing, sqTailOff);
    }

    /** For tests: the CQ head as published to the kernel. */
    int cqHeadAcquire() {
        return (int) U32.getAcquire(cqRing, cqHeadOff);
    }

    private static long u32(MemorySegment params, long offset) {
        return Integer.toUnsignedLong(params.get(JAVA_INT, offset));
    }

    private static void unmapQuietly(long address, long size) {
        if (address == 0) {
            return;
        }
        try {
            Sys.munmap(address, size);
        } catch (ErrnoException ignored) {
            // nothing to do: the address range was ours and is released with the process at worst
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Sys.close(fd);
        } catch (ErrnoException ignored) {
            // close(2) releases the descriptor even when it reports an error
        }
    }
}
