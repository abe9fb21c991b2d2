package dev.weft.examples;

import dev.weft.ffi.camera.Frame;
import dev.weft.runtime.Runtimes;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the demo's reader saw: per camera, how many frames, how late each was (from ready to
 * handled), whether any sequence number was skipped; and which OS threads ran the reader.
 * Touched by the one reading task only.
 */
final class FrameStats {
    /** One camera's frames. */
    static final class PerCamera {
        private long[] delays = new long[1024];
        private int frames;
        private long lastSeq;
        private long gaps;

        private void add(Frame f, long delayNanos) {
            if (frames == delays.length) {
                delays = Arrays.copyOf(delays, frames * 2);
            }
            delays[frames++] = delayNanos;
            gaps += f.seq() - lastSeq - 1;
            lastSeq = f.seq();
        }

        int frames() {
            return frames;
        }

        /** Frames skipped between the ones handled (lost before they were read). */
        long gaps() {
            return gaps;
        }

        /** The {@code p}-th percentile delay, in nanoseconds. */
        long delayPercentile(double p) {
            if (frames == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(delays, frames);
            Arrays.sort(sorted);
            int i = (int) Math.ceil(p / 100.0 * frames) - 1;
            return sorted[Math.clamp(i, 0, frames - 1)];
        }
    }

    private final Map<Integer, PerCamera> cameras = new TreeMap<>();
    private final Set<String> osThreads = new TreeSet<>();

    /** Handles one frame: its delay is measured now. */
    void record(Frame f) {
        long delay = System.nanoTime() - f.readyNanos();
        cameras.computeIfAbsent(f.camera(), id -> new PerCamera()).add(f, delay);
        Runtimes.carrierOf(Thread.currentThread()).ifPresent(t -> osThreads.add(t.getName()));
    }

    PerCamera camera(int id) {
        return cameras.getOrDefault(id, new PerCamera());
    }

    long frames() {
        return cameras.values().stream().mapToLong(PerCamera::frames).sum();
    }

    /** The OS threads that carried the reading task. */
    Set<String> osThreads() {
        return osThreads;
    }
}
