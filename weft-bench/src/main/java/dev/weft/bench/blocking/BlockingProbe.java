package dev.weft.bench.blocking;

import dev.weft.Weft;
import dev.weft.runtime.BlockedWorkerReport;
import dev.weft.runtime.MultiThreadRuntime;
import dev.weft.runtime.Runtimes;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./weft bench blocking [runner...]}: does a scheduler keep running short tasks while as
 * many sequential tasks as it has carriers (2) are blocked in a call that holds the OS thread?
 * (BENCHMARKS.md, "Blocking calls in sequential tasks"; ARCHITECTURE.md, decision 22.)
 *
 * <p>Per workload: the blockers start at t = 0 and a platform thread releases them at
 * t = {@code holdMs} (200 ms); from t = 30 ms a short task (100 µs of CPU) is spawned every 5 ms,
 * 30 in all, and its latency is its end minus its spawn. Figure: the median latency,
 * {@code blocking <workload> <runner> <p50> us}, then a comment line with p90, max, how long the
 * blockers were held, and what Weft's watchdog reported. Runners: {@code weft-multi/vthread} (a
 * multi-thread runtime, 2 workers) and {@code jdk/vthread} (plain virtual threads on the JDK's
 * scheduler; the launcher sets its parallelism to 2). One JVM per runner, all workloads in it.
 */
public final class BlockingProbe {
    public static final List<String> RUNNERS = List.of("weft-multi/vthread", "jdk/vthread");
    /** What the blockers do; {@code fifo_read_spawn_blocking} is Weft's answer (weft-multi only). */
    public static final List<String> WORKLOADS = List.of("none", "fifo_read", "fc_read", "proc_read", "wait",
            "wait_pinned", "park_pinned", "cpu", "fifo_read_spawn_blocking");

    /** Blockers, how long they are held, how many short tasks are measured. */
    public record Settings(int blockers, long holdMs, int shortTasks) {
        public static final Settings DEFAULT = new Settings(2, 200, 30);
    }

    private BlockingProbe() { }

    public static void main(String[] args) throws Throwable {
        if (args.length < 1 || !RUNNERS.contains(args[0])) {
            System.err.println("usage: BlockingProbe <runner> [workload...]; runners: " + RUNNERS + ", workloads: " + WORKLOADS);
            System.exit(2);
        }
        run(args[0], args.length > 1 ? Arrays.asList(args).subList(1, args.length) : WORKLOADS, Settings.DEFAULT, System.out);
        System.exit(0);
    }

    private interface Spawner extends AutoCloseable {
        void spawn(Runnable body);
    }

