package dev.weft.examples;

import dev.weft.Backoff;
import dev.weft.PollTrigger;
import dev.weft.Stream;
import dev.weft.Weft;
import dev.weft.ffi.NativeWake;
import dev.weft.ffi.camera.Camera;
import dev.weft.ffi.camera.CameraStats;
import dev.weft.ffi.camera.Frame;
import dev.weft.runtime.Runtimes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Grace's story (seed 000): five cameras from a C library that offers a non-blocking poll and a
 * "frame ready" callback, read on ONE OS thread. Each camera becomes a {@link Stream} with
 * {@link Stream#fromPoll}; the five are merged and consumed by one sequential task on the
 * current-thread runtime. The library's callback wakes the task through an FFM upcall
 * ({@link NativeWake}); with {@code poll} the task polls on an adaptive timer instead.
 *
 * <p>Run with {@code ./weft demo [seconds] [upcall|poll]} (default: 3 seconds, upcall).
 */
public final class CameraDemo {
    static final int CAMERAS = 5;
    static final int FPS = 200;

    /** What makes the reader look at a camera again after it found no frame. */
    enum Wakeup {
        /** The library's callback, on the library's thread, wakes the task (no timer). */
        UPCALL,
        /** A timer that learns the frame rate ({@link Backoff#adaptive()}). */
        POLL;

        PollTrigger of(Camera cam) {
            return switch (this) {
                case UPCALL -> NativeWake.upcall(cam::onFrameReady);
                case POLL -> Backoff.adaptive();
            };
        }
    }

    /** The cameras' final counters and what the reader saw. */
    record Result(List<CameraStats> cameras, List<Integer> ids, FrameStats seen) { }

    private CameraDemo() { }

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Wakeup wakeup = args.length > 1 ? Wakeup.valueOf(args[1].toUpperCase(java.util.Locale.ROOT)) : Wakeup.UPCALL;
        System.out.printf("Weft demo: %d C cameras (libweftcam, through FFM), %d frames/s each, for %d s, read by one "
                + "task on the current-thread runtime; woken by %s.%n", CAMERAS, FPS, seconds,
                wakeup == Wakeup.UPCALL ? "the library's callback (an FFM upcall)" : "an adaptive polling timer");
        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        Result result = run(CAMERAS, FPS, (long) FPS * seconds, wakeup);
        double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
        long cpuMs = (processCpuNanos() - cpuBefore) / 1_000_000;
        report(result, cpuMs, wallSeconds);
    }

    /** Opens the cameras (each stops after {@code frames}), reads them all to the end, closes them. */
    static Result run(int cameraCount, int fps, long frames, Wakeup wakeup) {
        FrameStats seen = new FrameStats();
        List<Camera> cameras = new ArrayList<>();
        try (var rt = Runtimes.currentThread("cameras")) {          // one OS thread, no spinning
            rt.run(() -> {
                for (int i = 0; i < cameraCount; i++) {            // they start streaming when opened
                    cameras.add(Camera.builder().fps(fps).stopAfter(frames).open());
                }
                try {
                    readAll(cameras, wakeup, seen::record);
                } finally {
                    cameras.forEach(Camera::close);
                }
            });
        }
        return new Result(cameras.stream().map(Camera::stats).toList(), cameras.stream().map(Camera::id).toList(), seen);
    }

    /** The pipeline, as Grace writes it: every frame of every camera, one at a time, in this task. */
    static void readAll(List<Camera> cameras, Wakeup wakeup, Consumer<Frame> process) {
        var feeds = cameras.stream()
                .map(cam -> Stream.fromPoll(cam::tryFrame, cam::isAvailable, wakeup.of(cam)))
                .toList();
        for (Frame f : Weft.iterate(Stream.merge(feeds))) {          // parks while nothing is ready
            process.accept(f);
        }
    }

    private static void report(Result result, long cpuMs, double wallSeconds) {
        System.out.println();
        System.out.println("camera   frames   lost   delay p50   delay p99");
        long lost = 0;
        for (int i = 0; i < result.ids().size(); i++) {
            int id = result.ids().get(i);
            FrameStats.PerCamera cam = result.seen().camera(id);
            long camLost = result.cameras().get(i).made() - cam.frames();
            lost += camLost;
            System.out.printf("cam-%-3d  %6d   %4d   %6.2f ms   %6.2f ms%n", id, cam.frames(), camLost,
                    cam.delayPercentile(50) / 1e6, cam.delayPercentile(99) / 1e6);
        }
        System.out.println();
        System.out.printf("frames: %d received, %d lost (%s)%n", result.seen().frames(), lost,
                lost == 0 ? "none" : "the reader fell behind");
        System.out.printf("OS threads that ran the reading task: %d %s%n", result.seen().osThreads().size(),
                result.seen().osThreads());
        System.out.printf("CPU: %d ms over %.1f s of wall time (%.0f ms per second, whole JVM, start-up included)%n",
                cpuMs, wallSeconds, cpuMs / wallSeconds);
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
