package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.CancelledException;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The multi-thread, current-thread, JDK-default and Swing runtimes at once (issue 16, seed 001):
 * tasks spawn onto each other in every direction and await the results, cancel each other's
 * tasks, and the four close in every order with cross-runtime waits in flight, with no hang and
 * no task left unfinished.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FourRuntimesMixTest {

    /** Four runtimes; the current-thread one is driven by a thread of the test until {@link #close}. */
    private static final class Four implements AutoCloseable {
        final List<Runtime> all = new ArrayList<>();
        final AtomicBoolean stopDriving = new AtomicBoolean();
        final Thread driver;

        Four() throws InterruptedException {
            all.add(Runtimes.multiThreadBuilder().name("mix-multi").workers(2).build());
            Runtime current = Runtimes.currentThread("mix-current");
            all.add(current);
            all.add(Runtimes.jdkDefault("mix-jdk"));
            all.add(SwingRuntime.open("mix-swing"));
            CountDownLatch driving = new CountDownLatch(1);
            driver = Thread.ofPlatform().name("mix-current-driver").start(() -> {
                try {
                    current.run(() -> {
                        driving.countDown();
                        while (!stopDriving.get()) {
                            Weft.sleep(Duration.ofMillis(2));
                        }
                    });
                } catch (RuntimeException closedMeanwhile) {
                    // the runtime was closed under its driver: the run ends cancelled
                }
            });
            driving.await();
        }

        @Override
        public void close() throws InterruptedException {
            stopDriving.set(true);
            for (Runtime r : all) {
                r.close();
            }
            driver.join(10_000);
        }
    }

    @Test
    void everyRuntimeSpawnsOntoEveryOtherAndAwaitsTheResult() throws Exception {
        try (Four four = new Four()) {
            for (Runtime from : four.all) {
                for (Runtime to : four.all) {
                    Task<String> t = from.spawn(() -> {
                        String here = Runtime.current().name();
                        String there = to.spawn(() -> Runtime.current().name() + (isUi(to) == SwingRuntime.isUiThread() ? "" : "!"))
                                .join();
                        return here + "->" + there + "->" + Runtime.current().name();
                    });
                    assertThat(t.join()).isEqualTo(from.name() + "->" + to.name() + "->" + from.name());
                }
            }
        }
    }

    @Test
    void aTaskCancelsATaskOfAnyOtherRuntimeAndItsCleanupRuns() throws Exception {
        try (Four four = new Four()) {
            for (Runtime from : four.all) {
                for (Runtime to : four.all) {
                    AtomicBoolean cleanedUp = new AtomicBoolean();
                    CountDownLatch started = new CountDownLatch(1);
                    Task<Boolean> t = from.spawn(() -> {
                        Task<Void> victim = to.spawn(() -> {
                            try {
                                started.countDown();
                                Weft.sleep(Duration.ofSeconds(30));
                            } finally {
                                cleanedUp.set(true);
                            }
                        });
                        while (started.getCount() > 0) {
                            Weft.sleep(Duration.ofMillis(1));
                        }
                        victim.cancel();
                        try {
                            victim.join();
                            return false;
                        } catch (CancelledException expected) {
                            return true;
                        }
                    });
                    assertThat(t.join()).as("%s cancels a task of %s", from.name(), to.name()).isTrue();
                    assertThat(cleanedUp).as("the victim's finally on %s", to.name()).isTrue();
                }
            }
        }
    }

    @Test
    void theFourCloseInEveryOrderWithCrossRuntimeWaitsInFlight() throws Exception {
        int[][] orders = permutations(4);
        for (int[] order : orders) {
            Four four = new Four();
            List<Task<?>> waiting = new ArrayList<>();
            AtomicInteger finallies = new AtomicInteger();
            for (int i = 0; i < 4; i++) {
                Runtime from = four.all.get(i);
                Runtime to = four.all.get((i + 1) % 4);
                waiting.add(from.spawn(() -> {
                    try {
                        return to.spawn(() -> {
                            try {
                                Weft.sleep(Duration.ofSeconds(30));
                            } finally {
                                finallies.incrementAndGet();
                            }
                        }).join();
                    } finally {
                        finallies.incrementAndGet();
                    }
                }));
            }
            Thread.sleep(20);                          // the waits are in flight
            long t0 = System.nanoTime();
            four.stopDriving.set(true);
            StringBuilder closes = new StringBuilder();
            for (int index : order) {
                long c0 = System.nanoTime();
                four.all.get(index).close();
                closes.append(four.all.get(index).name()).append(' ')
                        .append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0)).append(" ms (finallies ")
                        .append(finallies.get()).append("); ");
            }
            four.driver.join(10_000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            for (Task<?> t : waiting) {
                assertThat(t.isDone()).as("order %s: every task finished", java.util.Arrays.toString(order)).isTrue();
            }
            assertThat(finallies.get()).as("order %s: every finally ran; closes: %s", java.util.Arrays.toString(order), closes).isEqualTo(8);
            assertThat(millis).as("order %s: closing took", java.util.Arrays.toString(order)).isLessThan(10_000);
        }
    }

    private static boolean isUi(Runtime r) {
        return r instanceof SwingRuntime;
    }

    private static int[][] permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out.toArray(new int[0][]);
    }

    private static void permute(int[] cur, boolean[] used, int at, List<int[]> out) {
        if (at == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (!used[i]) {
                used[i] = true;
                cur[at] = i;
                permute(cur, used, at + 1, out);
                used[i] = false;
            }
        }
    }
}
