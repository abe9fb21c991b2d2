package dev.weft.ffi.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The downcalls of {@code libweftcam} ({@code src/main/c/weftcam.h}), one static method per C
 * function, with the C types spelled as layouts. No ownership logic lives here: the public
 * {@code Camera} and {@code BorrowedFrame} decide who releases what.
 *
 * <p>The library is loaded on first use; if that fails, every call throws an
 * {@link IllegalStateException} with the cause ({@link #unavailabilityCause()}).
 */
public final class WeftCam {
    /** {@code weftcam_frame}: seq, ready_ns, pixels, size, camera. */
    public static final StructLayout FRAME = MemoryLayout.structLayout(
            JAVA_LONG.withName("seq"),
            JAVA_LONG.withName("ready_ns"),
            ADDRESS.withName("pixels"),
            JAVA_INT.withName("size"),
            JAVA_INT.withName("camera"));
    public static final long FRAME_SEQ = FRAME.byteOffset(MemoryLayout.PathElement.groupElement("seq"));
    public static final long FRAME_READY_NS = FRAME.byteOffset(MemoryLayout.PathElement.groupElement("ready_ns"));
    public static final long FRAME_PIXELS = FRAME.byteOffset(MemoryLayout.PathElement.groupElement("pixels"));
    public static final long FRAME_SIZE = FRAME.byteOffset(MemoryLayout.PathElement.groupElement("size"));
    public static final long FRAME_CAMERA = FRAME.byteOffset(MemoryLayout.PathElement.groupElement("camera"));

    /** {@code weftcam_counters}: made, delivered, dropped. */
    public static final StructLayout COUNTERS = MemoryLayout.structLayout(
            JAVA_LONG.withName("made"), JAVA_LONG.withName("delivered"), JAVA_LONG.withName("dropped"));

    public static final int OK = 0;
    public static final int CLOSED = -1;

    private WeftCam() { }

    /** The downcall handles, made when first needed (class initialisation is the lock). */
    private static final class Lib {
        static final String FAILURE;
        static final MethodHandle OPEN, POLL, WAIT, RELEASE, SET_CALLBACK, AVAILABLE, ID, COUNTERS_OF, CLOSE, NOW,
                FRAMES_ALLOCATED;

        static {
            String failure = null;
            MethodHandle[] h = new MethodHandle[11];
            try {
                SymbolLookup lib = NativeLibraries.load("weftcam");
                Linker linker = Linker.nativeLinker();
                var frame = ADDRESS.withTargetLayout(FRAME);
                h[0] = down(linker, lib, "weftcam_open", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG));
                h[1] = down(linker, lib, "weftcam_poll", FunctionDescriptor.of(frame, JAVA_LONG, ADDRESS));
                h[2] = down(linker, lib, "weftcam_wait", FunctionDescriptor.of(frame, JAVA_LONG, JAVA_LONG, ADDRESS));
                h[3] = down(linker, lib, "weftcam_release", FunctionDescriptor.of(JAVA_INT, ADDRESS));
                h[4] = down(linker, lib, "weftcam_set_callback", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
                h[5] = down(linker, lib, "weftcam_available", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
                h[6] = down(linker, lib, "weftcam_id", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
                h[7] = down(linker, lib, "weftcam_counters_of", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
                h[8] = down(linker, lib, "weftcam_close", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
                h[9] = down(linker, lib, "weftcam_now_ns", FunctionDescriptor.of(JAVA_LONG));
                h[10] = down(linker, lib, "weftcam_frames_allocated", FunctionDescriptor.of(JAVA_LONG));
            } catch (RuntimeException | LinkageError e) {
                failure = e.getMessage() != null ? e.getMessage() : e.toString();
            }
            FAILURE = failure;
            OPEN = h[0];
            POLL = h[1];
            WAIT = h[2];
            RELEASE = h[3];
            SET_CALLBACK = h[4];
            AVAILABLE = h[5];
            ID = h[6];
            COUNTERS_OF = h[7];
            CLOSE = h[8];
            NOW = h[9];
            FRAMES_ALLOCATED = h[10];
        }

        private static MethodHandle down(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
            MemorySegment symbol = lib.find(name).orElseThrow(
                    () -> new IllegalStateException("libweftcam has no symbol " + name + " (a stale build?)"));
            return linker.downcallHandle(symbol, fd);
        }

        static void check() {
            if (FAILURE != null) {
                throw new IllegalStateException("the camera library is unavailable: " + FAILURE);
            }
        }
    }

    /** Null if the library loaded, else why not. */
    public static String unavailabilityCause() {
        return Lib.FAILURE;
    }

    /** {@code weftcam_open}; 0 on failure. */
    public static long open(int fps, int frameBytes, long frameLimit) {
        Lib.check();
        try {
            return (long) Lib.OPEN.invokeExact(fps, frameBytes, frameLimit);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_poll}: a frame ({@link #FRAME}-sized, global scope) or {@link MemorySegment#NULL}. */
    public static MemorySegment poll(long cam) {
        try {
            return (MemorySegment) Lib.POLL.invokeExact(cam, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_wait}: blocks the calling OS thread up to {@code timeoutNanos} (negative: forever). */
    public static MemorySegment await(long cam, long timeoutNanos) {
        try {
            return (MemorySegment) Lib.WAIT.invokeExact(cam, timeoutNanos, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_release}. */
    public static int release(MemorySegment frame) {
        try {
            return (int) Lib.RELEASE.invokeExact(frame);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_set_callback(cam, fn, user)}. */
    public static int setCallback(long cam, MemorySegment fn, MemorySegment user) {
        try {
            return (int) Lib.SET_CALLBACK.invokeExact(cam, fn, user);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_available}: 1, 0, or {@link #CLOSED}. */
    public static int available(long cam) {
        try {
            return (int) Lib.AVAILABLE.invokeExact(cam);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_id}. */
    public static int id(long cam) {
        try {
            return (int) Lib.ID.invokeExact(cam);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_counters_of}: {made, delivered, dropped}, or null if the camera is closed. */
    public static long[] counters(long cam) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(COUNTERS);
            int rc = (int) Lib.COUNTERS_OF.invokeExact(cam, out);
            return rc == OK ? out.toArray(JAVA_LONG) : null;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_close}: the final {made, delivered, dropped}, or null if it was closed already. */
    public static long[] close(long cam) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(COUNTERS);
            int rc = (int) Lib.CLOSE.invokeExact(cam, out);
            return rc == OK ? out.toArray(JAVA_LONG) : null;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_now_ns}: CLOCK_MONOTONIC. */
    public static long nowNanos() {
        Lib.check();
        try {
            return (long) Lib.NOW.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code weftcam_frames_allocated}. */
    public static long framesAllocated() {
        Lib.check();
        try {
            return (long) Lib.FRAMES_ALLOCATED.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
