package dev.weft.bench.chaos;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;

/**
 * The body of an actor: a sequential task of the main runtime that runs randomly chosen
 * {@link Op}s back to back until the run stops. Its random is seeded from the run's seed and the
 * actor's index, and each operation gets a split of it, so the sequence of decisions is the same
 * for the same seed.
 *
 * <p>{@code no-unexpected-exceptions}: an operation handles every outcome it provokes (an
 * injected failure, a cancellation, a timeout, a closed channel); any other exception escaping it
 * is a violation, reported with its stack, since it is either a harness mistake or Weft breaking
 * a documented contract.
 */
final class Actor {
    private final Op[] table;
    private final Map<Op, LongAdder> counts = new EnumMap<>(Op.class);

    Actor(Set<Op> ops) {
        int total = ops.stream().mapToInt(Op::weight).sum();
        table = new Op[total];
        int i = 0;
        for (Op op : ops) {
            for (int k = 0; k < op.weight(); k++) {
                table[i++] = op;
            }
            counts.put(op, new LongAdder());
        }
    }

    /**
     * The body of an actor whose random is {@code rnd} (split from the run's root random, one per
     * actor in order, so each actor's sequence is its own and fixed by the seed).
     */
    Callable<Void> body(World w, SplittableRandom rnd) {
        return () -> {
            while (w.running()) {
                Op op = table[rnd.nextInt(table.length)];
                counts.get(op).increment();
                try {
                    op.run(w, rnd.split());
                    w.unexpected.pass();
                } catch (Throwable t) {
                    w.unexpected.fail(op.label(), t);
                }
            }
            return null;
        };
    }

    /** How many times each operation ran. */
    String counts() {
        StringBuilder s = new StringBuilder();
        counts.forEach((op, n) -> s.append(s.isEmpty() ? "" : " ").append(op.label()).append('=').append(n.sum()));
        return s.toString();
    }
}
