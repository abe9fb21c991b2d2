package dev.weft.io;

import dev.weft.io.internal.BufAccess;
import dev.weft.io.internal.LeakLog;
import dev.weft.io.internal.LeakTracker;
import dev.weft.io.internal.Lease;
import dev.weft.io.internal.Reclaimer;
import dev.weft.internal.SpinLock;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of equal-sized {@link IoBuf}s: {@link #take()} one, use it, {@link #give} it back.
 * Native memory for the whole pool is allocated at once from an {@link Arena} the pool owns and
 * freed when it {@linkplain #close() closes}.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="pool"}
 *
 * <p><b>Rules.</b>
 * <ul>
 *   <li>{@code take()} hands out a cleared buffer (position 0, limit = capacity = buffer size).
 *       Its bytes are not zeroed (as in other pools): read only what you wrote.</li>
 *   <li>After {@code give(buf)} the handle is dead: any use of it or of a view made from it throws
 *       {@link IllegalStateException} saying it was given back. The next {@code take()} returns a
 *       new {@code IoBuf} object over the memory.</li>
 *   <li>{@code give} accepts only the buffer {@code take()} returned, once: giving a buffer of
 *       another pool (or one made by {@link IoBuf#allocate}), a view of a pooled buffer, a buffer
 *       twice, or a buffer lent to an operation in flight throws {@link IllegalStateException}
 *       naming the problem. Giving a buffer that a cancelled owned operation already returned
 *       does nothing, so a {@code finally { pool.give(buf); }} is always right.</li>
 *   <li><b>When empty</b> ({@link WhenEmpty}): by default {@code take()} allocates a buffer beyond
 *       the count (native ones are then freed by the garbage collector) and counts it in
 *       {@link #overflowAllocations()}; a given-back buffer beyond the count is dropped. With
 *       {@link WhenEmpty#FAIL} it throws {@link IllegalStateException} instead.</li>
 *   <li><b>Leak detection</b> (builder option {@link Builder#leakDetection}, default from the
 *       system property {@code weft.io.leakDetection=true}): every take records a stack trace;
 *       {@link #close()} reports each buffer still out, and a buffer that becomes unreachable
 *       without being given back is reported (and its memory reused) soon after the garbage
 *       collector notices. Reports go to the {@link LeakListener} (default: a
 *       {@link System.Logger} warning, written soon after by a daemon thread of weft-io, so the
 *       closing task never waits for a logging lock). Without detection, close reports only the count, and a
 *       buffer dropped without {@code give} is lost to the pool.</li>
 *   <li><b>Close</b> frees the native memory. Buffers still taken are reported; using one
 *       afterwards throws {@link IllegalStateException} (from the FFM API: the memory is gone),
 *       giving one back does nothing. Heap buffers still taken stay usable until unreachable.</li>
 * </ul>
 *
 * <p><b>Threads.</b> {@code take}, {@code give} and {@code close} may be called from any thread.
 *
 * <h2>Implementation notes</h2>
 * The free buffers are a LIFO array of memory segments (the most recently used memory is the
 * warmest) under a {@link SpinLock}: a push or a pop, never a park inside (ARCHITECTURE.md
 * decision 12). Each take makes a new {@code Lease} shared by the buffer and its views; give marks
 * it given, which is what kills the handle. With leak detection each lease also has a
 * {@link LeakTracker} (a phantom reference) linked into {@link #tracked} under the same lock, so
 * close can list the outstanding buffers and the detector thread can find unreachable ones.
 */
public final class BufPool implements AutoCloseable {

    /** What {@link #take()} does when every buffer is out. */
    public enum WhenEmpty {
        /** Allocate another buffer (counted in {@link #overflowAllocations()}). The default. */
        ALLOCATE,
        /** Throw {@link IllegalStateException}. */
        FAIL
    }

    /** Receives leak reports. Called on the thread that closes the pool, or on the leak-detector thread. */
    @FunctionalInterface
    public interface LeakListener {
        /** A buffer was not given back. */
        void leaked(Leak leak);
    }

    /**
     * One leaked buffer.
     *
     * @param pool       the pool's name
     * @param kind       how it was found
     * @param bufferSize the buffer size in bytes
     * @param takenAt    where it was taken (a stack trace), or null when leak detection is off
     */
    public record Leak(String pool, Kind kind, int bufferSize, Throwable takenAt) {
        /** How a leak was found. */
        public enum Kind {
            /** Still taken when the pool closed. */
            OUTSTANDING_AT_CLOSE,
            /** Became unreachable without being given back. */
            UNREACHABLE
        }

        /** A one-paragraph explanation of the leak with the fix. */
        public String message() {
            String what = switch (kind) {
                case OUTSTANDING_AT_CLOSE -> "was still taken when the pool closed";
                case UNREACHABLE -> "became unreachable without being given back (its memory is reused)";
            };
            return "BufPool '" + pool + "': a buffer of " + bufferSize + " bytes " + what + "; give every taken "
                    + "buffer back (pool.give(buf), e.g. in a finally block)"
                    + (takenAt == null ? ". Run with -Dweft.io.leakDetection=true to see where it was taken."
                            : ". It was taken at the stack trace attached.");
        }
    }

    /** Builds a pool: {@code BufPool.builder(64 * 1024, 256).direct().leakDetection(true).build()}. */
    public static final class Builder {
        private final int bufferSize;
        private final int count;
        private boolean direct;
        private String name;
        private WhenEmpty whenEmpty = WhenEmpty.ALLOCATE;
        private boolean leakDetection = Boolean.getBoolean("weft.io.leakDetection");
        private LeakListener listener;

        private Builder(int bufferSize, int count) {
            if (bufferSize <= 0) {
                throw new IllegalArgumentException("bufferSize must be > 0, got " + bufferSize);
            }
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + count);
            }
            if ((long) bufferSize * count > Long.MAX_VALUE / 2) {
                throw new IllegalArgumentException("bufferSize * count is too large");
            }
            this.bufferSize = bufferSize;
            this.count = count;
        }

        /** Native memory (the default is heap). */
        public Builder direct() {
            direct = true;
            return this;
        }

        /** Heap memory (the default). */
        public Builder heap() {
            direct = false;
            return this;
        }

        /** A name for reports and {@code toString}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** What {@code take()} does when empty; default {@link WhenEmpty#ALLOCATE}. */
        public Builder whenEmpty(WhenEmpty policy) {
            this.whenEmpty = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Record where each buffer is taken and report leaks with it. Costs a stack trace per take.
         * Default: the system property {@code weft.io.leakDetection}.
         */
        public Builder leakDetection(boolean on) {
            this.leakDetection = on;
            return this;
        }

        /** Where leak reports go; default: a {@link System.Logger} warning with the stack trace. */
        public Builder leakListener(LeakListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The pool, with all its memory allocated. */
        public BufPool build() {
            return new BufPool(this);
        }
    }

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final int bufferSize;
    private final int count;
    private final boolean direct;
    private final WhenEmpty whenEmpty;
    private final boolean leakDetection;
    private final LeakListener listener;
    private final Arena arena;               // null for a heap pool
    private final MemorySegment slab;        // a direct pool's buffers, one after the other (null: heap or empty)
    private final Pool pool = new Pool();    // the Reclaimer face, kept off the public API

    // Guarded by lock:
    private final SpinLock lock = new SpinLock();
    private final MemorySegment[] free;
    private int freeCount;
    private int outstanding;
    private long overflow;
    private boolean closed;
    private int pinned;                      // buffers the kernel holds (an io_uring operation in flight)
    private boolean freeWhenUnpinned;        // closed while pinned: the last unpin frees the memory
    private boolean memoryFreed;             // a direct pool's arena is closed: nothing may pin its memory
    private LeakTracker tracked;             // head of the outstanding trackers (leak detection only)

    private BufPool(Builder b) {
        this.name = b.name != null ? b.name : (b.direct ? "direct-" : "heap-") + IDS.incrementAndGet();
        this.bufferSize = b.bufferSize;
        this.count = b.count;
        this.direct = b.direct;
        this.whenEmpty = b.whenEmpty;
        this.leakDetection = b.leakDetection;
        this.listener = b.listener != null ? b.listener : BufPool::logLeak;
        this.free = new MemorySegment[count];
        if (direct) {
            arena = Arena.ofShared();
            MemorySegment all = null;
            if (count > 0) {
                all = arena.allocate((long) bufferSize * count, 64);
                for (int i = 0; i < count; i++) {
                    free[count - 1 - i] = all.asSlice((long) i * bufferSize, bufferSize);     // taken from the front first
                }
            }
            slab = all;
        } else {
            arena = null;
            slab = null;
            for (int i = 0; i < count; i++) {
                free[i] = MemorySegment.ofArray(new byte[bufferSize]);
            }
        }
        freeCount = count;
    }

    /** A pool of {@code count} native buffers of {@code bufferSize} bytes, with the default options. */
    public static BufPool direct(int bufferSize, int count) {
        return builder(bufferSize, count).direct().build();
    }

    /** A pool of {@code count} heap buffers of {@code bufferSize} bytes, with the default options. */
    public static BufPool heap(int bufferSize, int count) {
        return builder(bufferSize, count).heap().build();
    }

    /** A builder for a pool of {@code count} buffers of {@code bufferSize} bytes (heap unless {@link Builder#direct()}). */
    public static Builder builder(int bufferSize, int count) {
        return new Builder(bufferSize, count);
    }

    /**
     * A cleared buffer: position 0, limit = capacity = {@link #bufferSize()}.
     *
     * @throws IllegalStateException if the pool is closed, or empty with {@link WhenEmpty#FAIL}
     */
    public IoBuf take() {
        MemorySegment mem;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("BufPool '" + name + "' is closed");
            }
            mem = freeCount > 0 ? free[--freeCount] : null;
            if (mem != null) {
                free[freeCount] = null;
            } else if (whenEmpty == WhenEmpty.FAIL) {
                throw new IllegalStateException("BufPool '" + name + "' is empty: all " + count + " buffers of "
                        + bufferSize + " bytes are taken. Give buffers back when done, raise the count, or build the "
                        + "pool with whenEmpty(ALLOCATE) to allocate beyond it");
            } else {
                overflow++;
            }
            outstanding++;
        } finally {
            lock.unlock();
        }
        if (mem == null) {
            mem = direct ? Arena.ofAuto().allocate(bufferSize, 64) : MemorySegment.ofArray(new byte[bufferSize]);
        }
        Lease lease = new Lease(pool, mem);
        lease.kernelSafe = direct;      // the arena's close waits for pinned buffers (Pool.unpin)
        IoBuf buf = BufAccess.newBuf(mem, lease);
        if (leakDetection) {
            LeakTracker t = new LeakTracker(lease, pool, mem,
                    new Throwable("buffer taken here from BufPool '" + name + "'"));
            lease.tracker = t;
            lock.lock();
            try {
                link(t);
            } finally {
                lock.unlock();
            }
        }
        return buf;
    }

    /**
     * Gives {@code buf} back; its handle (and every view of it) is dead from now on.
     *
     * @throws IllegalStateException if {@code buf} was not taken from this pool, is a view of a
     *         pooled buffer, was already given back, or is lent to an operation in flight
     */
    public void give(IoBuf buf) {
        Objects.requireNonNull(buf, "buf");
        Lease lease = BufAccess.lease(buf);
        if (lease.owner != pool) {
            throw new IllegalStateException(lease.owner == null
                    ? "this IoBuf does not come from a pool (it was made by IoBuf.allocate/wrap): BufPool '" + name
                            + "' only takes back its own buffers"
                    : "this IoBuf belongs to BufPool '" + lease.owner.name() + "', not to '" + name + "'");
        }
        switch (lease.state) {
            case Lease.FORFEITED -> {
                return;     // a cancelled operation already returned it
            }
            case Lease.GIVEN -> {
                IllegalStateException e = new IllegalStateException("this IoBuf was already given back to BufPool '"
                        + name + "' (double give)" + (lease.givenAt != null ? "; first given back at the cause's stack trace" : ""));
                if (lease.givenAt != null) {
                    e.initCause(lease.givenAt);
                }
                throw e;
            }
            case Lease.LENT -> throw new IllegalStateException("this IoBuf is lent to an I/O operation in flight: "
                    + "give back the buffer of the operation's result (or cancel the operation, which returns it)");
            default -> { }
        }
        if (lease.root != buf) {
            throw new IllegalStateException("this IoBuf is a view (slice/duplicate) of a pooled buffer: give back the "
                    + "buffer that BufPool '" + name + "'.take() returned");
        }
        lease.state = Lease.GIVEN;
        if (leakDetection) {
            lease.givenAt = new Throwable("buffer given back here to BufPool '" + name + "'");
        }
        putBack(lease.memory, lease.tracker);
    }

    private void putBack(MemorySegment mem, LeakTracker t) {
        lock.lock();
        try {
            if (t != null) {
                if (!t.linked) {
                    return;     // already settled (closed, or reported unreachable)
                }
                unlink(t);
                t.clear();
            }
            if (closed) {
                return;
            }
            outstanding--;
            if (freeCount < free.length) {
                free[freeCount++] = mem;
            }
        } finally {
            lock.unlock();
        }
    }

    private void link(LeakTracker t) {
        t.linked = true;
        t.next = tracked;
        if (tracked != null) {
            tracked.prev = t;
        }
        tracked = t;
    }

    private void unlink(LeakTracker t) {
        t.linked = false;
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            tracked = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
    }

    /**
     * Closes the pool: reports the buffers still taken ({@link Leak.Kind#OUTSTANDING_AT_CLOSE}) and
     * frees the native memory. Idempotent. While the kernel still holds one of its buffers (an
     * io_uring operation in flight, or cancelled and not yet finished), the memory is freed when
     * the kernel lets go of the last one, never under it.
     *
     * @throws IllegalStateException if a native buffer is being used by an I/O call on another
     *         thread at this moment (the memory cannot be freed under it); close the connections first
     */
    @Override
    public void close() {
        List<Throwable> traces = new ArrayList<>();
        int left;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            left = outstanding;
            for (LeakTracker t = tracked; t != null; ) {
                LeakTracker next = t.next;
                traces.add(t.takenAt);
                t.clear();
                t.linked = false;
                t.prev = null;
                t.next = null;
                t = next;
            }
            tracked = null;
            java.util.Arrays.fill(free, null);
            freeCount = 0;
        } finally {
            lock.unlock();
        }
        for (Throwable at : traces) {
            listener.leaked(new Leak(name, Leak.Kind.OUTSTANDING_AT_CLOSE, bufferSize, at));
        }
        for (int i = traces.size(); i < left; i++) {
            listener.leaked(new Leak(name, Leak.Kind.OUTSTANDING_AT_CLOSE, bufferSize, null));
        }
        if (arena != null) {
            lock.lock();
            try {
                if (pinned > 0) {
                    freeWhenUnpinned = true;    // the kernel still writes into (or reads) a buffer: free after it
                    return;
                }
                memoryFreed = true;             // in the same section: no pin can slip in before the free
            } finally {
                lock.unlock();
            }
            try {
                arena.close();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("BufPool '" + name + "' cannot free its memory: one of its buffers is in "
                        + "use by an I/O call on another thread right now. Close the connections that use the pool first", e);
            }
        }
    }

    /** The last pin of a closed pool went: free its memory now (never throws: a failure is reported). */
    private void freeArena() {
        try {
            arena.close();
        } catch (RuntimeException e) {
            dev.weft.spi.Faults.report("BufPool '" + name + "' freeing its memory after the kernel let go", this, e);
        }
    }

    /** The default listener: a warning, written by {@link LeakLog}'s thread (decision 12: no logging lock in a task). */
    private static void logLeak(Leak leak) {
        LeakLog.warn(BufPool.class.getName(), leak.message(), leak.takenAt());
    }

    static {
        BufAccess.installPools(new BufAccess.PoolBridge() {
            @Override
            public Reclaimer reclaimer(BufPool p) {
                return p.pool;
            }

            @Override
            public MemorySegment slab(BufPool p) {
                return p.slab;
            }
        });
    }

    /** The Reclaimer face of the pool (cancelled operations, the leak detector). */
    private final class Pool implements Reclaimer {
        @Override
        public String name() {
            return name;
        }

        @Override
        public void reclaim(Lease lease) {
            putBack(lease.memory, lease.tracker);
        }

        @Override
        public void pin() {
            lock.lock();
            try {
                if (memoryFreed) {
                    throw new IllegalStateException("BufPool '" + name + "' is closed and its memory freed: this buffer "
                            + "was still taken when it closed (a leak) and cannot be given to the kernel");
                }
                pinned++;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void unpin() {
            boolean free;
            lock.lock();
            try {
                free = --pinned == 0 && freeWhenUnpinned;
                if (free) {
                    freeWhenUnpinned = false;
                    memoryFreed = true;
                }
            } finally {
                lock.unlock();
            }
            if (free) {
                freeArena();
            }
        }

        @Override
        public void collected(LeakTracker t) {
            lock.lock();
            try {
                if (!t.linked) {
                    return;     // given back or closed meanwhile
                }
                unlink(t);
            } finally {
                lock.unlock();
            }
            listener.leaked(new Leak(name, Leak.Kind.UNREACHABLE, bufferSize, t.takenAt));
            putBack(t.memory, null);    // no handle can reach the memory any more: reuse it
        }

        @Override
        public String toString() {
            return BufPool.this.toString();
        }
    }

    // ------------------------------------------------------------------ accessors

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** The size of each buffer in bytes. */
    public int bufferSize() {
        return bufferSize;
    }

    /** The number of buffers allocated up front. */
    public int count() {
        return count;
    }

    /** True for native memory. */
    public boolean isDirect() {
        return direct;
    }

    /** Buffers in the pool now (a snapshot). */
    public int available() {
        lock.lock();
        try {
            return freeCount;
        } finally {
            lock.unlock();
        }
    }

    /** Buffers taken and not given back (a snapshot). */
    public int outstanding() {
        lock.lock();
        try {
            return outstanding;
        } finally {
            lock.unlock();
        }
    }

    /** How many times {@code take()} found the pool empty and allocated beyond the count. */
    public long overflowAllocations() {
        lock.lock();
        try {
            return overflow;
        } finally {
            lock.unlock();
        }
    }

    /** True after {@link #close()}. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "BufPool[" + name + ", " + count + " x " + bufferSize + " bytes " + (direct ? "direct" : "heap")
                + ", " + available() + " free, " + outstanding() + " out]";
    }
}
