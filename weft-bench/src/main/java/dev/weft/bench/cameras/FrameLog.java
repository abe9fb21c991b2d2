package dev.weft.bench.cameras;

import dev.weft.ffi.camera.Camera;
import dev.weft.ffi.camera.Frame;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a runner handled: per camera, the delay of every measured frame from ready (the library's
 * {@code CLOCK_MONOTONIC} stamp) to handled ({@link System#nanoTime()}, the same clock). Frames of
 * the warm-up (sequence numbers up to {@code warmUpFrames}) are handled the same way but not
 * recorded.
 *
 * <p>Each camera's row is written by one thread at a time (the camera's reader: its own thread in
 * {@code threads/blocking}, the one task otherwise); the rows are read after the readers joined.
 */
final class FrameLog {
    private final Map<Integer, Integer> rowOfCamera = new HashMap<>();   // read-only once built
    private final long[][] delays;
    private final int[] handled;
    private final long warmUpFrames;
    private long checksum;

    FrameLog(List<Camera> cameras, long warmUpFrames, long measuredFrames) {
        this.warmUpFrames = warmUpFrames;
        delays = new long[cameras.size()][Math.toIntExact(measuredFrames)];
        handled = new int[cameras.size()];
        for (int i = 0; i < cameras.size(); i++) {
            rowOfCamera.put(cameras.get(i).id(), i);
        }
    }

    /** Handles a frame: stamps its delay and touches its pixels. */
    void handle(Frame f) {
        long delay = System.nanoTime() - f.readyNanos();
        checksum += f.pixels()[0] + f.pixels()[f.pixels().length - 1];   // the frame is really read
        if (f.seq() > warmUpFrames) {
            int row = rowOfCamera.get(f.camera());
            delays[row][handled[row]++] = delay;
        }
    }

    /** Measured frames handled. */
    long handled() {
        long n = 0;
        for (int h : handled) {
            n += h;
        }
        return n;
    }

    int handled(int row) {
        return handled[row];
    }

    /** All delays, sorted, in nanoseconds. */
    long[] sortedDelays() {
        long[] all = new long[Math.toIntExact(handled())];
        int at = 0;
        for (int row = 0; row < delays.length; row++) {
            System.arraycopy(delays[row], 0, all, at, handled[row]);
            at += handled[row];
        }
        Arrays.sort(all);
        return all;
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.clamp(i, 0, sorted.length - 1)];
    }

    long checksum() {
        return checksum;
    }
}
