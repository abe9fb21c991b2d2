package dev.weft.bench.micro;

import dev.weft.runtime.Runtimes;
import dev.weft.runtime.internal.CarrierHook;
import dev.weft.spi.AbstractRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A study, not a spec suite: how the {@code micro} workloads on plain virtual threads (no Weft task
 * around them) scale from one carrier to two under three schedulers: Weft's multi-thread
 * scheduler, a {@link ForkJoinPool} in FIFO mode installed through the same carrier hook, and the
 * JDK's default scheduler. It separates the scheduler's share of virtual-thread work from the
 * JDK's continuation code, which all three share. Workloads, as in ../shared/BENCH-SPEC.md:
 * {@code yield_many} (200 threads started from the main thread, 1,000 {@code Thread.yield()} each),
 * {@code ping_pong} (from inside one virtual thread, 1,000 threads that each start a partner and
 * hand it a value and back through two {@link CompletableFuture}s, as {@code JdkWorkloads} does)
 * and {@code chained_spawn} (a chain of thread starts 1,000 deep, the last completes a future).
 * Every thread comes from the scheduler's thread factory.
 *
 * <p>{@code ./weft bench scaling} runs each (scheduler, carriers) case in its own JVM, all three
 * workloads in it; prints {@code scaling <workload> <scheduler>/<carriers> <ns/op> ns/op} (median
 * of 30 rounds, {@code -Dweft.bench.rounds=N}, after 30 warm-up rounds,
 * {@code -Dweft.bench.warmup=N}).
 */
public final class CarrierScaling {
    private static final int WARMUP = Integer.getInteger("weft.bench.warmup", 30);
    private static final int MEASURED = Integer.getInteger("weft.bench.rounds", 30);

    /** The workloads, in the order they run and print. */
    public static final List<String> WORKLOADS = List.of("yield_many", "ping_pong", "chained_spawn");

    private interface Round {
        void run(ThreadFactory threads) throws Exception;
    }

    private CarrierScaling() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CarrierScaling weft|fjp|jdk <carriers> [workload...]; workloads: " + WORKLOADS);
            System.exit(2);
        }
        String scheduler = args[0];
        int carriers = Integer.parseInt(args[1]);
        List<String> only = List.of(args).subList(2, args.length);
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
        String runner = scheduler + "/" + carriers;
        measure(runner, "yield_many", (double) Workloads.YIELD_TASKS * Workloads.YIELDS, threads, CarrierScaling::yieldMany, only);
        measure(runner, "ping_pong", Workloads.PING_PONGS, threads, CarrierScaling::pingPong, only);
        measure(runner, "chained_spawn", Workloads.CHAIN, threads, CarrierScaling::chainedSpawn, only);
        System.exit(0);
    }

    private static void measure(String runner, String workload, double ops, ThreadFactory threads, Round round, List<String> only)
            throws Exception {
        if (!only.isEmpty() && !only.contains(workload)) {
            return;
        }
        long[] times = new long[MEASURED];
        for (int i = 0; i < WARMUP + MEASURED; i++) {
            long start = System.nanoTime();
            round.run(threads);
            if (i >= WARMUP) {
                times[i - WARMUP] = System.nanoTime() - start;
            }
        }
        Arrays.sort(times);
        double median = MEASURED % 2 == 1 ? times[MEASURED / 2] : (times[MEASURED / 2 - 1] + times[MEASURED / 2]) / 2.0;
        System.out.printf("scaling %s %s %.1f ns/op%n", workload, runner, median / ops);
        System.out.flush();
        System.err.printf("  %-14s %-7s min %.1f  median %.1f  max %.1f ns/op%n", workload, runner,
                times[0] / ops, median / ops, times[MEASURED - 1] / ops);
    }

    /** 200 threads started from the main thread, each yielding 1,000 times; waits for all. */
    private static void yieldMany(ThreadFactory threads) throws InterruptedException {
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
    }

    /** From one virtual thread: 1,000 threads, each starts a partner, hands it a value and waits for it back. */
    private static void pingPong(ThreadFactory threads) throws Exception {
        inVirtualThread(threads, () -> {
            AtomicInteger left = new AtomicInteger(Workloads.PING_PONGS);
            CompletableFuture<Void> done = new CompletableFuture<>();
            for (int i = 0; i < Workloads.PING_PONGS; i++) {
                threads.newThread(() -> {
                    CompletableFuture<Long> ping = new CompletableFuture<>();
                    CompletableFuture<Long> pong = new CompletableFuture<>();
                    threads.newThread(() -> pong.complete(ping.join())).start();
                    ping.complete(1L);
                    pong.join();
                    if (left.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                }).start();
            }
            done.join();
        });
    }

    /** From one virtual thread: a thread starts a thread that starts a thread …, 1,000 deep; the last signals. */
    private static void chainedSpawn(ThreadFactory threads) throws Exception {
        inVirtualThread(threads, () -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            chain(threads, Workloads.CHAIN, done);
            done.join();
        });
    }

    private static void chain(ThreadFactory threads, int left, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        threads.newThread(() -> chain(threads, left - 1, done)).start();
    }

    /** Runs {@code body} in a thread of {@code threads} and waits for it (as {@code JdkWorkloads} does). */
    private static void inVirtualThread(ThreadFactory threads, Runnable body) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        threads.newThread(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }).start();
        done.get();
    }
}
