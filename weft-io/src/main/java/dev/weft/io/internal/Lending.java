package dev.weft.io.internal;

import dev.weft.io.IoBuf;
import java.nio.ReadOnlyBufferException;

/**
 * Lending a buffer to an owned I/O operation ({@code OwnedRead}, {@code OwnedWrite}): while lent,
 * every use of the buffer (and of its views) through the user's handle throws; the operation's
 * result hands it back; a cancelled operation forfeits it to its pool.
 *
 * <p>An operation that touches the buffer itself (a readiness-backed one copies into it inside its
 * poll) {@linkplain #restore restores} it for the duration of that access and
 * {@linkplain #lend lends} it again if it stays pending. A completion driver (io_uring) lends it
 * once and restores it when the completion is delivered; the kernel's writes need no check.
 */
public final class Lending {
    private Lending() { }

    /**
     * Lends {@code buf} to an operation.
     *
     * @param forRead true when the operation will write into the buffer (a read)
     * @throws IllegalStateException if the buffer is given back, forfeited or already lent
     * @throws ReadOnlyBufferException if a read is asked to fill a read-only buffer
     */
    public static void lend(IoBuf buf, boolean forRead) {
        Lease l = BufAccess.lease(buf);
        if (l.state != Lease.TAKEN) {
            throw l.unusable();
        }
        if (forRead && buf.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        l.state = Lease.LENT;
    }

    /** The operation touches the buffer (or completes): usable again until {@link #relend}. */
    public static void restore(IoBuf buf) {
        Lease l = BufAccess.lease(buf);
        if (l.state == Lease.LENT) {
            l.state = Lease.TAKEN;
        }
    }

    /** The operation stays pending after touching the buffer: lent again. */
    public static void relend(IoBuf buf) {
        Lease l = BufAccess.lease(buf);
        if (l.state == Lease.TAKEN) {
            l.state = Lease.LENT;
        }
    }

    /**
     * The operation was cancelled: the user's handle dies and the memory goes back to its pool
     * (a buffer without a pool is left to the garbage collector). Idempotent.
     */
    public static void forfeit(IoBuf buf) {
        Lease l = BufAccess.lease(buf);
        if (l.state != Lease.LENT && l.state != Lease.TAKEN) {
            return;
        }
        l.state = Lease.FORFEITED;
        if (l.owner != null) {
            l.owner.reclaim(l);
        }
    }
}
