package dev.weft.uring.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Native memory that the kernel reads or writes for an operation, freed explicitly when the
 * operation's terminal CQE says the kernel is done with it: {@code malloc}/{@code free}, never an
 * automatic arena (whose Cleaner registration takes a monitor: a virtual thread blocked there
 * while holding the driver's spin lock once hung a current-thread runtime; decision 12, checked
 * by {@code NoQueuedLocksTest}). The segments are global (usable from any thread); using one after
 * {@link #free} is the caller's bug, so each owner frees exactly once, after its last use.
 */
final class Native {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        MALLOC = linker.downcallHandle(linker.defaultLookup().findOrThrow("malloc"), FunctionDescriptor.of(ADDRESS, JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().findOrThrow("free"), FunctionDescriptor.ofVoid(ADDRESS));
    }

    /** Bytes allocated and not freed (as the sizes of the segments given back say), for tests. */
    private static final java.util.concurrent.atomic.LongAdder LIVE = new java.util.concurrent.atomic.LongAdder();

    private Native() { }

    /** Bytes allocated here and not yet freed: tests check that a component frees what it took. */
    static long liveBytes() {
        return LIVE.sum();
    }

    /** {@code size} bytes (at least 1), zeroed, 16-byte aligned (malloc's guarantee on 64-bit Linux). */
    static MemorySegment allocate(long size) {
        MemorySegment at;
        try {
            at = (MemorySegment) MALLOC.invokeExact(Math.max(1L, size));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (at.address() == 0) {
            throw new OutOfMemoryError("malloc(" + size + ") failed: no native memory left for an io_uring buffer");
        }
        MemorySegment s = at.reinterpret(Math.max(1L, size));
        s.fill((byte) 0);
        LIVE.add(size);
        return s.asSlice(0, size);
    }

    /** A NUL-terminated UTF-8 copy of {@code text}. */
    static MemorySegment string(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MemorySegment s = allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    /** Frees what {@link #allocate} returned (null or already-empty segments are ignored). */
    static void free(MemorySegment s) {
        if (s == null || s.address() == 0) {
            return;
        }
        try {
            FREE.invokeExact(s);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        LIVE.add(-s.byteSize());
    }
}
