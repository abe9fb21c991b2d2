package dev.weft.ffi.camera;

/**
 * A camera's counters, from the library.
 *
 * @param made      frames the camera produced
 * @param delivered frames handed out ({@code tryFrame}, {@code awaitFrame}, borrows)
 * @param dropped   frames lost: overwritten before anybody took them, or (after close) never taken
 */
public record CameraStats(long made, long delivered, long dropped) {

    /** Frames made and not (yet) delivered or dropped: ready in the camera's ring. */
    public long pending() {
        return made - delivered - dropped;
    }
}
