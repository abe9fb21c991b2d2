package dev.weft.bench.chaos;

import dev.weft.Runtime;
import dev.weft.Weft;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the operations of one chaos run share: the main runtime, the ledger of tasks, the
 * bounded-wait registry, the fault tally, the contended locks and channels, the I/O fixtures, and
 * the invariants. One per run; every field is safe to use from any task (lock-free or immutable).
 */
final class World {
    final ChaosConfig cfg;
    final Runtime main;
    final Map<String, Invariant> invariants = new LinkedHashMap<>();
    final Invariant probe = add("probe");
    final Invariant once = add("tasks-complete-once");
    final Invariant outcomes = add("task-outcomes");
    final Invariant bounded = add("joins-bounded");
    final Invariant scopes = add("scope-failures");
    final Invariant timeoutCleanup = add("timeout-cleanup");
    final Invariant exclusion = add("mutual-exclusion");
    final Invariant locksReleased = add("locks-released");
    final Invariant messages = add("channel-messages");
    final Invariant buffers = add("buffers-returned");
    final Invariant bytes = add("io-bytes-intact");
    final Invariant faults = add("faults-injected-only");
    final Invariant runtimes = add("runtimes-close");
    final Invariant unexpected = add("no-unexpected-exceptions");

    final Joins joins;
    final Ledger ledger;
    final FaultTally tally;
    final Locks locks = new Locks(3, 2);
    final List<ChannelSlot> slots = List.of(new ChannelSlot("channel bounded-0", true),
            new ChannelSlot("channel bounded-1", true), new ChannelSlot("channel unbounded-2", false));
    /** Used only by {@link FaultOps#dropAfterResource}. */
    final ChannelSlot faultSlot = new ChannelSlot("channel fault-select", false);
    final IoFixtures io;
    private final AtomicLong ids = new AtomicLong(1_000);
    private volatile boolean running = true;

    World(ChaosConfig cfg, Runtime main, IoFixtures io) {
        this.cfg = cfg;
        this.main = main;
        this.io = io;
        this.joins = new Joins(cfg.closeGrace().toNanos() + Duration.ofSeconds(5).toNanos(), bounded);
        this.ledger = new Ledger(main, once, outcomes, joins);
        this.tally = new FaultTally(faults);
    }

    private Invariant add(String name) {
        Invariant i = new Invariant(name);
        invariants.put(name, i);
        return i;
    }

    /** A fresh id: for tokens, messages and injected exceptions (unique in the run). */
    long nextId() {
        return ids.incrementAndGet();
    }

    boolean running() {
        return running;
    }

    void stop() {
        running = false;
    }

    /** A value a body returns: a new object, so a join can check it got the very one. */
    record Token(long id) { }

    Token token() {
        return new Token(nextId());
    }

    // ------------------------------------------------------------------ random helpers

    /** A duration of 0 to {@code maxMicros} microseconds. */
    static Duration micros(SplittableRandom rnd, int maxMicros) {
        return Duration.ofNanos(rnd.nextLong(maxMicros * 1_000L + 1));
    }

    /** Sleeps 0 to {@code maxMicros} µs, or yields, or does nothing, at random. */
    static void pause(SplittableRandom rnd, int maxMicros) {
        switch (rnd.nextInt(3)) {
            case 0 -> Weft.sleep(micros(rnd, maxMicros));
            case 1 -> Weft.yieldNow();
            default -> { }
        }
    }
}