    public static void run(String runner, List<String> workloads, Settings s, PrintStream out) throws Throwable {
        Queue<BlockedWorkerReport> reports = new ConcurrentLinkedQueue<>();
        MultiThreadRuntime rt = runner.equals("weft-multi/vthread")
                ? Runtimes.multiThreadBuilder().name("probe").workers(2).onBlocked(reports::add).build() : null;
        Spawner sp = rt != null ? new Spawner() {
            public void spawn(Runnable body) { rt.spawn(body::run); }
            public void close() { rt.close(); }
        } : new Spawner() {
            public void spawn(Runnable body) { Thread.ofVirtual().start(body); }
            public void close() { }
        };
        try (sp) {
            for (int i = 0; i < 200; i++) {                 // the short-task path warm (JIT, threads)
                CountDownLatch done = new CountDownLatch(1);
                sp.spawn(() -> { spin(20_000); done.countDown(); });
                done.await();
            }
            Path dir = Files.createTempDirectory("weft-blocking");
            try {
                for (String w : workloads) {
                    if (!WORKLOADS.contains(w)) {
                        throw new IllegalArgumentException("unknown workload '" + w + "'; workloads: " + WORKLOADS);
                    }
                    if (w.equals("fifo_read_spawn_blocking") && rt == null) {
                        out.println("# blocking " + w + " " + runner + ": skipped (Weft's blocking pool, weft-multi only)");
                        continue;
                    }
                    if (w.startsWith("fifo") || w.equals("fc_read")) {
                        if (!mkfifo(dir.resolve("probe"))) {
                            out.println("# blocking " + w + " " + runner + ": skipped (mkfifo is not available)");
                            continue;
                        }
                        Files.delete(dir.resolve("probe"));
                    }
                    reports.clear();
                    measure(runner, w, sp, s, dir, out);
                    for (BlockedWorkerReport r : reports) {
                        out.println("# watchdog: " + r.worker() + " " + r.cause() + " in "
                                + r.blockingFrame().or(r::taskFrame).map(Object::toString).orElse("?"));
                    }
                }
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    private static void measure(String runner, String workload, Spawner sp, Settings s, Path dir, PrintStream out)
            throws Throwable {
        if (workload.endsWith("_pinned")) {
            for (int i = 0; i < 100; i++) {
                underNativeFrame(() -> { });            // link qsort and warm the upcall before the clock starts
            }
        }
        List<Blocker> bs = new ArrayList<>();
        for (int i = 0; i < s.blockers(); i++) {
            bs.add(blocker(workload, dir.resolve(workload + "-" + i)));
        }
        long t0 = System.nanoTime();
        long[] held = new long[s.blockers()];
        CountDownLatch blockersDone = new CountDownLatch(s.blockers());
        for (int i = 0; i < s.blockers(); i++) {
            int k = i;
            sp.spawn(() -> {
                long start = System.nanoTime();
                try {
                    bs.get(k).block();
                } catch (Throwable e) {
                    System.err.println("blocking " + workload + ": a blocker failed: " + e);
                }
                held[k] = System.nanoTime() - start;
                blockersDone.countDown();
            });
        }
        Thread releaser = Thread.ofPlatform().daemon().start(() -> {
            sleepUntil(t0, s.holdMs());
            for (Blocker b : bs) {
                try {
                    b.release();
                } catch (Throwable e) {
                    System.err.println("blocking " + workload + ": a release failed: " + e);
                }
            }
        });
        long[] latency = new long[s.shortTasks()];
        CountDownLatch shortDone = new CountDownLatch(s.shortTasks());
        for (int i = 0; i < s.shortTasks(); i++) {
            sleepUntil(t0, 30 + 5L * i);
            int k = i;
            long spawned = System.nanoTime();
            sp.spawn(() -> {
                spin(100_000);
                latency[k] = System.nanoTime() - spawned;
                shortDone.countDown();
            });
        }
        boolean ok = shortDone.await(10, TimeUnit.SECONDS) & blockersDone.await(10, TimeUnit.SECONDS);
        releaser.join();
        for (Blocker b : bs) {
            b.close();
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        out.printf("blocking %s %s %.1f us%n", workload, runner, sorted[n / 2] / 1e3);
        out.printf("# blocking %s %s: p90 %.1f us, max %.1f us, blockers held %s ms%s%n", workload, runner,
                sorted[n * 9 / 10] / 1e3, sorted[n - 1] / 1e3,
                Arrays.stream(held).mapToObj(h -> String.valueOf(h / 1_000_000)).toList(), ok ? "" : " (TIMED OUT)");
    }

    // ------------------------------------------------------------------ the blocking calls

    private interface Blocker {
        void block() throws Throwable;

        void release() throws Throwable;

        default void close() throws IOException { }
    }

    private static Blocker blocker(String workload, Path fifo) throws Exception {
        return switch (workload) {
            case "none" -> new Blocker() {
                public void block() { }
                public void release() { }
            };
            case "cpu" -> {                                 // computes, never yields, until released
                AtomicBoolean released = new AtomicBoolean();
                yield new Blocker() {
                    public void block() {
                        while (!released.get()) {
                            spin(10_000);
                        }
                    }
                    public void release() { released.set(true); }
                };
            }
            case "fifo_read", "fc_read", "fifo_read_spawn_blocking" -> {
                if (!mkfifo(fifo)) {
                    throw new IOException("mkfifo " + fifo + " failed");
                }
                // Open both ends first (a FIFO's open waits for the other end): the blocker blocks in read.
                CompletableFuture<FileOutputStream> writer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new FileOutputStream(fifo.toFile());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, r -> Thread.ofPlatform().daemon().start(r));
                FileInputStream in = new FileInputStream(fifo.toFile());
                FileOutputStream out = writer.get(5, TimeUnit.SECONDS);
                yield new Blocker() {
                    public void block() throws IOException {
                        switch (workload) {
                            case "fc_read" -> in.getChannel().read(ByteBuffer.allocate(1));
                            case "fifo_read_spawn_blocking" -> Weft.spawnBlocking(() -> in.read()).join();
                            default -> in.read();
                        }
                    }
                    public void release() throws IOException {
                        out.write(1);
                        out.flush();
                    }
                    public void close() throws IOException {
                        in.close();
                        out.close();
                        Files.deleteIfExists(fifo);
                    }
                };
            }
            case "proc_read" -> {
                Process p = new ProcessBuilder("head", "-c", "1").start();     // copies one byte stdin -> stdout
                yield new Blocker() {
                    public void block() throws IOException { p.getInputStream().read(); }
                    public void release() throws IOException {
                        p.getOutputStream().write('x');
                        p.getOutputStream().flush();
                    }
                    public void close() { p.destroy(); }
                };
            }
            case "wait", "wait_pinned" -> {
                // The workload is Object.wait itself (a monitor on purpose: weft-bench is not under decision 12).
                Object lock = new Object();
                boolean[] released = {false};
                Runnable body = () -> {
                    synchronized (lock) {
                        while (!released[0]) {
                            try {
                                lock.wait();
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                };
                yield new Blocker() {
                    public void block() throws Throwable {
                        if (workload.equals("wait_pinned")) {
                            underNativeFrame(body);
                        } else {
                            body.run();
                        }
                    }
                    public void release() {
                        synchronized (lock) {
                            released[0] = true;
                            lock.notifyAll();
                        }
                    }
                };
            }
            case "park_pinned" -> {
                AtomicBoolean released = new AtomicBoolean();
                Thread[] who = new Thread[1];
                CountDownLatch started = new CountDownLatch(1);
                yield new Blocker() {
                    public void block() throws Throwable {
                        who[0] = Thread.currentThread();
                        started.countDown();
                        underNativeFrame(() -> {
                            while (!released.get()) {
                                LockSupport.park();
                            }
                        });
                    }
                    public void release() throws InterruptedException {
                        released.set(true);
                        if (started.await(5, TimeUnit.SECONDS)) {
                            LockSupport.unpark(who[0]);
                        }
                    }
                };
            }
            default -> throw new IllegalArgumentException(workload);
        };
    }

    // A native frame on the stack pins a virtual thread (JDK 25 still pins for native frames and class
    // initialisers, no longer for synchronized): qsort of two ints calls our comparator, an upcall, once.
    private static final ThreadLocal<Runnable> UPCALL_BODY = new ThreadLocal<>();
    private static volatile MethodHandle qsort;
    private static volatile MemorySegment compare;

    private static void underNativeFrame(Runnable body) throws Throwable {
        if (qsort == null) {
            Linker linker = Linker.nativeLinker();
            MethodHandle cmp = MethodHandles.lookup().findStatic(BlockingProbe.class, "compare",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
            compare = linker.upcallStub(cmp, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                    Arena.global());
            qsort = linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(8);
            UPCALL_BODY.set(body);
            qsort.invokeExact(pair, 2L, 4L, compare);
        } finally {
            UPCALL_BODY.remove();
        }
    }

    private static int compare(MemorySegment a, MemorySegment b) {
        Runnable r = UPCALL_BODY.get();
        if (r != null) {
            UPCALL_BODY.remove();
            r.run();
        }
        return 0;
    }

    // ------------------------------------------------------------------ helpers

    private static volatile long sink;

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        sink = x;
    }

    private static void sleepUntil(long t0, long ms) {
        long until = t0 + ms * 1_000_000;
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private static boolean mkfifo(Path path) {
        try {
            return new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
