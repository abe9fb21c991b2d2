package dev.weft.ffi.camera;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.weft.ffi.internal.WeftCam;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A simulated camera from the C library of this module, in the shape of a vendor SDK: it makes a
 * frame every {@code 1/fps} seconds on the library's own thread, keeps the eight newest frames
 * nobody took, and offers them three ways — a non-blocking poll ({@link #tryFrame()}), a blocking
 * wait ({@link #awaitFrame}) and a C callback ({@link #onFrameReady}).
 *
 * {@snippet class="dev.weft.snippets.CameraSnippets" region="stream"}
 *
 * <p><b>Ownership.</b> A frame is either copied into Java memory — {@link #tryFrame()} and
 * {@link #awaitFrame} return a {@link Frame}, and the native buffer is released before they
 * return — or borrowed for a scope — {@link #tryBorrow()} and {@link #awaitBorrow} return a
 * {@link BorrowedFrame} that holds the buffer until it is closed. Never both.
 *
 * <p><b>Loss.</b> When a new frame finds no free buffer, the oldest frame nobody took is
 * overwritten and counted as {@linkplain CameraStats#dropped() dropped}; sequence numbers then
 * skip. Cameras are genlocked: all cameras at the same rate make their frames on the same ticks.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. {@link #tryFrame()} never waits
 * for a frame (the library locks the camera for a moment). {@link #awaitFrame} blocks its OS thread
 * in C: use it on a platform thread (in a virtual thread it pins the carrier), or use
 * {@link #tryFrame()} with {@code Stream.fromPoll}. After {@link #close()}, the frame methods
 * answer {@code null} and {@link #isAvailable()} {@code false}. No method holds a Java lock
 * (ARCHITECTURE.md decision 12): {@link #onFrameReady}, {@link #close()} and {@link #stats()} may
 * be called from tasks on any runtime.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>The library serialises its own calls ({@code weftcam_set_callback} and
 *       {@code weftcam_close} wait, in C, for a running callback); this class adds no lock around
 *       them, so no thread ever waits for a Java lock held across a blocking native call.</li>
 *   <li><b>Close</b>: {@link #closed} goes true by CAS; the winner calls the library and then
 *       completes {@link #finalStats}. Anybody who must see the end of the close (a second
 *       {@code close()}, {@code stats()} on a closed camera) waits on that future, whose
 *       completion wakes every waiter itself: no waiter is woken by another.</li>
 *   <li><b>Callbacks kept reachable</b> ({@link #callbacks}, an immutable {@link Callbacks}
 *       replaced by CAS): an upcall stub is freed when unreachable, so every callback the library
 *       may still call is held. A registration adds its callback before calling the library. When
 *       it returns and no other registration overlapped it (none in flight when it began, none
 *       begun since), the library applied it last, so it alone is kept; with overlaps, all stay
 *       held until such a registration or the close. After the library's close returned, none is
 *       kept.</li>
 * </ul>
 */
public final class Camera implements AutoCloseable {
    /** Frame size when none is given: a 64 × 64 grey thumbnail. */
    public static final int DEFAULT_FRAME_BYTES = 4096;

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Camera.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long handle;
    private final int id;
    private final int fps;
    /** Set true once, by CAS, by the close() that does the closing. */
    private volatile boolean closed;
    /** Completed by that close() once the library returned: the final counters. */
    private final CompletableFuture<CameraStats> finalStats = new CompletableFuture<>();
    /** The callbacks the library may still call, kept reachable (see the notes). */
    private final AtomicReference<Callbacks> callbacks = new AtomicReference<>(Callbacks.NONE);

    /**
     * The callbacks held for the library, and the registrations in flight.
     *
     * @param held     callbacks the library may call (no duplicates, never {@code NULL})
     * @param inFlight registrations between their start and their end
     * @param begun    registrations ever begun: a registration that finds it unchanged at its
     *                 end was overlapped by none that began later
     */
    private record Callbacks(List<MemorySegment> held, int inFlight, long begun) {
        static final Callbacks NONE = new Callbacks(List.of(), 0, 0);

        Callbacks begin(MemorySegment callback) {
            List<MemorySegment> more = held;
            if (!callback.equals(MemorySegment.NULL) && !held.contains(callback)) {
                more = new ArrayList<>(held);
                more.add(callback);
                more = List.copyOf(more);
            }
            return new Callbacks(more, inFlight + 1, begun + 1);
        }

        /**
         * Registration number {@code mine} returned. If the library applied it and nothing
         * overlapped it (none in flight when it began: {@code appliedAlone}; none begun since),
         * the library holds exactly its callback; once the library's close returned, none.
         */
        Callbacks end(MemorySegment callback, long mine, boolean appliedAlone, boolean libraryClosed) {
            List<MemorySegment> keep = held;
            if (libraryClosed) {
                keep = List.of();
            } else if (appliedAlone && begun == mine) {
                keep = callback.equals(MemorySegment.NULL) ? List.of() : List.of(callback);
            }
            return new Callbacks(keep, inFlight - 1, begun);
        }

        Callbacks released() {
            return new Callbacks(List.of(), inFlight, begun);
        }
    }

    private Camera(long handle, int fps) {
        this.handle = handle;
        this.fps = fps;
        this.id = WeftCam.id(handle);
    }

    /**
     * Opens a camera that makes {@code fps} frames per second of {@value #DEFAULT_FRAME_BYTES}
     * bytes until it is closed.
     *
     * @throws IllegalStateException    if the library is unavailable (see {@link CameraLibrary})
     * @throws IllegalArgumentException if {@code fps} is not in 1..100000
     */
    public static Camera open(int fps) {
        return builder().fps(fps).open();
    }

    /** A builder, for the frame size and a frame limit. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a camera to open. Not thread-safe; reusable. */
    public static final class Builder {
        private int fps = 30;
        private int frameBytes = DEFAULT_FRAME_BYTES;
        private long stopAfter;

        private Builder() { }

        /** Frames per second, 1..100000 (default 30). */
        public Builder fps(int fps) {
            if (fps < 1 || fps > 100_000) {
                throw new IllegalArgumentException("fps must be in 1..100000, got " + fps);
            }
            this.fps = fps;
            return this;
        }

        /** Bytes per frame, at least 16 (default {@value Camera#DEFAULT_FRAME_BYTES}). */
        public Builder frameBytes(int frameBytes) {
            if (frameBytes < 16 || frameBytes > (64 << 20)) {
                throw new IllegalArgumentException("frameBytes must be in 16..64 MiB, got " + frameBytes);
            }
            this.frameBytes = frameBytes;
            return this;
        }

        /**
         * The camera stops after this many frames (a finite recording); once they are all taken,
         * {@link Camera#isAvailable()} is false. 0 (the default) never stops.
         */
        public Builder stopAfter(long frames) {
            if (frames < 0) {
                throw new IllegalArgumentException("stopAfter must be 0 (never) or positive, got " + frames);
            }
            this.stopAfter = frames;
            return this;
        }

        /**
         * Opens the camera; it starts making frames at once.
         *
         * @throws IllegalStateException if the library is unavailable, or all 64 camera slots
         *                               are in use or memory is short
         */
        public Camera open() {
            long handle = WeftCam.open(fps, frameBytes, stopAfter);
            if (handle == 0) {
                throw new IllegalStateException("weftcam_open failed: all 64 camera slots are open, or out of memory");
            }
            return new Camera(handle, fps);
        }
    }

    /** The camera's id, unique in the process; frames carry it. */
    public int id() {
        return id;
    }

    /** Frames per second. */
    public int fps() {
        return fps;
    }

    /** True while the camera makes frames or holds frames nobody took; false once closed. */
    public boolean isAvailable() {
        return !closed && WeftCam.available(handle) == 1;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The oldest ready frame, copied into Java memory, or {@code null} if none is ready (or the
     * camera is closed). Never waits for a frame: the poll function for {@code Stream.fromPoll}.
     */
    public Frame tryFrame() {
        if (closed) {
            return null;
        }
        return copyAndRelease(WeftCam.poll(handle));
    }

    /**
     * The oldest ready frame, borrowed until the returned frame is closed, or {@code null} if none
     * is ready (or the camera is closed). Never waits for a frame.
     */
    public BorrowedFrame tryBorrow() {
        if (closed) {
            return null;
        }
        MemorySegment f = WeftCam.poll(handle);
        return f.address() == 0 ? null : new BorrowedFrame(f);
    }

    /**
     * The next frame, copied, waiting up to {@code timeout} for one; {@code null} if none came in
     * time, the camera stopped ({@link #isAvailable()} is then false) or it was closed (which
     * wakes the wait). Blocks the calling OS thread.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Frame awaitFrame(Duration timeout) {
        long nanos = timeoutNanos(timeout);
        if (closed) {
            return null;
        }
        return copyAndRelease(WeftCam.await(handle, nanos));
    }

    /** {@link #awaitFrame} that borrows instead of copying. Blocks the calling OS thread. */
    public BorrowedFrame awaitBorrow(Duration timeout) {
        long nanos = timeoutNanos(timeout);
        if (closed) {
            return null;
        }
        MemorySegment f = WeftCam.await(handle, nanos);
        return f.address() == 0 ? null : new BorrowedFrame(f);
    }

    /**
     * Registers a C callback {@code void (*)(void *user)} that the library calls, on its own
     * thread, with {@code userData} each time this camera made a frame (and once more while the
     * camera closes). Replaces the previous one; {@link MemorySegment#NULL} as {@code callback}
     * removes it. When this returns, the previous callback is not running and will not be called
     * again. The shape fits {@code NativeWake.upcall(cam::onFrameReady)}. Calls from several
     * threads at once are applied by the library one at a time, in no set order; the one applied
     * last stays.
     *
     * <p>This camera keeps {@code callback} reachable until the library is done with it (it is
     * replaced, or the camera closed), so an upcall stub from an automatic arena stays alive
     * exactly as long as needed.
     *
     * @throws IllegalStateException if the camera is closed
     */
    public void onFrameReady(MemorySegment callback, MemorySegment userData) {
        Objects.requireNonNull(callback, "callback (MemorySegment.NULL removes it)");
        Objects.requireNonNull(userData, "userData (MemorySegment.NULL for none)");
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        Callbacks before = callbacks.getAndUpdate(c -> c.begin(callback));   // reachable before the library can call it
        long mine = before.begun() + 1;
        boolean alone = before.inFlight() == 0;
        boolean applied = false;
        try {
            applied = WeftCam.setCallback(handle, callback, userData) == WeftCam.OK;
        } finally {
            boolean appliedAlone = applied && alone;
            callbacks.updateAndGet(c -> c.end(callback, mine, appliedAlone, finalStats.isDone()));
        }
        if (!applied) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * The camera's counters; after {@link #close()}, the final ones. While a {@code close()} runs
     * on another thread, this waits until it is done (so do not call it from this camera's
     * callback then: the close waits for the callback).
     */
    public CameraStats stats() {
        long[] c = WeftCam.counters(handle);
        if (c != null) {
            return new CameraStats(c[0], c[1], c[2]);
        }
        return finalStats.join();                           // closed in the library: close() completes it
    }

    /**
     * Stops the camera: its ready frames are dropped, waiters in {@link #awaitFrame} return
     * {@code null}, the callback is called one last time and never after this returns. Frames
     * borrowed earlier stay valid until they are closed. Idempotent: a call that finds another
     * one closing waits until that one is done, so the guarantees hold when either returns.
     * Blocks the calling OS thread while the library waits for a running callback.
     */
    @Override
    public void close() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            finalStats.join();
            return;
        }
        long[] c = null;
        try {
            c = WeftCam.close(handle);
        } finally {
            finalStats.complete(c == null ? new CameraStats(0, 0, 0) : new CameraStats(c[0], c[1], c[2]));
            callbacks.updateAndGet(Callbacks::released);    // the library calls none of them any more
        }
    }

    @Override
    public String toString() {
        return "camera " + id + " (" + fps + " fps)";
    }

    private static long timeoutNanos(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative, got " + timeout);
        }
        return timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : timeout.toNanos();
    }

    private static Frame copyAndRelease(MemorySegment f) {
        if (f.address() == 0) {
            return null;
        }
        try {
            int size = f.get(JAVA_INT, WeftCam.FRAME_SIZE);
            byte[] pixels = f.get(ADDRESS, WeftCam.FRAME_PIXELS).reinterpret(size).toArray(JAVA_BYTE);
            return new Frame(f.get(JAVA_INT, WeftCam.FRAME_CAMERA), f.get(JAVA_LONG, WeftCam.FRAME_SEQ),
                    f.get(JAVA_LONG, WeftCam.FRAME_READY_NS), pixels);
        } finally {
            WeftCam.release(f);
        }
    }
}
