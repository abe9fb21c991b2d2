package dev.weft.ffi.camera;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.weft.ffi.internal.WeftCam;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A frame whose pixels stay in the library's memory, lent to the caller until {@link #close()}:
 * zero-copy, for a scope. Use it in try-with-resources; leaving the block gives the buffer back.
 *
 * {@snippet class="dev.weft.snippets.CameraSnippets" region="borrow"}
 *
 * <p><b>Ownership.</b> While borrowed, the buffer is the caller's: the camera does not overwrite
 * it (a camera whose eight buffers are all borrowed drops new frames instead). After
 * {@link #close()} the pixels are gone: {@link #pixels()} and {@link #copy()} throw an
 * {@link IllegalStateException} that says so, and a {@link MemorySegment} obtained earlier from
 * {@link #pixels()} is closed too — touching it throws {@link IllegalStateException} from the FFM
 * API instead of reading freed memory. To keep a frame, {@link #copy()} it inside the block.
 * {@link #camera()}, {@link #seq()} and {@link #readyNanos()} stay readable after the release.
 *
 * <p><b>Threads.</b> A borrowed frame belongs to the thread that borrowed it (a sequential task's
 * virtual thread keeps it across parks): its pixels are a confined segment, and only that thread
 * may read or release it; other threads get an {@link IllegalStateException}. Hand a
 * {@link #copy()} to other threads.
 *
 * <p>Closing twice is harmless. A borrowed frame stays valid if its camera is closed meanwhile,
 * until it is released. A borrowed frame that is never closed keeps its buffer from the camera.
 */
public final class BorrowedFrame implements AutoCloseable {
    private final MemorySegment nativeFrame;
    private final Arena arena;
    private final MemorySegment pixels;
    private final int camera;
    private final long seq;
    private final long readyNanos;
    /** Owner thread only (the arena is confined to it). */
    private boolean released;

    BorrowedFrame(MemorySegment nativeFrame) {
        this.nativeFrame = nativeFrame;
        this.seq = nativeFrame.get(JAVA_LONG, WeftCam.FRAME_SEQ);
        this.readyNanos = nativeFrame.get(JAVA_LONG, WeftCam.FRAME_READY_NS);
        this.camera = nativeFrame.get(JAVA_INT, WeftCam.FRAME_CAMERA);
        int size = nativeFrame.get(JAVA_INT, WeftCam.FRAME_SIZE);
        MemorySegment address = nativeFrame.get(ADDRESS, WeftCam.FRAME_PIXELS);
        this.arena = Arena.ofConfined();
        this.pixels = address.reinterpret(size, arena, null).asReadOnly();
    }

    /** The id of the camera that made it. */
    public int camera() {
        return camera;
    }

    /** Its sequence number (see {@link Frame#seq()}). */
    public long seq() {
        return seq;
    }

    /** When it became ready, on the {@link System#nanoTime()} clock. */
    public long readyNanos() {
        return readyNanos;
    }

    /**
     * The pixels, read-only, in the library's memory: valid until {@link #close()}.
     *
     * @throws IllegalStateException if the frame was released, or this is not the borrowing thread
     */
    public MemorySegment pixels() {
        checkUsable("read its pixels");
        return pixels;
    }

    /**
     * A copy in Java memory, which outlives this borrow.
     *
     * @throws IllegalStateException if the frame was released, or this is not the borrowing thread
     */
    public Frame copy() {
        checkUsable("copy it");
        return new Frame(camera, seq, readyNanos, pixels.toArray(JAVA_BYTE));
    }

    /** True once {@link #close()} gave the buffer back. */
    public boolean isReleased() {
        return released;
    }

    /**
     * Gives the buffer back to the camera; the pixels are gone afterwards. Idempotent.
     *
     * @throws IllegalStateException if called on another thread than the borrowing one
     */
    @Override
    public void close() {
        if (released) {
            return;
        }
        checkOwner("release it");
        released = true;
        arena.close();                       // first: no Java access to the pixels from here on
        WeftCam.release(nativeFrame);
    }

    private void checkUsable(String action) {
        if (released) {
            throw new IllegalStateException(this + " was released (its try-with-resources block ended), so its pixels "
                    + "are back with the camera; cannot " + action + ". Call copy() inside the block to keep the frame.");
        }
        checkOwner(action);
    }

    private void checkOwner(String action) {
        if (!pixels.isAccessibleBy(Thread.currentThread())) {
            throw new IllegalStateException(this + " is borrowed by another thread; cannot " + action + " on "
                    + Thread.currentThread() + ". Only the borrowing thread may use or release it; hand a copy() "
                    + "to other threads.");
        }
    }

    @Override
    public String toString() {
        return "borrowed frame #" + seq + " of camera " + camera;
    }
}
