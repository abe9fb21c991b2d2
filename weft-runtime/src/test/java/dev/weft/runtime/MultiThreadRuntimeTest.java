package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.Weft;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiThreadRuntimeTest {

    private static MultiThreadRuntime twoWorkers(String name) {
        return Runtimes.multiThreadBuilder().name(name).workers(2).build();
    }

    @Test
    void workersAreNamedAndBothRunTasks() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (var rt = twoWorkers("named")) {
            rt.run(() -> {
                List<Task<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    tasks.add(Weft.spawnFuture(cx -> {
                        seen.add(Thread.currentThread().getName());
                        long end = System.nanoTime() + 200_000;     // a little work, so both workers get some
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                        return Poll.ready(null);
                    }));
                }
                tasks.forEach(Task::join);
            });
        }
        assertThat(seen).containsExactlyInAnyOrder("named-worker-0", "named-worker-1");
    }

    /**
     * A burst of wake-ups larger than a worker's local queue overflows into the injector. Those
     * tasks were woken first, so they must not wait behind everything woken after them (with the
     * injector checked once per 61 runs they ran last: a 90 ms tail on the 500-connection echo).
     */
    @Test
    void tasksThatOverflowTheLocalQueueStillRunInAboutTheOrderTheyWereWoken() {
        int capacity = 8;
        int n = 300;
        List<Integer> order = new CopyOnWriteArrayList<>();
        try (var rt = Runtimes.multiThreadBuilder().name("overflow").workers(1).queueCapacity(capacity).build()) {
            rt.blockOn(new Future<List<Void>>() {
                Future<List<Void>> all;

                @Override
                public Poll<List<Void>> poll(dev.weft.Context cx) {
                    if (all == null) {      // on the worker: these spawns are local wake-ups
                        List<Task<Void>> tasks = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            int id = i;
                            tasks.add(Weft.spawnFuture(c -> {
                                order.add(id);
                                return Poll.ready(null);
                            }));
                        }
                        all = Future.join(tasks);
                    }
                    return all.poll(cx);
                }
            });
        }
        assertThat(order).hasSize(n);
        // The last one woken runs first (the LIFO slot, by design); every other task runs within
        // about one local queue's length of its place in the wake order.
        assertThat(order.get(0)).isEqualTo(n - 1);
        for (int pos = 1; pos < n; pos++) {
            int id = order.get(pos);
            assertThat(Math.abs(id - (pos - 1)))
                    .as("task %d ran at position %d (run order %s)", id, pos, order)
                    .isLessThanOrEqualTo(2 * capacity);
        }
    }

    @Test
    void idleWorkersParkInsteadOfSpinning() throws Exception {
        try (var rt = twoWorkers("idle")) {
            rt.run(() -> Weft.sleep(Duration.ofMillis(10)));
            var mx = ManagementFactory.getThreadMXBean();
            long before = workerCpu(mx);
            Thread.sleep(500);
            long used = workerCpu(mx) - before;
            assertThat(used).as("CPU of two idle workers over 500 ms").isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static long workerCpu(java.lang.management.ThreadMXBean mx) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("idle-worker-")) {
                sum += mx.getThreadCpuTime(t.threadId());
            }
        }
        return sum;
    }

    @Test
    void aMillionSpawnsAndWakesAcrossWorkersRunEveryTaskExactlyOnce() throws Exception {
        int tasks = 1_000_000;
        byte[] ran = new byte[tasks];
        AtomicInteger finished = new AtomicInteger();
        try (var rt = twoWorkers("stress")) {
            // Half spawned from inside tasks (local queues, stealing), half from outside (injector).
            Thread outside = Thread.ofPlatform().start(() -> {
                for (int i = tasks / 2; i < tasks; i++) {
                    int id = i;
                    rt.spawnFuture(cx -> {
                        ran[id]++;
                        finished.incrementAndGet();
                        return Poll.ready(null);
                    });
                }
            });
            rt.run(() -> {
                for (int i = 0; i < tasks / 2; i++) {
                    int id = i;
                    Weft.spawnFuture(new Future<Void>() {
                        private boolean yielded;

                        @Override
                        public Poll<Void> poll(dev.weft.Context cx) {
                            if (!yielded) {                  // one wake each: a million wakes in all
                                yielded = true;
                                cx.waker().wake();
                                return Poll.pending();
                            }
                            ran[id]++;
                            finished.incrementAndGet();
                            return Poll.ready(null);
                        }
                    });
                }
                outside.join();
                while (finished.get() < tasks) {
                    Weft.sleep(Duration.ofMillis(1));
                }
            });
        }
        for (int i = 0; i < tasks; i++) {
            if (ran[i] != 1) {
                throw new AssertionError("task " + i + " ran " + ran[i] + " times");
            }
        }
    }

    @Test
    void sequentialTasksOnBothWorkersEachRunOnce() {
        int tasks = 100_000;
        AtomicIntegerArrayCounter ran = new AtomicIntegerArrayCounter(tasks);
        try (var rt = twoWorkers("seq-stress")) {
            rt.run(() -> {
                List<Task<Void>> all = new ArrayList<>(tasks);
                for (int i = 0; i < tasks; i++) {
                    int id = i;
                    all.add(Weft.spawn(() -> {
                        Weft.yieldNow();
                        ran.hit(id);
                    }));
                }
                all.forEach(Task::join);
            });
        }
        ran.assertEachOnce();
    }

    static final class AtomicIntegerArrayCounter {
        private final java.util.concurrent.atomic.AtomicIntegerArray a;

        AtomicIntegerArrayCounter(int n) {
            a = new java.util.concurrent.atomic.AtomicIntegerArray(n);
        }

        void hit(int i) {
            a.incrementAndGet(i);
        }

        void assertEachOnce() {
            for (int i = 0; i < a.length(); i++) {
                if (a.get(i) != 1) {
                    throw new AssertionError("task " + i + " ran " + a.get(i) + " times");
                }
            }
        }
    }

    @Test
    void aWorkerBlockedForASecondIsReportedOnceWhileOtherWorkersKeepRunning() throws Exception {
        List<BlockedWorkerReport> reports = new CopyOnWriteArrayList<>();
        AtomicLong progress = new AtomicLong();
        try (var rt = Runtimes.multiThreadBuilder().name("dog").workers(2)
                .watchdog(Duration.ofMillis(100)).onBlocked(reports::add).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            Task<Void> ticker = rt.spawn(() -> {
                while (!stop.get()) {
                    Weft.sleep(Duration.ofMillis(2));
                    progress.incrementAndGet();
                }
            });
            Thread.sleep(50);
            long before = progress.get();
            Task<Object> blocker = rt.spawnFuture("blocker", cx -> {
                try {
                    Thread.sleep(1000);                         // a poll that blocks its worker
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Poll.ready(null);
            });
            rt.blockOn(blocker);
            long during = progress.get() - before;
            stop.set(true);
            ticker.join();
            assertThat(during).as("ticks of the other task while one worker was blocked").isGreaterThan(100);
        }
        assertThat(reports).hasSize(1);
        BlockedWorkerReport r = reports.get(0);
        assertThat(r.taskName()).contains("blocker");
        assertThat(r.worker()).startsWith("dog-worker-");
        assertThat(r.blockedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(r.stack()).anyMatch(e -> e.getMethodName().equals("sleep"));
        assertThat(r.cause()).as("a poll that sleeps is in a blocking call").isEqualTo(BlockedWorkerReport.Cause.BLOCKING_CALL);
        assertThat(r.blockingFrame()).hasValueSatisfying(f -> assertThat(f.getMethodName()).isEqualTo("sleep"));
        assertThat(r.toString()).contains("task 'blocker'").contains("Cause: BLOCKING_CALL").contains("spawnBlocking");
    }

    @Test
    void aTaskThatAlwaysFindsItsResourceReadyStillLetsOthersRun() {
        try (var rt = Runtimes.multiThreadBuilder().name("budget").workers(1).budget(32).watchdog(null).build()) {
            AtomicBoolean otherRan = new AtomicBoolean();
            AtomicLong spins = new AtomicLong();
            rt.run(() -> {
                Task<Void> greedy = Weft.spawn(() -> {
                    while (!otherRan.get()) {
                        Weft.sleep(Duration.ZERO);              // always ready at once
                        spins.incrementAndGet();
                    }
                });
                while (spins.get() < 1_000) {
                    Weft.yieldNow();                            // runs only because greedy yields
                }
                Task<Void> other = Weft.spawnFuture(cx -> {
                    otherRan.set(true);
                    return Poll.ready(null);
                });
                other.join();
                greedy.join();
            });
            assertThat(otherRan).isTrue();
            assertThat(spins.get()).isGreaterThan(0);
        }
    }

    @Test
    void blockingCallsRunOffTheWorkersWithinTheCap() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("blk").workers(2).blockingThreads(2).build()) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<Integer> results = rt.run(() -> {
                List<Task<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    int id = i;
                    calls.add(Weft.spawnBlocking(() -> {
                        int now = running.incrementAndGet();
                        maxRunning.accumulateAndGet(now, Math::max);
                        threads.add(Thread.currentThread().getName());
                        Thread.sleep(30);                        // a real blocking call
                        running.decrementAndGet();
                        return id;
                    }));
                }
                List<Integer> out = new ArrayList<>();
                for (Task<Integer> t : calls) {
                    out.add(t.join());
                }
                return out;
            });
            assertThat(results).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(maxRunning.get()).isEqualTo(2);          // the cap; the rest queued
            assertThat(threads).allMatch(n -> n.startsWith("blk-blocking-")).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void cancellingABlockingCallInterruptsIt() {
        try (var rt = twoWorkers("blk-cancel")) {
            CountDownLatch started = new CountDownLatch(1);
            Task<Object> call = rt.spawnBlocking(() -> {
                started.countDown();
                Thread.sleep(60_000);
                return "late";
            });
            rt.run(() -> {
                started.await();
                call.cancel();
                assertThatThrownBy(call::join).isInstanceOf(CancelledException.class);
            });
            assertThat(call.kind()).isEqualTo(Task.Kind.BLOCKING);
        }
    }

    @Test
    void closeReturnsPromptlyWithWorkInFlight() {
        var rt = twoWorkers("closing");
        AtomicInteger started = new AtomicInteger();
        AtomicInteger cleaned = new AtomicInteger();
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tasks.add(rt.spawn(() -> {
                started.incrementAndGet();
                try {
                    Weft.sleep(Duration.ofHours(1));
                } finally {
                    cleaned.incrementAndGet();
                }
            }));
        }
        long start = System.nanoTime();
        rt.close();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(6));
        // A task cancelled before its body began never runs it; every body that began ran its finally.
        assertThat(cleaned.get()).isEqualTo(started.get());
        assertThat(tasks).allMatch(Task::isDone).allMatch(Task::isCancelled);
        assertThatThrownBy(tasks.get(999)::join).isInstanceOf(CancelledException.class);
        assertThatThrownBy(() -> rt.spawnFuture(Future.ready(1))).hasMessageContaining("closed");
    }
}
