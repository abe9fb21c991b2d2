package dev.weft.bench.chaos;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One checked property of a chaos run: how many times it was checked or exercised, how many
 * times it was violated, and the first few violations in words.
 *
 * <p>Thread-safe and lock-free (counters and a lock-free queue): it is called from Weft workers
 * and virtual threads, where no monitor may be taken (ARCHITECTURE.md, decision 12). The text of
 * a violation is built only when it happens.
 */
final class Invariant {
    private static final int KEPT = 8;

    private final String name;
    private final LongAdder checks = new LongAdder();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicInteger keptCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<Supplier<String>> kept = new ConcurrentLinkedQueue<>();

    Invariant(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Counts one check that held. */
    void pass() {
        checks.increment();
    }

    /** Counts {@code n} checks that held. */
    void pass(long n) {
        checks.add(n);
    }

    /** Counts one check; if {@code ok} is false, records a violation described by {@code what}. */
    void check(boolean ok, Supplier<String> what) {
        checks.increment();
        if (!ok) {
            violated(what.get());
        }
    }

    /** Counts one check that failed. */
    void fail(String what) {
        checks.increment();
        violated(what);
    }

    /**
     * Counts one check that failed with an exception. The exception is described (with its stack)
     * only when the report is printed, on the harness's thread: {@code Throwable.getStackTrace} is
     * synchronized, and this may run on a Weft worker.
     */
    void fail(String what, Throwable t) {
        checks.increment();
        violations.incrementAndGet();
        if (keptCount.getAndIncrement() < KEPT) {
            kept.add(() -> what + ": " + describe(t));
        }
    }

    private void violated(String what) {
        violations.incrementAndGet();
        if (keptCount.getAndIncrement() < KEPT) {
            kept.add(() -> what);
        }
    }

    /** An exception with its causes and first frames, for a violation report. */
    static String describe(Throwable t) {
        StringBuilder s = new StringBuilder();
        Throwable c = t;
        for (int depth = 0; c != null && depth < 4; depth++, c = c.getCause()) {
            s.append(depth == 0 ? "" : "\n      caused by: ").append(c);
            StackTraceElement[] st = c.getStackTrace();
            for (int i = 0; i < Math.min(10, st.length); i++) {
                s.append("\n        at ").append(st[i]);
            }
        }
        return s.toString();
    }

    long checks() {
        return checks.sum();
    }

    long violations() {
        return violations.get();
    }

    boolean ok() {
        return violations.get() == 0;
    }

    /** The first violations, in words (at most {@value #KEPT}); call from the harness's own thread. */
    Iterable<String> examples() {
        return kept.stream().map(Supplier::get).toList();
    }

    /** {@code chaos <name> <count> ok|FAILED}. */
    String line(String prefix) {
        return prefix + " " + name + " " + checks() + " " + (ok() ? "ok" : "FAILED");
    }
}
