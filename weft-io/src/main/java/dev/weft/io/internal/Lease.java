package dev.weft.io.internal;

import java.lang.foreign.MemorySegment;

/**
 * Who may use a buffer's memory right now: one lease per buffer handed out (by
 * {@code BufPool.take()} or {@code IoBuf.allocate/wrap}), shared by that buffer and every view of
 * it. Every access to an {@code IoBuf} first checks {@link #state}; only {@link #TAKEN} allows it.
 *
 * <h2>States</h2>
 * <pre>
 *   TAKEN ──lend──▶ LENT ──restore──▶ TAKEN      (an owned operation completed: the result hands it back)
 *   TAKEN ──give──▶ GIVEN                         (back in its pool; the pool hands out a new lease next time)
 *   LENT ──forfeit──▶ FORFEITED                   (the operation was cancelled: the memory went back to its pool)
 *   TAKEN ──expire──▶ EXPIRED                     (a reservation of an AsyncBufWrite was committed or abandoned)
 * </pre>
 * GIVEN, FORFEITED and EXPIRED are final. A pool makes a new lease for every take, so a stale handle can
 * never reach memory that someone else has taken since.
 *
 * <h2>Threads</h2>
 * {@link #state} is a plain field: a buffer has one owner at a time (the user, or the operation it
 * is lent to) and the owner changes it; handing a buffer to another thread goes through a
 * happens-before edge (a task wake, a channel, a lock), as for {@code ByteBuffer}. A use from a
 * thread that does not own the buffer is a data race the check cannot always catch.
 */
public final class Lease {
    /** Held by its user: every access allowed. */
    public static final int TAKEN = 0;
    /** Lent to an owned I/O operation in flight: the user may not touch it. */
    public static final int LENT = 1;
    /** Given back to its pool: dead. */
    public static final int GIVEN = 2;
    /** Lent to an operation that was cancelled; the memory went back to its pool (or to the GC): dead. */
    public static final int FORFEITED = 3;
    /** A view reserved in a writer's buffer ({@code AsyncBufWrite.pollReserve}) after its commit: dead. */
    public static final int EXPIRED = 4;

    /** One of the constants above; see the class notes for who writes it. */
    public int state;
    /** The pool the memory returns to, or null for a buffer that no pool owns. */
    public final Reclaimer owner;
    /** The memory this lease covers (the whole buffer, whatever view was lent). */
    public final MemorySegment memory;
    /** The buffer object the pool (or factory) handed out: the only one {@code give} accepts. */
    public Object root;
    /** The leak tracker, when the pool tracks; null otherwise. */
    public LeakTracker tracker;
    /** Where the buffer was given back, when the pool tracks (for double-give reports). */
    public Throwable givenAt;
    /**
     * True when the kernel may be given this memory for an operation that outlives the call
     * (io_uring): native memory that stays valid while the lease's operation holds the buffer (a
     * direct pool's, which defers freeing while pinned, or {@code IoBuf.allocateDirect}'s, freed
     * only once unreachable). False for heap memory and for segments of arenas Weft does not own.
     */
    public boolean kernelSafe;

    public Lease(Reclaimer owner, MemorySegment memory) {
        this.owner = owner;
        this.memory = memory;
    }

    /** The error for a use of a buffer that is not {@link #TAKEN}. */
    public IllegalStateException unusable() {
        String pool = owner == null ? "" : " (pool '" + owner.name() + "')";
        return switch (state) {
            case LENT -> new IllegalStateException("this IoBuf is lent to an I/O operation in flight" + pool
                    + ": use the buffer in the operation's result (r.buf()) once it completes");
            case GIVEN -> {
                IllegalStateException e = new IllegalStateException("this IoBuf was given back to its pool" + pool
                        + ": take() a new one (the pool hands out a new IoBuf over the memory next time)");
                if (givenAt != null) {
                    e.initCause(givenAt);
                }
                yield e;
            }
            case FORFEITED -> new IllegalStateException("this IoBuf was lent to an I/O operation that was cancelled"
                    + pool + "; the operation returned it to its pool (or let it go): take or allocate a new one");
            case EXPIRED -> new IllegalStateException("this IoBuf was reserved in an AsyncBufWrite's buffer and is no "
                    + "longer valid: a reservation ends at its commit, or at the writer's next reserve, write, flush or "
                    + "close. Reserve again for more room");
            default -> new IllegalStateException("this IoBuf is in an unknown state " + state);
        };
    }

    /** Short state name for {@code toString}. */
    public String stateName() {
        return switch (state) {
            case TAKEN -> "";
            case LENT -> " lent";
            case GIVEN -> " given-back";
            case FORFEITED -> " forfeited";
            case EXPIRED -> " expired";
            default -> " ?";
        };
    }
}
