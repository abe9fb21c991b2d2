package dev.weft.io.spi;

import dev.weft.io.IoBuf;
import dev.weft.io.internal.BufAccess;
import dev.weft.io.internal.Lease;
import dev.weft.io.internal.Lending;

/**
 * Lending a caller's buffer to the kernel, for a completion driver (io_uring) that reads into or
 * writes from it after the call returns: the owned-buffer contract of
 * {@link dev.weft.io.OwnedRead} and {@link dev.weft.io.OwnedWrite} with no copy.
 *
 * <p>{@link #lend} checks that the memory can outlive the call (native memory of a direct
 * {@link dev.weft.io.BufPool}, or of {@link IoBuf#allocateDirect}; never the heap, whose arrays the
 * garbage collector moves, nor a segment of an arena Weft does not own), makes the caller's handle
 * unusable, and pins the pool so that closing it cannot free the memory under the kernel. The
 * operation then ends in exactly one of {@link #giveBack} (its result hands the buffer back) or
 * {@link #forfeit} (it was cancelled: once the kernel let go, the memory returns to its pool).
 * Both must run only after the operation's terminal completion. The caller must also keep a
 * reference to the buffer until then (an {@code allocateDirect} buffer is freed once unreachable).
 */
public final class KernelLoans {
    private KernelLoans() { }

    /**
     * Lends {@code buf} to the kernel if its memory may be; returns false (and changes nothing)
     * if not, so the caller takes its copying path.
     *
     * @param forRead true when the kernel will write into the buffer
     * @throws IllegalStateException if the buffer is given back, lent or forfeited
     * @throws java.nio.ReadOnlyBufferException if a read is asked to fill a read-only buffer
     */
    public static boolean lend(IoBuf buf, boolean forRead) {
        Lease l = BufAccess.lease(buf);
        if (!l.kernelSafe) {
            if (l.state != Lease.TAKEN) {
                throw l.unusable();
            }
            return false;
        }
        Lending.lend(buf, forRead);
        if (l.owner != null) {
            l.owner.pin();
        }
        return true;
    }

    /** The operation completed and its result hands {@code buf} back: usable again. */
    public static void giveBack(IoBuf buf) {
        Lease l = BufAccess.lease(buf);
        Lending.restore(buf);
        if (l.owner != null) {
            l.owner.unpin();
        }
    }

    /** The operation was cancelled and the kernel let go: the handle dies, the memory returns to its pool. */
    public static void forfeit(IoBuf buf) {
        Lease l = BufAccess.lease(buf);
        Lending.forfeit(buf);
        if (l.owner != null) {
            l.owner.unpin();
        }
    }
}
