package dev.weft.bench.chaos;

import java.time.Duration;

/**
 * {@code ./weft chaos [seconds]} (default 60): a long-running check of Weft under random load and
 * injected faults, not part of CI (a short variant runs in {@code ./weft test}).
 *
 * <p><b>What runs.</b> On a multi-thread runtime (2 workers, 200 ms close grace), 16 actor tasks
 * pick operations at random, back to back: spawns of every kind (sequential, poll, blocking),
 * nested {@code TaskScope}s, cancels at random moments, {@code Weft.timeout} and
 * {@code Future.timeout}, selects with deadlines over channel receives and sends and over
 * {@code Mutex}/{@code Semaphore} acquisitions (also {@code select(Future.join(lock, permits),
 * sleep)}), joins whose other branch fails (so {@code release} must give back what they got),
 * wakers that throw (timers, task completion), futures whose {@code drop()} throws, bodies that
 * throw, TCP echo on loopback with owned reads and writes cancelled at random through pooled
 * buffers, {@code AsyncFile} reads cancelled at random. Meanwhile a platform thread opens and
 * closes further runtimes with work in flight, and another probes liveness. See {@link Op} for
 * the list, and {@code -Dweft.chaos.skip=op,…} / {@code -Dweft.chaos.only=op,…} to choose.
 *
 * <p><b>What is checked</b>, each printed as {@code chaos <invariant> <count> ok|FAILED} (count:
 * how many times it was checked or exercised):
 * <ul>
 *   <li>{@code probe}: a probe task completes within 2 s, every ~100 ms ({@link Probe});</li>
 *   <li>{@code tasks-complete-once}: every spawned task completes, exactly once; spawned ==
 *       completed at the end ({@link Ledger});</li>
 *   <li>{@code task-outcomes}: a join reports what the body did ({@link Ledger});</li>
 *   <li>{@code joins-bounded}: no join, scope close, timeout or runtime close waits longer than
 *       the close grace + 5 s ({@link Joins});</li>
 *   <li>{@code scope-failures}: a scope's owner sees its failure iff a child failed, never twice
 *       from close ({@link TaskOps#scopeTree});</li>
 *   <li>{@code timeout-cleanup}: {@code Weft.timeout} throws only after the body's cleanup ran;</li>
 *   <li>{@code mutual-exclusion} and {@code locks-released}: one holder at a time, and every lock
 *       and permit free once all tasks ended ({@link Locks});</li>
 *   <li>{@code channel-messages}: sent == received + left in the channel, by count and sum
 *       ({@link ChannelSlot});</li>
 *   <li>{@code buffers-returned}: the pool has nothing out and reports no leak
 *       ({@link IoFixtures});</li>
 *   <li>{@code io-bytes-intact}: echoed streams and file reads give exactly the bytes sent or
 *       stored ({@link IoOps});</li>
 *   <li>{@code faults-injected-only}: every reported fault was injected, and every injected one
 *       is accounted for ({@link FaultTally});</li>
 *   <li>{@code runtimes-close}: closes return in time and leave every task done ({@link RuntimeChurn});</li>
 *   <li>{@code no-unexpected-exceptions}: no operation ends with an exception it did not provoke.</li>
 * </ul>
 * The seed is printed first; {@code -Dweft.chaos.seed=N} replays the same random decisions
 * (interleavings are the scheduler's). Exit status 0 if every invariant held, 1 otherwise, 3 if
 * the harness itself hung.
 */
public final class Chaos {
    private Chaos() { }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
        ChaosConfig cfg = ChaosConfig.fromSystemProperties(Duration.ofSeconds(seconds));
        StringBuilder replay = new StringBuilder("./weft chaos " + seconds + " -Dweft.chaos.seed=" + cfg.seed());
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("weft.chaos.") && !k.equals("weft.chaos.seed"))
                .forEach(k -> replay.append(" -D").append(k).append('=').append(System.getProperty(k)));
        System.out.println("chaos seed " + cfg.seed() + " (replay: " + replay + ")");
        System.out.println("chaos run " + seconds + " s: " + cfg.workers() + " workers, close grace "
                + cfg.closeGrace().toMillis() + " ms, " + cfg.actors() + " actors, runtime churn " + (cfg.churn() ? "on" : "off")
                + ", operations " + cfg.ops().stream().map(Op::label).toList());
        System.out.flush();
        HangGuard guard = HangGuard.arm("chaos",
                Duration.ofSeconds(Long.getLong("weft.chaos.hangGuardSeconds", seconds + 120)), System.out);
        ChaosRun.Report report = ChaosRun.run(cfg, System.out);
        guard.disarm();
        report.print(System.out);
        System.out.flush();
        System.exit(report.ok() ? 0 : 1);
    }
}
