package dev.weft.ffi.camera;

import java.util.Arrays;
import java.util.Objects;

/**
 * A camera frame copied into Java memory: a plain value that owns its pixels. The native buffer
 * it came from was released before the frame was returned, so it can be kept, shared between
 * threads and passed anywhere. {@link Camera#tryFrame()} and {@link BorrowedFrame#copy()} make
 * them.
 *
 * @param camera     the {@linkplain Camera#id() id} of the camera that made it
 * @param seq        its number: 1 for the camera's first frame, one more per frame the camera
 *                   made, so a gap means frames were lost
 * @param readyNanos when the frame became ready, on the {@link System#nanoTime()} clock
 * @param pixels     the frame's own copy of the pixel bytes (bytes 0–7 hold {@code seq} and
 *                   8–11 the camera id, little-endian, as the simulator writes them)
 */
public record Frame(int camera, long seq, long readyNanos, byte[] pixels) {

    /** Checks that {@code pixels} is present. */
    public Frame {
        Objects.requireNonNull(pixels, "pixels");
    }

    /** Nanoseconds from the frame becoming ready until now. */
    public long ageNanos() {
        return System.nanoTime() - readyNanos;
    }

    /** Equal camera, sequence number, ready time and pixel contents. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.camera == camera && f.seq == seq && f.readyNanos == readyNanos
                && Arrays.equals(f.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(camera, seq, readyNanos, Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "Frame[camera " + camera + ", #" + seq + ", " + pixels.length + " bytes]";
    }
}
