package dev.weft.examples;

/**
 * A camera simulated in plain Java: a frame becomes ready every {@code period}; the device keeps
 * at most {@link #DEPTH} unread frames and drops the oldest when a new one arrives, so a slow
 * reader loses frames and the loss is counted. {@link #tryFrame()} is the non-blocking poll a
 * vendor's C library offers; it never blocks.
 *
 * <p>One reader at a time (the stream that polls it).
 */
public final class SimulatedCamera {
    /** Unread frames the device holds before it drops the oldest (a vendor SDK's frame queue). */
    public static final int DEPTH = 8;

    private final int id;
    private final long periodNanos;
    private final long start;
    private final long stopAt;
    private long taken;
    private long lost;

    /** Opens a camera: from now on it makes a frame every {@code periodMillis}, for {@code runMillis}. */
    public SimulatedCamera(int id, long periodMillis, long runMillis) {
        this.id = id;
        this.periodNanos = periodMillis * 1_000_000L;
        this.start = System.nanoTime();
        this.stopAt = start + runMillis * 1_000_000L;
    }

    /** A frame: which camera, its sequence number (from 1), and when it became ready ({@code nanoTime}). */
    public record Frame(int camera, long seq, long readyNanos) { }

    public int id() {
        return id;
    }

    /** The next unread frame, or null if none is ready. Never blocks. */
    public Frame tryFrame() {
        long produced = produced(System.nanoTime());
        long unread = produced - taken - lost;
        if (unread > DEPTH) {
            lost += unread - DEPTH;            // the device overwrote frames nobody read in time
            unread = DEPTH;
        }
        if (unread <= 0) {
            return null;
        }
        taken++;
        long seq = taken + lost;
        return new Frame(id, seq, start + seq * periodNanos);
    }

    /** True while the camera still makes frames or holds unread ones. */
    public boolean isAvailable() {
        return produced(System.nanoTime()) > taken + lost || System.nanoTime() < stopAt;
    }

    /** Frames the device made so far. */
    public long produced() {
        return produced(System.nanoTime());
    }

    /** Frames dropped because they were not read in time. */
    public long lost() {
        return lost;
    }

    private long produced(long now) {
        long until = Math.min(now, stopAt);
        return until <= start ? 0 : (until - start) / periodNanos;
    }
}
