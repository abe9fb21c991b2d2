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
        if (l.state != Lease.TAKEN) {
            throw l.unusable();
        }
        if (l.owner != null) {
            l.owner.pin();      // throws if the pool's memory is already freed (a buffer that outlived its pool)
        }
        try {
            Lending.lend(buf, forRead);
        } catch (RuntimeException e) {
            if (l.owner != null) {
                l.owner.unpin();
            }
            throw e;
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

    /**
     * The identity of the pool {@code buf} comes from (compare with {@link #poolIdentity}), or
     * null for a buffer no pool owns. For a driver that registered a pool's memory with the kernel
     * ({@code READ_FIXED}): a buffer of a later pool at the same addresses is a different pool.
     */
    public static Object poolOf(IoBuf buf) {
        return BufAccess.lease(buf).owner;
    }

    /** The identity the buffers of {@code pool} carry ({@link #poolOf}). */
    public static Object poolIdentity(dev.weft.io.BufPool pool) {
        return BufAccess.reclaimer(pool);
    }

    /**
     * A direct pool's memory: its buffers one after the other, buffer {@code i} at
     * {@code i * pool.bufferSize()}; null for a heap pool (or one of no buffers). Buffers it
     * allocates beyond its count (when empty) are elsewhere. Valid until the pool is closed.
     */
    public static java.lang.foreign.MemorySegment poolMemory(dev.weft.io.BufPool pool) {
        return BufAccess.slab(pool);
    }

    /** The whole memory of {@code buf}'s lease (the buffer as its pool or factory made it), for address checks. */
    public static java.lang.foreign.MemorySegment memoryOf(IoBuf buf) {
        return BufAccess.lease(buf).memory;
    }
}
