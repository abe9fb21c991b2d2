package dev.weft.ffi.camera;

import dev.weft.ffi.internal.WeftCam;
import java.util.Optional;

/**
 * The camera simulator library itself ({@code libweftcam.so}, compiled from
 * {@code weft-native/src/main/c} by the build and loaded from the class path): whether it is
 * available, and its clock.
 */
public final class CameraLibrary {
    private CameraLibrary() { }

    /** True if the library is on the class path and loads on this platform (Linux). */
    public static boolean isAvailable() {
        return WeftCam.unavailabilityCause() == null;
    }

    /** Why the library cannot be used, if it cannot. */
    public static Optional<String> unavailabilityCause() {
        return Optional.ofNullable(WeftCam.unavailabilityCause());
    }

    /**
     * The library's clock, {@code CLOCK_MONOTONIC} in nanoseconds: the clock of
     * {@link Frame#readyNanos()}. On Linux, HotSpot's {@link System#nanoTime()} reads the same
     * clock, so the two can be subtracted.
     *
     * @throws IllegalStateException if the library is unavailable
     */
    public static long nowNanos() {
        return WeftCam.nowNanos();
    }

    /**
     * Frame buffers the library has allocated right now, over all cameras (eight per open camera,
     * plus borrowed frames of closed cameras not yet released): a leak check.
     *
     * @throws IllegalStateException if the library is unavailable
     */
    public static long framesAllocated() {
        return WeftCam.framesAllocated();
    }
}
