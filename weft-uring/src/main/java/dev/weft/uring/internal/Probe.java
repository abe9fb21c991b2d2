package dev.weft.uring.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Which opcodes the running kernel supports, from {@code IORING_REGISTER_PROBE}. Immutable once
 * made; thread-safe.
 */
public final class Probe {
    private final int lastOp;
    private final boolean[] supported;

    private Probe(int lastOp, boolean[] supported) {
        this.lastOp = lastOp;
        this.supported = supported;
    }

    /** Probes on a throwaway ring of two entries, closed before this returns. */
    public static Probe load() throws ErrnoException {
        try (Ring ring = new Ring(2, 0)) {
            return of(ring);
        }
    }

    /** Probes through {@code ring}'s descriptor (from the ring's owner thread). */
    public static Probe of(Ring ring) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment probe = arena.allocate(Abi.PROBE_SIZE, 8);   // zeroed, as the kernel demands
            Sys.ioUringRegister(ring.fd(), Abi.REGISTER_PROBE, probe, Abi.PROBE_OPS);
            int lastOp = Byte.toUnsignedInt(probe.get(JAVA_BYTE, Abi.PROBE_LAST_OP));
            int opsLen = Byte.toUnsignedInt(probe.get(JAVA_BYTE, Abi.PROBE_OPS_LEN));
            boolean[] supported = new boolean[Abi.PROBE_OPS];
            for (int i = 0; i < opsLen; i++) {
                long op = Abi.PROBE_OP_BASE + i * Abi.PROBE_OP_SIZE;
                int opcode = Byte.toUnsignedInt(probe.get(JAVA_BYTE, op));
                int flags = Short.toUnsignedInt(probe.get(JAVA_SHORT, op + Abi.PROBE_OP_FLAGS));
                supported[opcode] = (flags & Abi.OP_SUPPORTED) != 0;
            }
            return new Probe(lastOp, supported);
        }
    }

    /** Whether the kernel supports {@code opcode}; false for anything past {@link #lastOp()}. */
    public boolean supports(int opcode) {
        return opcode >= 0 && opcode <= lastOp && supported[opcode];
    }

    /** The highest opcode this kernel knows. */
    public int lastOp() {
        return lastOp;
    }
}
