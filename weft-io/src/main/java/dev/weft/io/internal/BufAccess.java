package dev.weft.io.internal;

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

    private static volatile Bridge bridge;

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

    public static Lease lease(IoBuf buf) {
        return bridge().lease(buf);
    }

    public static IoBuf newBuf(MemorySegment memory, Lease lease) {
        return bridge().newBuf(memory, lease);
    }
}
