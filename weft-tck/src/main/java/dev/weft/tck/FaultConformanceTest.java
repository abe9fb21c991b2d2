package dev.weft.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Stream;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.Waker;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite (issue 12), run on every runtime: what a runtime must survive and what it must
 * never lose. Each runtime's subclass supplies {@link #newRuntime()}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class FaultConformanceTest extends RuntimeSuite {
    /**
     * Whether the runtime runs its tasks on threads of its own (true by default); a runtime that
     * runs them on the thread that drives it ({@code run}/{@code blockOn}, like the current-thread
     * runtime) returns false, and the cases that need another thread are skipped with the reason.
     */
    protected boolean hasThreadsOfItsOwn() {
        return true;
    }

    private void setGrace(Duration grace) {
        ((dev.weft.spi.AbstractRuntime) rt).setCloseGrace(grace);
    }

    // ------------------------------------------------------------------ waiting is not owning

    @Test
    void aTaskCancelledWhileJoiningAnotherLeavesTheOtherRunning() {
        String result = rt.run(() -> {
            CountDownLatch release = new CountDownLatch(1);
            Task<String> shared = Weft.spawn(() -> {
                while (release.getCount() > 0) {
                    Weft.sleep(Duration.ofMillis(1));
                }
                return "done";
            });
            Task<String> waiter = Weft.spawn(shared::join);
            Weft.sleep(Duration.ofMillis(20));
            waiter.cancel();
            assertThatThrownBy(waiter::join).isInstanceOf(CancelledException.class);
            assertThat(shared.isCancelled()).as("the joined task was not asked to stop").isFalse();
            release.countDown();
            return shared.join();
        });
        assertThat(result).isEqualTo("done");
    }

    @Test
    void aTaskThatLosesASelectRunsOn() {
        String result = rt.run(() -> {
            Task<String> slow = Weft.spawn(() -> {
                Weft.sleep(Duration.ofMillis(60));
                return "slow finished";
            });
            Either<String, Void> first = Weft.select(slow, Weft.sleepFuture(Duration.ofMillis(5)));
            assertThat(first).isInstanceOf(Either.Second.class);
            assertThat(slow.isCancelled()).isFalse();
            return slow.join();
        });
        assertThat(result).isEqualTo("slow finished");
    }

    @Test
    void droppingAWeftAsyncFutureCancelsTheTaskItStarted() {
        boolean cancelled = rt.run(() -> {
            CountDownLatch started = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean finallyRan = new java.util.concurrent.atomic.AtomicBoolean();
            Future<String> owned = Weft.async(() -> {
                started.countDown();
                try {
                    Weft.sleep(Duration.ofSeconds(30));
                    return "never";
                } finally {
                    finallyRan.set(true);
                }
            });
            Either<String, Void> r = Weft.select(owned, Weft.sleepFuture(Duration.ofMillis(50)));
            assertThat(r).isInstanceOf(Either.Second.class);
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            return finallyRanEventually(finallyRan);
        });
        assertThat(cancelled).isTrue();
    }

    // ------------------------------------------------------------------ code that throws out of the loop

    @Test
    void aWakerThatThrowsWhenItsTimerFiresIsReportedAndTheRuntimeRunsOn() throws Exception {
        try (FaultRecorder faults = FaultRecorder.start()) {
            rt.blockOn(cx -> {          // a poll task asks the current runtime for a timer
                Runtime.current().scheduleWake(System.nanoTime() + 1_000_000, () -> {
                    throw new IllegalStateException("broken waker");
                });
                return Poll.ready(null);
            });
            assertThat(rt.run(() -> {
                Weft.sleep(Duration.ofMillis(5));   // the broken timer fires meanwhile; timers still work
                return 2;
            })).isEqualTo(2);
            assertThat(faults.awaitMessage("broken waker")).as("the fault was reported").isNotNull();
            assertThat(rt.blockOn(Future.ready(1))).as("new poll work still runs").isEqualTo(1);
            assertThat(rt.run(() -> {
                Weft.sleep(Duration.ofMillis(5));
                return 3;
            })).isEqualTo(3);
        }
    }

    @Test
    void aWaiterWhoseWakerThrowsDoesNotKeepATasksOtherWaitersWaiting() throws Exception {
        try (FaultRecorder faults = FaultRecorder.start()) {
            CountDownLatch go = new CountDownLatch(1);
            Task<String> task = rt.run(() -> Weft.spawn(() -> {
                while (go.getCount() > 0) {
                    Weft.sleep(Duration.ofMillis(1));
                }
                return "v";
            }));
            Waker broken = () -> {
                throw new IllegalStateException("broken joiner");
            };
            assertThat(task.poll(new Context(broken)).isPending()).isTrue();    // registers the broken waker
            Task<String> joiner = rt.run(() -> Weft.spawn(task::join));
            go.countDown();
            assertThat(rt.run(joiner::join)).isEqualTo("v");
            assertThat(faults.awaitMessage("broken joiner")).isNotNull();
        }
    }

    @Test
    void aCancelledPollTaskWhoseDropThrowsStillEndsCancelled() throws Exception {
        try (FaultRecorder faults = FaultRecorder.start()) {
            Future<Void> brokenCleanup = new Future<>() {
                @Override
                public Poll<Void> poll(Context cx) {
                    return Poll.pending();
                }

                @Override
                public void drop() {
                    throw new IllegalStateException("broken drop");
                }
            };
            Task<Void> t = rt.run(() -> {
                Task<Void> spawned = Weft.spawnFuture(brokenCleanup);
                Weft.sleep(Duration.ofMillis(5));
                spawned.cancel();
                assertThatThrownBy(spawned::join).isInstanceOf(CancelledException.class);
                return spawned;
            });
            assertThat(t.isDone()).isTrue();
            assertThat(faults.awaitMessage("broken drop")).isNotNull();
            assertThat(rt.blockOn(Future.ready(3))).isEqualTo(3);
        }
    }

    @Test
    void aCancelledSequentialTaskWhoseAwaitedFutureDropThrowsStillEndsCancelled() throws Exception {
        try (FaultRecorder faults = FaultRecorder.start()) {
            Future<Void> brokenCleanup = new Future<>() {
                @Override
                public Poll<Void> poll(Context cx) {
                    return Poll.pending();
                }

                @Override
                public void drop() {
                    throw new IllegalStateException("broken drop in await");
                }
            };
            rt.run(() -> {
                Task<Void> t = Weft.spawn(() -> Weft.await(brokenCleanup));
                Weft.sleep(Duration.ofMillis(5));
                t.cancel();
                assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
            });
            assertThat(faults.awaitMessage("broken drop in await")).isNotNull();
        }
    }

    @Test
    void aStreamItemThatThrowsFailsOnlyItsConsumer() {
        Stream<Integer> brokenAtThree = Stream.of(1, 2, 3, 4).map(i -> {
            if (i == 3) {
                throw new IllegalArgumentException("bad item");
            }
            return i;
        });
        assertThatThrownBy(() -> rt.run(() -> Weft.spawn(() -> {
            int sum = 0;
            for (int x : Weft.iterate(brokenAtThree)) {
                sum += x;
            }
            return sum;
        }).join())).isInstanceOf(TaskFailedException.class).hasRootCauseMessage("bad item");
        assertThat(rt.blockOn(Future.ready(4))).isEqualTo(4);
    }

    // ------------------------------------------------------------------ a library that replaces the handler

    @Test
    void aTaskStaysATaskWhenALibraryReplacesItsThreadsUncaughtExceptionHandler() {
        dev.weft.TaskLocal<String> local = dev.weft.TaskLocal.withInitial(() -> "unset");
        AtomicReference<Runtime> seen = new AtomicReference<>();
        AtomicReference<String> localSeen = new AtomicReference<>();
        CountDownLatch replaced = new CountDownLatch(1);
        Task<String> task = rt.run(() -> Weft.spawn(() -> {
            local.set("mine");
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> { });    // what some libraries do
            seen.set(Runtime.current());
            localSeen.set(local.get());
            replaced.countDown();
            Weft.sleep(Duration.ofDays(1));                                      // cancellation must still reach it
            return "not cancelled";
        }));
        rt.run(() -> {
            assertThat(replaced.await(5, TimeUnit.SECONDS)).isTrue();
            task.cancel();
            assertThatThrownBy(task::join).isInstanceOf(CancelledException.class);
            return null;
        });
        assertThat(seen.get()).isSameAs(rt);
        assertThat(localSeen.get()).as("task-locals still follow the task").isEqualTo("mine");
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeCompletesEveryTaskSoNoJoinWaitsForever() throws Exception {
        setGrace(Duration.ofMillis(300));
        AtomicBoolean releaseBlocked = new AtomicBoolean();
        List<Task<?>> inFlight = rt.run(() -> {
            List<Task<?>> tasks = new ArrayList<>();
            tasks.add(Weft.spawn(() -> Weft.shielded(() -> {        // cleanup that outlives the grace
                Weft.sleep(Duration.ofSeconds(8));
                return "shielded";
            })));
            tasks.add(Weft.spawn(() -> {                            // plain sequential wait
                Weft.sleep(Duration.ofSeconds(30));
                return "sleeper";
            }));
            tasks.add(Weft.spawnFuture(cx -> Poll.pending()));       // a poll task that never completes
            tasks.add(Weft.spawnBlocking(() -> {                     // a blocking call that ignores interrupts
                while (!releaseBlocked.get()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                return "blocked";
            }));
            Weft.sleep(Duration.ofMillis(20));
            return tasks;
        });
        Thread closer = Thread.ofPlatform().start(rt::close);
        closer.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        try {
            for (Task<?> t : inFlight) {
                assertThat(t.isDone()).as(t + " is done after close").isTrue();
                Thread joiner = Thread.ofPlatform().start(() -> {
                    try {
                        t.join();
                    } catch (RuntimeException expected) {
                        // cancelled (or, for the blocking call, whatever it ended with)
                    }
                });
                joiner.join(5_000);
                assertThat(joiner.isAlive()).as("a join of " + t + " from another thread returned").isFalse();
                assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
            }
        } finally {
            releaseBlocked.set(true);
        }
    }

    @Test
    void aWakeAfterCloseIsHarmless() throws Exception {
        AtomicReference<Waker> captured = new AtomicReference<>();
        Task<Void> waiting = rt.run(() -> {
            Task<Void> t = Weft.spawn(() -> Weft.shielded(() -> Weft.await(cx -> {
                captured.set(cx.waker());
                return Poll.pending();
            })));
            Weft.sleep(Duration.ofMillis(10));
            return t;
        });
        setGrace(Duration.ofMillis(100));
        rt.close();
        assertThat(captured.get()).isNotNull();
        captured.get().wake();              // must not throw into this thread
        captured.get().wake();
        assertThat(waiting.isDone()).isTrue();
    }

    @Test
    void twoConcurrentClosesBothReturnAfterTheRuntimeClosed() throws Exception {
        setGrace(Duration.ofMillis(200));
        Task<String> stubborn = rt.run(() -> Weft.spawn(() -> Weft.shielded(() -> {
            Weft.sleep(Duration.ofSeconds(5));
            return "late";
        })));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            closers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    rt.close();
                    assertThat(stubborn.isDone()).as("close returned before the runtime finished closing").isTrue();
                } catch (Throwable t) {
                    failed.set(t);
                }
            }));
        }
        start.countDown();
        for (Thread c : closers) {
            c.join(10_000);
            assertThat(c.isAlive()).isFalse();
        }
        assertThat(failed.get()).isNull();
        rt.close();                         // and once more, later
    }

    @Test
    void aSpawnThatRacesCloseIsRunOrRefusedButNeverStranded() throws Exception {
        setGrace(Duration.ofMillis(200));
        java.util.Queue<Task<?>> spawned = new java.util.concurrent.ConcurrentLinkedQueue<>();   // no monitor (decision 12)
        AtomicBoolean stop = new AtomicBoolean();
        Thread spawner = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    spawned.add(rt.spawnFuture(Future.sleep(Duration.ofMillis(1))));
                    spawned.add(rt.spawn(() -> 1));
                } catch (IllegalStateException closed) {
                    return;
                } catch (RuntimeException other) {
                    stop.set(true);
                    throw other;
                }
            }
        });
        Thread.sleep(30);
        rt.close();
        stop.set(true);
        spawner.join(5_000);
        assertThat(spawned).isNotEmpty();
        for (Task<?> t : List.copyOf(spawned)) {
            // close() has returned: every task it accepted is complete, so no join can wait.
            assertThat(t.isDone()).as("%s was stranded by close()", t).isTrue();
        }
    }

    /**
     * Issue 18, fault 5: a plain virtual thread started inside a task (it inherits the task's
     * scheduler) finishes after close(), its finally block included; and a timer asked of a closed
     * runtime says so instead of never firing.
     */
    @Test
    void aPlainVirtualThreadStartedInATaskFinishesAfterClose() throws Exception {
        setGrace(Duration.ofMillis(100));
        AtomicBoolean finallyRan = new AtomicBoolean();
        Thread plain = rt.run(() -> Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);              // resumed through the runtime's scheduler, after it closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finallyRan.set(true);
            }
        }));
        rt.close();
        plain.join(5_000);
        assertThat(plain.getState()).as("the plain virtual thread ran to its end").isEqualTo(Thread.State.TERMINATED);
        assertThat(finallyRan).as("its finally block ran").isTrue();

        AtomicBoolean fired = new AtomicBoolean();
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                () -> rt.scheduleWake(System.nanoTime() + 1_000_000, () -> fired.set(true)));
        if (refused == null) {
            Thread.sleep(200);
            assertThat(fired).as("a timer on a closed runtime that takes it must fire").isTrue();
        } else {
            assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        }
    }

    /** Issue 18, fault 7: no thread of the blocking pool outlives close() (an idle one waited out its keep-alive). */
    @Test
    void theBlockingPoolsThreadsEndWithTheRuntime() throws Exception {
        String prefix = rt.name() + "-blocking";
        assertThat(rt.run(() -> Weft.spawnBlocking(() -> 7).join())).isEqualTo(7);
        assertThat(poolThreads(prefix)).as("the pool has a thread").isPositive();
        rt.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (poolThreads(prefix) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(poolThreads(prefix)).as("pool threads left 2 s after close (keep-alive is 10 s)").isZero();
    }

    private static long poolThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    /** Issue 18, fault 6: close() called by one of the runtime's own tasks does not wait for itself. */
    @Test
    void closeFromInsideOneOfItsOwnTasksDoesNotWaitTheWholeGrace() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasThreadsOfItsOwn(),
                "a current-thread runtime runs its tasks on the thread that drives it: this case needs a runtime with threads of its own");
        setGrace(Duration.ofSeconds(5));
        java.util.concurrent.atomic.AtomicBoolean cleaned = new java.util.concurrent.atomic.AtomicBoolean();
        Task<Void> other = rt.spawn(() -> {
            try {
                Weft.sleep(Duration.ofMinutes(1));
            } finally {
                Weft.shielded(() -> Weft.sleep(Duration.ofMillis(100)));    // a short cleanup
                cleaned.set(true);
            }
        });
        java.util.concurrent.atomic.AtomicLong closeMillis = new java.util.concurrent.atomic.AtomicLong(-1);
        Thread.sleep(20);
        Task<Void> closer = rt.spawn(() -> {
            long t0 = System.nanoTime();
            rt.close();
            closeMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!((dev.weft.spi.AbstractRuntime) rt).isClosed() || closeMillis.get() < 0) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(5);
        }
        assertThat(closeMillis.get()).as("close() from its own task returned, before the 5 s grace")
                .isBetween(0L, 3_000L);
        assertThat(cleaned).as("the other task's cleanup ran").isTrue();
        assertThat(other.isDone()).isTrue();
        assertThat(closer.isDone()).as("the closing task is complete too: no join waits for it").isTrue();
    }

    /** Issue 18, fault 6: an interrupted thread that closes waits for the cleanup without a busy loop. */
    @Test
    void anInterruptedCloserWaitsForCleanupWithoutSpinning() throws Exception {
        setGrace(Duration.ofSeconds(5));
        rt.run(() -> {                          // started (and parked) before the close, on every runtime
            Weft.spawn(() -> {
                try {
                    Weft.sleep(Duration.ofMinutes(1));
                } finally {
                    Weft.shielded(() -> Weft.sleep(Duration.ofMillis(300)));
                }
            });
            Weft.sleep(Duration.ofMillis(20));
        });
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Thread.currentThread().interrupt();
        rt.close();
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - cpu0);
        assertThat(Thread.interrupted()).as("the interrupt is still there afterwards").isTrue();
        assertThat(wallMillis).as("close waited for the 300 ms cleanup, not the 5 s grace").isBetween(250L, 3_000L);
        assertThat(cpuMillis).as("and slept meanwhile: CPU time of the closing thread").isLessThan(150L);
    }

    /** Issue 18, fault 8: a refused Weft.timeout leaves no body running (it was spawned before the checks). */
    @Test
    void aTimeoutRefusedForABadLimitOrInsideAPollRunsNoBody() throws Exception {
        java.util.concurrent.atomic.AtomicInteger bodies = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Callable<String> body = () -> {
            bodies.incrementAndGet();
            Weft.sleep(Duration.ofMinutes(1));
            return "ran";
        };
        Throwable negative = rt.run(() -> org.assertj.core.api.Assertions.catchThrowable(
                () -> Weft.timeout(Duration.ofMillis(-1), body)));
        assertThat(negative).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a limit of zero or more");
        Task<Object> inPoll = rt.spawnFuture(cx -> {
            try {
                Weft.timeout(Duration.ofSeconds(1), body);
                return dev.weft.Poll.ready("no error");
            } catch (IllegalStateException e) {
                return dev.weft.Poll.ready(e);
            }
        });
        assertThat(rt.run(inPoll::join)).isInstanceOf(IllegalStateException.class)
                .asString().contains("Weft.timeout was called inside a poll of poll task");
        Thread.sleep(100);
        assertThat(bodies).as("no timeout body was started").hasValue(0);
    }

    /** Issue 18, fault 9: a loop left early cancels its stream, at once with try-with-resources, else when the task's body ends. */
    @Test
    void aLoopLeftEarlyCancelsItsStream() throws Exception {
        java.util.concurrent.atomic.AtomicInteger drops = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.IntFunction<dev.weft.Stream<Integer>> upTo = end -> new dev.weft.Stream<>() {
            int n;

            @Override
            public dev.weft.Poll<Integer> pollNext(dev.weft.Context cx) {
                return n < end ? dev.weft.Poll.ready(n++) : dev.weft.Poll.end();
            }

            @Override
            public void drop() {
                drops.incrementAndGet();
            }
        };
        java.util.function.Supplier<dev.weft.Stream<Integer>> numbers = () -> upTo.apply(Integer.MAX_VALUE);
        int droppedInside = rt.run(() -> {
            try (var items = Weft.iterate(numbers.get())) {
                for (int x : items) {
                    if (x == 3) {
                        break;
                    }
                }
            }
            return drops.get();
        });
        assertThat(droppedInside).as("dropped as the try block ended").isEqualTo(1);
        drops.set(0);
        Task<Integer> loop = rt.spawn(() -> {
            for (int x : Weft.iterate(numbers.get())) {
                if (x == 3) {
                    break;
                }
            }
            return drops.get();
        });
        assertThat(rt.run(loop::join)).as("still running right after the loop").isZero();
        assertThat(drops).as("dropped when the body returned, before join saw the task end").hasValue(1);
        drops.set(0);
        Task<Void> failing = rt.spawn(() -> {
            for (int x : Weft.iterate(numbers.get())) {
                if (x == 3) {
                    throw new IllegalStateException("left by an exception");
                }
            }
        });
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> rt.run(failing::join)))
                .hasMessageContaining("left by an exception");
        assertThat(drops).as("dropped when the body threw").hasValue(1);
        drops.set(0);
        rt.run(() -> {
            for (int x : Weft.iterate(upTo.apply(5))) {
                assertThat(x).isLessThan(5);
            }
        });
        assertThat(drops).as("a stream that ended is not cancelled").hasValue(0);
    }

    private static final InheritableThreadLocal<String> MDC = new InheritableThreadLocal<>();

    /**
     * Issue 18, fault 9: an inheritable thread-local (an MDC-style value) reaches a task spawned by
     * the thread that set it, on every runtime, as it reaches any thread started there.
     */
    @Test
    void inheritableThreadLocalsReachSpawnedTasks() {
        MDC.set("request-7");
        try {
            Task<String> fromPlainThread = rt.spawn(MDC::get);
            assertThat(rt.run(fromPlainThread::join)).isEqualTo("request-7");
        } finally {
            MDC.remove();
        }
        String inGrandchild = rt.run(() -> {
            MDC.set("request-8");
            return Weft.spawn(() -> Weft.spawn(MDC::get).join()).join();
        });
        assertThat(inGrandchild).isEqualTo("request-8");
    }

    /**
     * Issue 18, fault 9: a virtual thread started inside a poll task belongs to the task's runtime
     * (Runtime.current()'s promise), on every runtime.
     */
    @Test
    void aVirtualThreadStartedInAPollTaskFindsTheTasksRuntime() throws Exception {
        java.util.concurrent.CompletableFuture<Object> found = new java.util.concurrent.CompletableFuture<>();
        Task<String> poll = rt.spawnFuture(cx -> {
            Thread.ofVirtual().start(() -> {
                try {
                    found.complete(Runtime.current());
                } catch (Throwable t) {
                    found.complete(t);
                }
            });
            return dev.weft.Poll.ready("started");
        });
        rt.run(poll::join);
        assertThat(found.get(5, TimeUnit.SECONDS)).isSameAs(rt);
    }

    private static boolean finallyRanEventually(java.util.concurrent.atomic.AtomicBoolean flag) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!flag.get() && System.nanoTime() < deadline) {
            Weft.sleep(Duration.ofMillis(1));
        }
        return flag.get();
    }
}
