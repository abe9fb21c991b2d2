package dev.weft.bench.chaos;

import dev.weft.io.AsyncFile;
import dev.weft.runtime.MultiThreadRuntime;
import dev.weft.runtime.Runtimes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One chaos run: sets up the main runtime and the fixtures, lets the actors, the runtime churn
 * and the probe run for the configured time, then quiesces (actors stop, the churn stops, the
 * echo server stops, every task must finish on its own), checks what must hold once nothing
 * runs (locks free, channels balanced, no buffer out), closes the main runtime and the pool, and
 * settles the fault accounting. Every wait of this thread is bounded, so a hang is reported, not
 * suffered. See {@link Chaos} for the invariants.
 */
final class ChaosRun {
    /** The outcome: one line per invariant, and the details of the violations. */
    record Report(long seed, List<Invariant> invariants, List<String> info, List<String> diagnosis) {
        boolean ok() {
            return invariants.stream().allMatch(Invariant::ok);
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (Invariant i : invariants) {
                lines.add(i.line("chaos"));
            }
            return lines;
        }

        void print(PrintStream out) {
            for (Invariant i : invariants) {
                for (String v : i.examples()) {
                    out.println("chaos violation " + i.name() + ": " + v);
                }
            }
            diagnosis.forEach(out::println);
            info.forEach(out::println);
            lines().forEach(out::println);
            long failed = invariants.stream().filter(i -> !i.ok()).count();
            out.println(ok() ? "chaos result ok (seed " + seed + ")"
                    : "chaos result FAILED: " + failed + " invariant(s) violated (seed " + seed + ")");
        }
    }

    private ChaosRun() { }

    static Report run(ChaosConfig cfg, PrintStream out) throws Exception {
        // Injected faults are expected by the thousand: keep them out of the log (the tally
        // reports any that was not injected). Strong references keep the JUL loggers configured.
        Logger faultLog = Logger.getLogger("dev.weft.faults");
        Level faultLevel = faultLog.getLevel();
        faultLog.setLevel(Level.OFF);
        try {
            return runQuietly(cfg, out);
        } finally {
            faultLog.setLevel(faultLevel);
        }
    }

