package dev.weft.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fault suite on the MultiThread runtime. */
class MultiThreadFaultConformanceTest extends FaultConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.multiThreadBuilder().name("faults").workers(2).build();
    }

    /**
     * Issue 18, fault 2: a sleep still ends on time while another task computes for a long time.
     * On the multi-thread runtime the worker that drove the timer could be taken by the
     * computation while the other parked for good (it had failed the timer lock): a 100 ms sleep
     * took the computation's 1.5 s. (Not reproduced on the code of 2026-12-03, in 12 rounds of
     * three variants: kept as the guard. The current-thread runtime has one thread, which a
     * computation holds by design.)
     */
    @Test
    void aSleepEndsOnTimeWhileAnotherTaskComputes() throws Exception {
        for (int round = 0; round < 8; round++) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Task<Long> sleeper = rt.spawn(() -> {
                long t0 = System.nanoTime();
                Weft.sleep(Duration.ofMillis(100));
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            });
            Thread.sleep(10);                   // the sleeper is parked, its timer armed
            Task<Void> compute = rt.spawn(() -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_200);
                while (System.nanoTime() < end && !stop.get()) {
                    Thread.onSpinWait();        // never yields: holds its worker
                }
            });
            long elapsed = rt.run(sleeper::join);
            stop.set(true);
            rt.run(compute::join);
            assertThat(elapsed).as("round %d: a 100 ms sleep beside a computation", round).isLessThan(600);
        }
    }

    /**
     * Issue 18, fault 3: a task spawned by a parent that then computes starts on the other, idle
     * worker. It went to the parent's LIFO slot, which no thief takes, and one task wakes nobody:
     * the child had not started after the parent's 2 s. Both kinds of parent, with the watchdog's
     * reports on (the default) and off.
     */
    @Test
    void aChildSpawnedByABusyParentStartsOnAnIdleWorker() throws Exception {
        for (Duration watchdog : new Duration[] {Duration.ofMillis(100), null}) {
            rt.close();
            rt = Runtimes.multiThreadBuilder().name("faults").workers(2).watchdog(watchdog).onBlocked(r -> { }).build();
            for (boolean pollParent : new boolean[] {false, true}) {
                java.util.concurrent.atomic.AtomicLong startedAfter = new java.util.concurrent.atomic.AtomicLong(-1);
                long computeMillis = 1_000;
                dev.weft.Action parentBody = () -> {
                    long t0 = System.nanoTime();
                    Weft.spawn(() -> startedAfter.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
                    long end = t0 + TimeUnit.MILLISECONDS.toNanos(computeMillis);
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();        // never yields: holds its worker
                    }
                };
                Task<?> parent = pollParent
                        ? rt.spawnFuture((dev.weft.Future<String>) cx -> {
                            try {
                                parentBody.run();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            return dev.weft.Poll.ready("done");
                        })
                        : rt.spawn(parentBody);
                rt.run(parent::join);
                long waited = startedAfter.get();
                assertThat(waited).as("watchdog %s, %s parent: the child started (ms after its spawn), while the parent computed %d ms",
                        watchdog, pollParent ? "poll" : "sequential", computeMillis).isBetween(0L, 300L);
            }
        }
    }

    /** Issue 18, fault 6: TaskScope.close() on an interrupted plain thread waits without a busy loop. */
    @Test
    void aScopeClosedByAnInterruptedThreadWaitsWithoutSpinning() throws Exception {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0;
        long t0;
        try (dev.weft.TaskScope scope = dev.weft.TaskScope.open(rt)) {
            scope.spawn(() -> {
                try {
                    Weft.sleep(Duration.ofMinutes(1));
                } finally {
                    Weft.shielded(() -> Weft.sleep(Duration.ofMillis(300)));
                }
            });
            Thread.sleep(20);
            cpu0 = threads.getCurrentThreadCpuTime();
            t0 = System.nanoTime();
            Thread.currentThread().interrupt();
        }
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - cpu0);
        assertThat(Thread.interrupted()).as("the interrupt is still there afterwards").isTrue();
        assertThat(wallMillis).as("close waited for the child's 300 ms cleanup").isGreaterThanOrEqualTo(250L);
        assertThat(cpuMillis).as("and slept meanwhile: CPU time of the closing thread").isLessThan(150L);
    }

    /** Issue 18, fault 4: a blocking call cancelled while it waits for a pool thread completes at once. */
    @Test
    void aQueuedBlockingCallThatIsCancelledCompletesAtOnceAndNeverRuns() throws Exception {
        rt.close();
        rt = Runtimes.multiThreadBuilder().name("faults").workers(2).blockingThreads(1).build();   // closed after the test
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean secondRan = new java.util.concurrent.atomic.AtomicBoolean();
        Task<Object> first = rt.spawnBlocking(() -> {
            release.await();
            return "first";
        });
        Task<Object> second = rt.spawnBlocking(() -> {
            secondRan.set(true);
            return "second";
        });
        Thread.sleep(20);
        second.cancel();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!second.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(second.isDone()).as("the queued call completed at once, while the first still blocks").isTrue();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(second::join))
                .isInstanceOf(dev.weft.CancelledException.class);
        release.countDown();
        assertThat(rt.run(first::join)).isEqualTo("first");
        Thread.sleep(50);
        assertThat(secondRan).as("its body never ran").isFalse();
    }
}
