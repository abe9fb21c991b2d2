package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancelling a blocking call interrupts its pool thread only while that call runs: a cancel that
 * races the end of the call must never leave the interrupt for the pool thread's next call
 * (issue 12; ThreadPoolExecutor guards against the same race with its worker lock).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockingTaskInterruptTest {

    @Test
    void aCancelThatRacesTheEndOfACallNeverReachesThePoolThreadsNextCall() {
        int rounds = 20_000;
        int nextStartedInterrupted = 0;
        try (var rt = Runtimes.multiThreadBuilder().name("blocking-interrupt").workers(1).blockingThreads(1).build()) {
            for (int i = 0; i < rounds; i++) {
                int spin = ThreadLocalRandom.current().nextInt(200);
                Task<Integer> call = rt.spawnBlocking(() -> {
                    for (int s = 0; s < spin; s++) {
                        Thread.onSpinWait();
                    }
                    return 1;
                });
                for (int s = 0; s < spin; s++) {
                    Thread.onSpinWait();
                }
                call.cancel();
                // One pool thread: the next call runs on the thread the cancel may have interrupted.
                Task<Boolean> next = rt.spawnBlocking(() -> Thread.currentThread().isInterrupted());
                if (next.join()) {
                    nextStartedInterrupted++;
                }
            }
        }
        assertThat(nextStartedInterrupted).as("calls that started with an interrupt meant for the previous call")
                .isZero();
    }
}