    private static Report runQuietly(ChaosConfig cfg, PrintStream out) throws Exception {
        long setupStart = System.nanoTime();
        List<String> info = new ArrayList<>();
        List<String> diagnosis = new ArrayList<>();
        LongAdder watchdogReports = new LongAdder();
        IoFixtures io = new IoFixtures();
        MultiThreadRuntime main = Runtimes.multiThreadBuilder().name("chaos").workers(cfg.workers())
                .closeGrace(cfg.closeGrace()).watchdog(Duration.ofMillis(500))
                .onBlocked(report -> watchdogReports.increment()).build();
        World w = new World(cfg, main, io);
        long bound = w.joins.boundNanos();
        Actor actor = new Actor(cfg.ops());
        Probe probe = new Probe(w);
        RuntimeChurn churn = new RuntimeChurn(w, new SplittableRandom(cfg.seed() ^ 0xC4A05L).split());
        long start = System.nanoTime();
        try {
            main.run(() -> {
                io.file = AsyncFile.open(io.path);
                if (cfg.ops().contains(Op.ECHO)) {
                    io.echo = EchoPeer.start(w);   // (the first TCP use attaches the NIO driver to the runtime)
                }
            });
            Thread probeThread = Thread.ofPlatform().name("chaos-probe").daemon(true).start(probe);
            Thread churnThread = cfg.churn() ? Thread.ofPlatform().name("chaos-churn").daemon(true).start(churn) : null;
            List<Tracked> actors = new ArrayList<>();
            SplittableRandom root = new SplittableRandom(cfg.seed());
            for (int i = 0; i < cfg.actors(); i++) {
                actors.add(w.ledger.spawn(main, "actor-" + i, actor.body(w, root.split())));
            }

            long end = start + cfg.duration().toNanos();
            long nextProgress = start + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                if (System.nanoTime() >= nextProgress && System.nanoTime() < end) {
                    out.printf("chaos +%ds: %d tasks spawned, %d completed, %d churned runtimes, %d probes (max %d ms), "
                                    + "%d violations so far%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                            w.ledger.spawned(), w.ledger.completed(), churn.rounds(), probe.probes(), probe.maxMillis(),
                            w.invariants.values().stream().mapToLong(Invariant::violations).sum());
                    out.flush();
                    nextProgress += TimeUnit.SECONDS.toNanos(10);
                }
            }

            // ---------------------------------------------------------------- quiesce
            long stopAt = System.nanoTime();
            w.stop();
            Duration quiesce = Duration.ofNanos(bound);
            long quiesceDeadline = System.nanoTime() + bound;
            for (Tracked a : actors) {
                Duration left = Duration.ofNanos(Math.max(0, quiesceDeadline - System.nanoTime()));
                if (!TaskOps.awaitDoneFromPlatform(a.task(), left)) {
                    w.bounded.fail(a + " did not stop within " + quiesce.toMillis() + " ms after the run ended");
                }
            }
            if (churnThread != null) {
                churnThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(quiesceDeadline - System.nanoTime())));
                if (churnThread.isAlive()) {
                    w.runtimes.fail("the runtime churn did not stop within " + quiesce.toMillis() + " ms");
                }
            }
            if (io.echo != null) {
                TaskOps.awaitDoneFromPlatform(io.echo.stop().task(), Duration.ofSeconds(1));
            }
            probe.stop();
            probeThread.join(cfg.probeBound().toMillis() + 1_000);
            long deadline = System.nanoTime() + bound;
            while (w.ledger.outstanding() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (w.ledger.outstanding() > 0) {
                w.once.fail(w.ledger.outstanding() + " tasks were still running " + quiesce.toMillis()
                        + " ms after the actors stopped (before the runtime closed): " + w.ledger.stragglers(5));
            }
            long quiescedAt = System.nanoTime();
            checkQuiescent(w);

            long closeBound = cfg.closeGrace().toNanos() + TimeUnit.SECONDS.toNanos(5);
            long closeToken = w.joins.begin("close() of the main runtime");
            long closeStart = System.nanoTime();
            Thread closer = Thread.ofPlatform().name("chaos-close").daemon(true).start(main::close);
            closer.join(TimeUnit.NANOSECONDS.toMillis(closeBound) + 2_000);
            w.joins.end(closeToken);
            long closeTook = System.nanoTime() - closeStart;
            if (closer.isAlive()) {
                w.runtimes.fail("close() of the main runtime has not returned after " + TimeUnit.NANOSECONDS.toMillis(closeTook)
                        + " ms; the threads at that moment are printed below");
                diagnosis.add("threads while close() of the main runtime hangs:\n" + HangGuard.dumpToString());
            } else {
                w.runtimes.check(closeTook <= closeBound, () -> "close() of the main runtime took "
                        + TimeUnit.NANOSECONDS.toMillis(closeTook) + " ms");
            }
            diagnosis.addAll(probe.dumps());
            long closedAt = System.nanoTime();
            w.ledger.finalCheck();

            try {
                io.pool.close();
            } catch (IllegalStateException inUse) {
                w.buffers.fail("the pool could not close (a buffer is in an I/O call on another thread): " + inUse.getMessage());
            }
            for (int i = 0; i < 2; i++) {
                System.gc();
                Thread.sleep(150);         // the leak detector reports unreachable buffers from its own thread
            }
            w.buffers.pass(io.taken.sum());
            long leaks = io.leaks.sum();
            w.buffers.check(leaks == 0, () -> leaks + " buffers leaked: " + String.join("\n    ", io.leakReports));
            w.joins.scan();
            int waiting = w.joins.inFlight();
            w.bounded.check(waiting == 0, () -> waiting + " waits never returned");
            w.tally.settle(5_000);
            w.tally.finalCheck();
            long doneAt = System.nanoTime();

            info.add("chaos ops " + actor.counts());
            info.add("chaos info " + w.ledger.spawned() + " tasks, " + churn.rounds() + " runtimes churned, " + probe.probes()
                    + " probes (slowest " + probe.maxMillis() + " ms), " + w.tally.summary() + ", " + watchdogReports.sum()
                    + " watchdog reports, " + io.pool.overflowAllocations() + " pool overflows");
            info.add("chaos timing: setup " + ms(start - setupStart) + " ms, quiesce " + ms(quiescedAt - stopAt) + " ms, close "
                    + ms(closedAt - quiescedAt) + " ms, final checks " + ms(doneAt - closedAt) + " ms");
        } finally {
            w.stop();
            probe.stop();
            if (!main.isClosed()) {
                main.close();              // (a close that hangs was started, and reported, above)
            }
            try {
                w.tally.close();
            } finally {
                io.close();
            }
        }
        return new Report(cfg.seed(), List.copyOf(w.invariants.values()), info, diagnosis);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** What must hold once no task runs: every lock free, every channel balanced, no buffer out. */
    private static void checkQuiescent(World w) {
        List<Locks.Lock> mutexes = new ArrayList<>(List.of(w.locks.mutexes));
        mutexes.add(w.locks.faultMutex);
        for (Locks.Lock l : mutexes) {
            boolean free = l.mutex().tryLock().map(g -> {
                g.close();
                return true;
            }).orElse(false);
            w.locksReleased.check(free && l.holders().get() == 0, () -> l.name() + " is still locked after every task ended"
                    + " (the harness counts " + l.holders().get() + " holders): held by nobody");
        }
        for (Locks.Sem s : w.locks.semaphores) {
            int available = s.semaphore().availablePermits();
            w.locksReleased.check(available == Locks.SEMAPHORE_PERMITS && s.held().get() == 0, () -> s.name() + " has "
                    + available + " of " + Locks.SEMAPHORE_PERMITS + " permits after every task ended (the harness counts "
                    + s.held().get() + " held)");
        }
        List<ChannelSlot> slots = new ArrayList<>(w.slots);
        slots.add(w.faultSlot);
        for (ChannelSlot slot : slots) {
            slot.drainAll();
            w.messages.pass(slot.sent.count());
            w.messages.check(slot.balanced(), slot::account);
        }
        int out = w.io.pool.outstanding();
        w.buffers.check(out == 0, () -> out + " buffers of the pool are still out after every task ended");
    }
}
