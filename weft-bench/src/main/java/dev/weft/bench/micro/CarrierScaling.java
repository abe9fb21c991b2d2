package dev.weft.bench.micro;

import dev.weft.runtime.Runtimes;
import dev.weft.runtime.internal.CarrierHook;
import dev.weft.spi.AbstractRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;

/**
 * A study, not a spec suite: how {@code yield_many} on plain virtual threads (no Weft task around
 * them) scales from one carrier to two under three schedulers: Weft's multi-thread scheduler, a
 * {@link ForkJoinPool} in FIFO mode installed through the same carrier hook, and the JDK's default
 * scheduler. It separates the scheduler's share of a virtual-thread yield from the JDK's
 * continuation code, which all three share. {@code ./weft bench scaling} runs each case in its own
 * JVM; prints {@code scaling yield_many <scheduler>/<carriers> <ns/op> ns/op} (median of 30
 * rounds after 30 warm-up rounds).
 */
public final class CarrierScaling {
    private static final int WARMUP = 30;
    private static final int MEASURED = 30;

    private CarrierScaling() { }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CarrierScaling weft|fjp|jdk <carriers>");
            System.exit(2);
        }
        String scheduler = args[0];
        int carriers = Integer.parseInt(args[1]);
        ThreadFactory threads = switch (scheduler) {
            case "weft" -> {
                AbstractRuntime rt = (AbstractRuntime) Runtimes.multiThreadBuilder().name("scaling")
                        .workers(carriers).watchdog(null).build();
                yield rt.virtualThreadFactory();
            }
            case "fjp" -> CarrierHook.virtualThreadFactory(
                    new ForkJoinPool(carriers, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true), "fjp");
            case "jdk" -> {
                String set = System.getProperty("jdk.virtualThreadScheduler.parallelism");
                if (set == null || Integer.parseInt(set) != carriers) {
                    throw new IllegalArgumentException(
                            "for jdk, start the JVM with -Djdk.virtualThreadScheduler.parallelism=" + carriers);
                }
                yield Thread.ofVirtual().factory();
            }
            default -> throw new IllegalArgumentException("unknown scheduler '" + scheduler + "': weft, fjp or jdk");
        };
        long[] times = new long[MEASURED];
        for (int round = 0; round < WARMUP + MEASURED; round++) {
            long start = System.nanoTime();
            List<Thread> started = new ArrayList<>(Workloads.YIELD_TASKS);
            for (int i = 0; i < Workloads.YIELD_TASKS; i++) {
                Thread t = threads.newThread(() -> {
                    for (int y = 0; y < Workloads.YIELDS; y++) {
                        Thread.yield();
                    }
                });
                t.start();
                started.add(t);
            }
            for (Thread t : started) {
                t.join();
            }
            if (round >= WARMUP) {
                times[round - WARMUP] = System.nanoTime() - start;
            }
        }
        Arrays.sort(times);
        double ops = (double) Workloads.YIELD_TASKS * Workloads.YIELDS;
        double median = (times[MEASURED / 2 - 1] + times[MEASURED / 2]) / 2.0;   // as MicroSuite (even count)
        System.out.printf("scaling yield_many %s/%d %.1f ns/op%n", scheduler, carriers, median / ops);
        System.exit(0);
    }
}
