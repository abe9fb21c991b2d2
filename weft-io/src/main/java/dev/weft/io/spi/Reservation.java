package dev.weft.io.spi;

import dev.weft.io.IoBuf;
import dev.weft.io.internal.BufAccess;
import dev.weft.io.internal.Lease;
import java.lang.foreign.MemorySegment;

/**
 * The view an {@link dev.weft.io.AsyncBufWrite} hands out for writing in place: a fresh
 * {@link IoBuf} over a slice of the writer's buffer, with a lease of its own, so that once the
 * reservation ends ({@link #expire}) every use of the view throws instead of writing into bytes
 * the writer owns again. For writers and drivers that lend their own memory.
 */
public final class Reservation {
    private Reservation() { }

    /** A writable view over {@code room}: position 0, limit and capacity its size. */
    public static IoBuf open(MemorySegment room) {
        return BufAccess.newBuf(room, new Lease(null, room));
    }

    /** Ends the reservation: the view (and every view of it) is dead from now on. Null is ignored. */
    public static void expire(IoBuf view) {
        if (view != null) {
            BufAccess.lease(view).state = Lease.EXPIRED;
        }
    }

    /**
     * Checks a commit of {@code n} bytes of {@code view}, the reservation in force (null if none).
     *
     * @throws IllegalStateException if there is no reservation
     * @throws IllegalArgumentException if {@code n} is negative or beyond the view
     */
    public static void checkCommit(IoBuf view, int n) {
        if (view == null) {
            throw new IllegalStateException("commit without a reservation: call pollReserve (or reserve) first, write "
                    + "into the view it returns, then commit the count");
        }
        int cap = BufAccess.lease(view).memory.byteSize() > Integer.MAX_VALUE ? Integer.MAX_VALUE
                : (int) BufAccess.lease(view).memory.byteSize();
        if (n < 0 || n > cap) {
            throw new IllegalArgumentException("commit(" + n + "): the reservation has room for " + cap + " bytes");
        }
    }
}
