package dev.weft.io.internal;

import dev.weft.io.BufPool;
import dev.weft.io.IoBuf;
import java.lang.foreign.MemorySegment;

/**
 * The bridge from weft-io's internals to the private parts of {@link IoBuf} (its lease, and making
 * a buffer over pool memory), in the manner of the JDK's {@code SharedSecrets}: {@code IoBuf}
 * installs it from its class initializer. Not exported, so users cannot reach it on the module path.
 */
public final class BufAccess {
    /** What {@link IoBuf} lets its own module do. */
    public interface Bridge {
        /** The lease shared by {@code buf} and its views. */
        Lease lease(IoBuf buf);

        /** A new buffer handle over {@code memory}: position 0, limit and capacity its size. */
        IoBuf newBuf(MemorySegment memory, Lease lease);
    }

    /** What {@code BufPool} lets its own module (and, through {@code spi.KernelLoans}, drivers) see. */
    public interface PoolBridge {
        /** The identity its buffers' leases carry as {@link Lease#owner}. */
        Reclaimer reclaimer(BufPool pool);

        /** A direct pool's buffers, one after the other; null for a heap pool or an empty one. */
        MemorySegment slab(BufPool pool);
    }

    private static volatile Bridge bridge;
    private static volatile PoolBridge pools;

    private BufAccess() { }

    /** Called once, by {@code IoBuf}'s class initializer. */
    public static void install(Bridge b) {
        if (bridge != null) {
            throw new IllegalStateException("already installed");
        }
        bridge = b;
    }

    private static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(IoBuf.class.getName(), true, IoBuf.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }

    /** Called once, by {@code BufPool}'s class initializer. */
    public static void installPools(PoolBridge b) {
        pools = b;
    }

    private static PoolBridge pools() {
        PoolBridge b = pools;
        if (b == null) {
            try {
                Class.forName(BufPool.class.getName(), true, BufPool.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = pools;
        }
        return b;
    }

    public static Reclaimer reclaimer(BufPool pool) {
        return pools().reclaimer(pool);
    }

    public static MemorySegment slab(BufPool pool) {
        return pools().slab(pool);
    }

    public static Lease lease(IoBuf buf) {
        return bridge().lease(buf);
    }

    public static IoBuf newBuf(MemorySegment memory, Lease lease) {
        return bridge().newBuf(memory, lease);
    }
}
