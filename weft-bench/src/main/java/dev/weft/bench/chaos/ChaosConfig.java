package dev.weft.bench.chaos;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The settings of one chaos run. {@link #fromSystemProperties} reads them from
 * {@code -Dweft.chaos.*} properties, so {@code ./weft chaos 60 -Dweft.chaos.seed=N} reproduces a
 * run's random choices (as far as scheduling allows: which task wins a race is up to the
 * scheduler, so the same seed gives the same <em>decisions</em>, not the same interleaving).
 *
 * @param duration      how long the actors run before the harness quiesces and checks
 * @param seed          the seed every random choice derives from
 * @param workers       workers of the main multi-thread runtime
 * @param closeGrace    close grace of the main runtime (the churned runtimes use up to this)
 * @param actors        sequential actor tasks, each running random operations back to back
 * @param probeBound    how long a probe task may take to complete before {@code probe} fails
 * @param ops           the operations the actors choose from
 * @param churn         whether a platform thread opens and closes extra runtimes with work in flight
 */
record ChaosConfig(Duration duration, long seed, int workers, Duration closeGrace, int actors, Duration probeBound,
                   Set<Op> ops, boolean churn) {

    static ChaosConfig fromSystemProperties(Duration duration) {
        long seed = Long.getLong("weft.chaos.seed", System.nanoTime() ^ System.currentTimeMillis() * 0x9E3779B97F4A7C15L);
        Set<Op> ops = EnumSet.allOf(Op.class);
        String skip = System.getProperty("weft.chaos.skip", "");
        if (!skip.isBlank()) {
            Arrays.stream(skip.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(name -> ops.remove(Op.byName(name)));
        }
        String only = System.getProperty("weft.chaos.only", "");
        if (!only.isBlank()) {
            ops.clear();
            Arrays.stream(only.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(name -> ops.add(Op.byName(name)));
        }
        return new ChaosConfig(duration, seed,
                Integer.getInteger("weft.chaos.workers", 2),
                Duration.ofMillis(Long.getLong("weft.chaos.closeGraceMillis", 200)),
                Integer.getInteger("weft.chaos.actors", 16),
                Duration.ofMillis(Long.getLong("weft.chaos.probeBoundMillis", 2000)),
                ops,
                Boolean.parseBoolean(System.getProperty("weft.chaos.churn", "true")));
    }
}
