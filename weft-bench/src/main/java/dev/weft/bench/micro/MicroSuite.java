package dev.weft.bench.micro;

import dev.weft.bench.ProcessCpu;
import dev.weft.bench.ThreadCpu;
import dev.weft.runtime.Runtimes;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code micro} suite of ../shared/BENCH-SPEC.md: five workloads, 5 warm-up rounds, 30
 * measured rounds, the median round's time divided by its operation count. One runner per
 * process (the launcher starts one JVM per runner, so no runner's JIT profile or garbage
 * affects another's). Figure lines go to stdout; progress to stderr.
 */
public final class MicroSuite {
    static final int WARMUP = 5;
    static final int MEASURED = Integer.getInteger("weft.bench.rounds", 30);
    /**
     * {@code -Dweft.bench.trace=true}: every round's time to stderr, with the CPU time each thread
     * used meanwhile (the JIT's compiler threads included), for studying warm-up.
     */
    private static final boolean TRACE = Boolean.getBoolean("weft.bench.trace");

    /** The runners, in the spec's order. */
    public static final List<String> RUNNERS = List.of(
            "weft-multi/poll", "weft-multi/vthread", "weft-current/poll", "weft-current/vthread", "jdk/vthread");

    /** The workloads, in the spec's order (the order of the figure lines). */
    public static final List<String> WORKLOADS = List.of("spawn_many", "yield_many", "ping_pong", "chained_spawn", "mpsc_100k");

    private interface Round {
        void run() throws Exception;
    }

    private MicroSuite() { }

    static Workloads workloadsFor(String runner) {
        return switch (runner) {
            case "weft-multi/poll" -> new WeftPollWorkloads(multi());
            case "weft-multi/vthread" -> new WeftSequentialWorkloads(multi());
            case "weft-current/poll" -> new WeftPollWorkloads(Runtimes.currentThread("bench"));
            case "weft-current/vthread" -> new WeftSequentialWorkloads(Runtimes.currentThread("bench"));
            case "jdk/vthread" -> new JdkWorkloads();
            default -> throw new IllegalArgumentException("unknown runner '" + runner + "'; runners: " + RUNNERS);
        };
    }

    private static dev.weft.Runtime multi() {
        // The spec's machine has 2 cores: multi-thread runners use 2 workers. -Dweft.bench.workers=N
        // changes that for studies only (figures for BENCHMARKS.md use 2).
        int workers = Integer.getInteger("weft.bench.workers", 2);
        return Runtimes.multiThreadBuilder().name("bench").workers(workers).watchdog(null).build();
    }

    /** Runs every workload for {@code runner} and prints one figure line per workload. */
    public static void run(String runner, List<String> only) throws Exception {
        try (Workloads w = workloadsFor(runner)) {
            measure(runner, "spawn_many", Workloads.SPAWN_MANY, w::spawnMany, only);
            measure(runner, "yield_many", Workloads.YIELD_TASKS * Workloads.YIELDS, w::yieldMany, only);
            measure(runner, "ping_pong", Workloads.PING_PONGS, w::pingPong, only);
            measure(runner, "chained_spawn", Workloads.CHAIN, w::chainedSpawn, only);
            measure(runner, "mpsc_100k", Workloads.MESSAGES, w::mpsc100k, only);
        }
    }

    private static ThreadCpu tracedThreads = TRACE ? ThreadCpu.sample() : null;
    private static long tracedCpu = TRACE ? ProcessCpu.nanos() : 0;

    private static void trace(String workload, String kind, int i, long nanos, long ops) {
        if (TRACE) {
            ThreadCpu threads = ThreadCpu.sample();
            long cpu = ProcessCpu.nanos();
            System.err.printf("  %s %s %d: %.1f ns/op, %d ms since start; CPU since the last line: %s%n", workload,
                    kind, i, nanos / (double) ops, ManagementFactory.getRuntimeMXBean().getUptime(),
                    threads.topSince(tracedThreads, 8, cpu - tracedCpu));
            tracedThreads = threads;
            tracedCpu = cpu;
        }
    }

    private static void measure(String runner, String workload, long ops, Round round, List<String> only) throws Exception {
        if (!only.isEmpty() && !only.contains(workload)) {
            return;
        }
        for (int i = 0; i < WARMUP; i++) {
            long start = System.nanoTime();
            round.run();
            trace(workload, "warm-up", i, System.nanoTime() - start, ops);
        }
        long[] times = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long start = System.nanoTime();
            round.run();
            times[i] = System.nanoTime() - start;
            trace(workload, "round", i, times[i], ops);
        }
        Arrays.sort(times);
        double median = MEASURED % 2 == 1 ? times[MEASURED / 2] : (times[MEASURED / 2 - 1] + times[MEASURED / 2]) / 2.0;
        System.out.printf("micro %s %s %.1f ns/op%n", workload, runner, median / ops);
        System.out.flush();
        System.err.printf("  %-14s %-22s min %.1f  median %.1f  max %.1f ns/op%n", workload, runner,
                times[0] / (double) ops, median / ops, times[MEASURED - 1] / (double) ops);
    }
}
