package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.sync.Harness.CountingWaker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Barrier: releases all parties, one leader per round, reusable, cancelled waits withdrawn. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BarrierTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aBarrierReleasesAllPartiesWithOneLeaderPerRoundAndIsReusable(Harness.Rt kind) {
        int parties = 5;
        int rounds = 50;
        try (Runtime rt = kind.open()) {
            int leaders = rt.run(() -> {
                Barrier barrier = new Barrier(parties);
                AtomicInteger arrivedThisRound = new AtomicInteger();
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int p = 0; p < parties; p++) {
                    boolean poll = p % 2 == 0;
                    if (poll) {
                        int[] r = {0};
                        int[] led = {0};
                        tasks.add(Weft.spawnFuture(Harness.pollLoop(() -> {
                            arrivedThisRound.incrementAndGet();
                            return barrier.awaitFuture();
                        }, leader -> {
                            led[0] += leader ? 1 : 0;
                            return ++r[0] == rounds ? led[0] : null;
                        })));
                    } else {
                        tasks.add(Weft.spawn(() -> {
                            int led = 0;
                            for (int r = 0; r < rounds; r++) {
                                arrivedThisRound.incrementAndGet();
                                led += barrier.await() ? 1 : 0;
                                assertThat(arrivedThisRound.get()).isGreaterThanOrEqualTo((r + 1) * parties);
                            }
                            return led;
                        }));
                    }
                }
                int total = 0;
                for (Task<Integer> t : tasks) {
                    total += t.join();
                }
                return total;
            });
            assertThat(leaders).as("exactly one leader per round").isEqualTo(rounds);
        }
    }

    @Test
    void aCancelledBarrierWaitIsWithdrawn() {
        Barrier barrier = new Barrier(2);
        CountingWaker w = new CountingWaker();
        Future<Boolean> gaveUp = barrier.awaitFuture();
        assertThat(gaveUp.poll(w.cx).isPending()).isTrue();
        assertThat(barrier.waiting()).isEqualTo(1);
        gaveUp.drop();
        assertThat(barrier.waiting()).isZero();
        Future<Boolean> a = barrier.awaitFuture();
        assertThat(a.poll(w.cx).isPending()).as("still needs two").isTrue();
        assertThat(barrier.awaitFuture().poll(w.cx).value()).isTrue();
        assertThat(a.poll(w.cx).value()).isFalse();
    }
}
