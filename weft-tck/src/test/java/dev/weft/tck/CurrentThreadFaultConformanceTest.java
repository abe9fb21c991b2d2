package dev.weft.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The fault suite on the CurrentThread runtime. */
class CurrentThreadFaultConformanceTest extends FaultConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.currentThread("faults");
    }

    @Override
    protected boolean hasThreadsOfItsOwn() {
        return false;   // its tasks run on the thread that calls run/blockOn
    }

    /**
     * A sleep ends near its deadline while ten tasks keep yielding after 2 ms of work each. A task
     * that yields goes back into the queue of the round it ran in, and timers were checked once
     * per round of 256 runs: the sleeper waited for a whole round (about 500 ms here; 125 ms per
     * 0.6 ms sleep in the io_uring cancel storm). Timers are now checked every
     * 61 runs (CurrentThreadRuntime.DRIVER_POLL_INTERVAL).
     */
    @Test
    void aSleepEndsNearItsDeadlineWhileTasksKeepYielding() {
        AtomicBoolean stop = new AtomicBoolean();
        long elapsed = rt.run(() -> {
            List<Task<Void>> busy = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                busy.add(Weft.spawn(() -> {
                    while (!stop.get()) {
                        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                        Weft.yieldNow();
                    }
                }));
            }
            Weft.yieldNow();                                // the busy tasks are running
            long worst = 0;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                Weft.sleep(Duration.ofMillis(20));
                worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
            stop.set(true);
            busy.forEach(Task::join);
            return worst;
        });
        // Checked every 61 runs: at most ~61 x 2 ms after the deadline, plus the ten queued ahead.
        assertThat(elapsed).as("a 20 ms sleep beside ten busy tasks").isLessThan(300);
    }
}
