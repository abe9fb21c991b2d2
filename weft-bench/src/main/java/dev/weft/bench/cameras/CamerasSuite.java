package dev.weft.bench.cameras;

import dev.weft.bench.ProcessCpu;
import dev.weft.bench.ThreadCpu;
import dev.weft.ffi.camera.Camera;
import dev.weft.ffi.camera.CameraStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code cameras} suite of ../shared/BENCH-SPEC.md: five simulated C cameras at 200 frames/s
 * for 10 s (workload {@code 5x200fps}), read by one runner per process. Figures, each one line on
 * stdout: frames handled ({@code frames}), frames made but never handled ({@code lost}), process
 * CPU time per second of wall time ({@code ms/s}) and the 99th-percentile delay from a frame
 * being ready to it being handled ({@code us}). Everything else goes to stderr.
 *
 * <p>One continuous session: the cameras stop after {@code 200 × (10 + 10)} frames each; the
 * first 10 seconds (frames 1–2000) are a warm-up that is handled but not measured, so the JIT has
 * compiled the per-frame paths (at 200 frames/s per camera that takes seconds). The measurement
 * runs from the moment the warm-up's last frame is made to the moment the reader has handled
 * every frame (CPU and wall clock), and covers frames 2001–4000 of each camera (delays, losses).
 * Measuring a separate warm-up session instead would measure the JIT: the end of the warm-up's
 * streams deoptimises the hot code, which then runs unoptimised for seconds at this frame rate.
 * The launcher runs each JVM with {@code -XX:+AlwaysPreTouch}: otherwise every 4 KiB frame copy
 * lands on a heap page touched for the first time, and page faults dominate every runner.
 * Properties: {@code weft.bench.cameras.seconds} (default 10), {@code weft.bench.cameras.warmup}
 * (default 10).
 */
public final class CamerasSuite {
    /** The runners, in the spec's order. */
    public static final List<String> RUNNERS = List.of("threads/blocking", "weft-current/poll", "weft-current/upcall");
    /**
     * Not in the spec, run only when named: {@code weft-current/upcall} with the pipeline as one
     * poll task ({@code rt.blockOn(merge.forEach(...))}) instead of a sequential task, to show
     * what the virtual-thread hop costs per wake-up.
     */
    public static final List<String> EXTRA_RUNNERS = List.of("weft-current/upcall-future");

    static final String WORKLOAD = "5x200fps";
    static final int CAMERAS = 5;
    static final int FPS = 200;
    static final int SECONDS = Integer.getInteger("weft.bench.cameras.seconds", 10);
    static final int WARMUP_SECONDS = Integer.getInteger("weft.bench.cameras.warmup", 10);

    private CamerasSuite() { }

    private record Session(long frames, long lost, double cpuMsPerSecond, long[] sortedDelays, double wallSeconds,
                           Set<String> threads, List<CameraStats> stats, String busiestThreads) { }

    /** Runs {@code runner} through the warm-up and the measured seconds and prints the figure lines. */
    public static void run(String runner) throws InterruptedException {
        CameraReaders.Reader reader = CameraReaders.forRunner(runner);
        System.err.printf("cameras %s: %d cameras x %d fps, %d s warm-up then %d s measured%n", runner, CAMERAS, FPS,
                WARMUP_SECONDS, SECONDS);
        Session s = session(reader);

        double p99Micros = FrameLog.percentile(s.sortedDelays(), 99) / 1e3;
        line(runner, Long.toString(s.frames()), "frames");
        line(runner, Long.toString(s.lost()), "lost");
        line(runner, String.format("%.1f", s.cpuMsPerSecond()), "ms/s");
        line(runner, String.format("%.0f", p99Micros), "us");

        long[] d = s.sortedDelays();
        System.err.printf("  delay us: p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f%n",
                FrameLog.percentile(d, 50) / 1e3, FrameLog.percentile(d, 90) / 1e3, p99Micros,
                FrameLog.percentile(d, 99.9) / 1e3, FrameLog.percentile(d, 100) / 1e3);
        System.err.printf("  measured %.2f s of wall time; OS threads that read frames: %d %s%n", s.wallSeconds(),
                s.threads().size(), s.threads());
        System.err.printf("  per camera, whole session (made/delivered/dropped): %s%n", s.stats());
        System.err.printf("  CPU by OS thread while measured: %s%n", s.busiestThreads());
        if (runner.equals("weft-current/poll")) {
            System.err.printf("  backoff: Backoff.adaptive(); its bound for a 5 ms interval is "
                    + "one step, max(1 ms, 5 ms / 8), plus one 1 ms timer tick = 2000 us: p99 %s%n",
                    p99Micros <= 2000 ? "within it" : "OVER it");
        }
    }

    private static Session session(CameraReaders.Reader reader) throws InterruptedException {
        long warmUpFrames = (long) FPS * WARMUP_SECONDS;
        long measuredFrames = (long) FPS * SECONDS;
        List<Camera> cameras = new ArrayList<>();
        for (int i = 0; i < CAMERAS; i++) {
            cameras.add(Camera.builder().fps(FPS).stopAfter(warmUpFrames + measuredFrames).open());
        }
        FrameLog log = new FrameLog(cameras, warmUpFrames, measuredFrames);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread readerThread = Thread.ofPlatform().name("reader").start(() -> {
            try {
                threads.addAll(reader.readAll(cameras, log));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Camera first = cameras.getFirst();
        while (first.stats().made() < warmUpFrames && readerThread.isAlive()) {
            Thread.sleep(1);
        }
        ThreadCpu threadsBefore = ThreadCpu.sample();
        long cpuBefore = ProcessCpu.nanos();
        long wallBefore = System.nanoTime();
        readerThread.join();
        long wall = System.nanoTime() - wallBefore;
        long cpu = ProcessCpu.nanos() - cpuBefore;
        String busiest = ThreadCpu.sample().topSince(threadsBefore, 6, cpu);
        if (failure.get() != null) {
            throw new IllegalStateException("the reader failed", failure.get());
        }
        List<CameraStats> stats = new ArrayList<>();
        long lost = 0;
        for (int row = 0; row < cameras.size(); row++) {
            Camera cam = cameras.get(row);
            cam.close();
            stats.add(cam.stats());
            lost += measuredFrames - log.handled(row);
        }
        double wallSeconds = wall / 1e9;
        return new Session(log.handled(), lost, cpu / 1e6 / wallSeconds, log.sortedDelays(), wallSeconds, threads,
                stats, busiest);
    }

    private static void line(String runner, String value, String unit) {
        System.out.printf("cameras %s %s %s %s%n", WORKLOAD, runner, value, unit);
        System.out.flush();
    }

}
