package dev.weft.examples;

import dev.weft.Backoff;
import dev.weft.Stream;
import dev.weft.Weft;
import dev.weft.examples.SimulatedCamera.Frame;
import dev.weft.runtime.Runtimes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Grace's story (seed 000): five cameras that only offer a non-blocking poll, read on ONE OS
 * thread. Each camera becomes a {@link Stream} with {@link Stream#fromPoll}; the five are merged
 * and consumed by one sequential task on the current-thread runtime.
 *
 * <p>Run with {@code ./weft demo [seconds]}.
 */
public final class CameraDemo {
    private CameraDemo() { }

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int cameraCount = 5;
        long periodMs = 5;
        System.out.printf("Weft demo: %d simulated cameras, a frame every %d ms each, read for %d s by one task "
                + "on the current-thread runtime.%n", cameraCount, periodMs, seconds);

        List<SimulatedCamera> cameras = new ArrayList<>();
        long[] frames = new long[cameraCount + 1];
        long[][] delays = new long[cameraCount + 1][];
        Set<String> osThreads = new TreeSet<>();
        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();

        try (var rt = Runtimes.currentThread("cameras")) {
            rt.run(() -> {
                IntStream.rangeClosed(1, cameraCount)       // the cameras start streaming when opened
                        .forEach(i -> cameras.add(new SimulatedCamera(i, periodMs, seconds * 1000L)));
                // The whole pipeline, as a user writes it:
                var feeds = cameras.stream()
                        .map(cam -> Stream.fromPoll(cam::tryFrame, cam::isAvailable, Backoff.adaptive()))
                        .toList();
                for (Frame f : Weft.iterate(Stream.merge(feeds))) {      // parks while nothing is ready
                    record(f, frames, delays);
                    Runtimes.carrierOf(Thread.currentThread()).ifPresent(t -> osThreads.add(t.getName()));
                }
            });
        }

        double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
        long cpuMs = (processCpuNanos() - cpuBefore) / 1_000_000;
        long totalFrames = 0;
        long totalLost = 0;
        System.out.println();
        System.out.println("camera   frames   lost   delay p50   delay p99");
        for (SimulatedCamera cam : cameras) {
            int id = cam.id();
            long[] d = Arrays.copyOf(delays[id], (int) frames[id]);
            Arrays.sort(d);
            System.out.printf("cam-%d   %7d   %4d   %6.2f ms   %6.2f ms%n", id, frames[id], cam.lost(),
                    percentile(d, 50) / 1e6, percentile(d, 99) / 1e6);
            totalFrames += frames[id];
            totalLost += cam.lost();
        }
        System.out.println();
        System.out.printf("frames: %d received, %d lost (%s)%n", totalFrames, totalLost,
                totalLost == 0 ? "none" : "the reader fell behind");
        System.out.printf("OS threads that ran the cameras: %d %s%n", osThreads.size(), osThreads);
        System.out.printf("CPU: %d ms over %.1f s of wall time (%.0f ms per second, whole JVM)%n",
                cpuMs, wallSeconds, cpuMs / wallSeconds);
    }

    private static void record(Frame f, long[] frames, long[][] delays) {
        int id = f.camera();
        if (delays[id] == null) {
            delays[id] = new long[1024];
        } else if (frames[id] == delays[id].length) {
            delays[id] = Arrays.copyOf(delays[id], delays[id].length * 2);
        }
        delays[id][(int) frames[id]] = System.nanoTime() - f.readyNanos();
        frames[id]++;
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
