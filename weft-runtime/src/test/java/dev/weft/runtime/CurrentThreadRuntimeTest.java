package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.Weft;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CurrentThreadRuntimeTest {

    @Test
    void everyTaskRunsOnTheDrivingThread() {
        Set<Thread> osThreads = ConcurrentHashMap.newKeySet();
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                List<Task<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    tasks.add(Weft.spawn(() -> {
                        Weft.sleep(Duration.ofMillis(1));
                        osThreads.add(Runtimes.carrierOf(Thread.currentThread()).orElseThrow());
                    }));
                    tasks.add(Weft.spawnFuture(cx -> {
                        osThreads.add(Thread.currentThread());
                        return Poll.ready(null);
                    }));
                }
                tasks.forEach(Task::join);
                Thread plain = Thread.ofVirtual().start(() ->     // not a task: a plain virtual thread
                        osThreads.add(Runtimes.carrierOf(Thread.currentThread()).orElseThrow()));
                while (plain.isAlive()) {
                    Weft.yieldNow();
                }
            });
        }
        assertThat(osThreads).containsExactly(Thread.currentThread());
    }

    @Test
    void turnRunsOneBoundedRoundWithoutParkingForEmbeddingInAForeignLoop() {
        try (var rt = Runtimes.currentThread()) {
            AtomicInteger steps = new AtomicInteger();
            AtomicInteger readySignals = new AtomicInteger();
            rt.onReady(readySignals::incrementAndGet);
            Task<Integer> counter = rt.spawnFuture(cx -> {
                if (steps.incrementAndGet() < 1000) {
                    cx.waker().wake();
                    return Poll.pending();
                }
                return Poll.ready(steps.get());
            });
            assertThat(readySignals.get()).isPositive();   // the foreign loop was told work is ready
            int turns = 0;
            while (!counter.isDone()) {
                rt.turn();
                turns++;
            }
            // 1000 polls with at most TASKS_PER_TURN per turn: several turns, each bounded.
            assertThat(turns).isGreaterThanOrEqualTo(1000 / CurrentThreadRuntime.TASKS_PER_TURN);
            assertThat(counter.join()).isEqualTo(1000);
            assertThat(rt.nextTimerNanos()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void waitingForATimerDoesNotSpin() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (var rt = Runtimes.currentThread()) {
            long cpuBefore = mx.getCurrentThreadCpuTime();
            rt.run(() -> Weft.sleep(Duration.ofMillis(400)));
            long cpuUsed = mx.getCurrentThreadCpuTime() - cpuBefore;
            // A spinning loop would burn ~400 ms of CPU; a parked one a few ms at most.
            assertThat(cpuUsed).isLessThan(TimeUnit.MILLISECONDS.toNanos(150));
        }
    }

    @Test
    void anInterruptedRunWhoseBodyFinishesInsideAShieldReturnsItsResult() throws Exception {
        // The interrupt cancels the task, but a shielded body runs to its end: run() then returns
        // that result (the task did not end cancelled), and the interrupt status is kept.
        AtomicBoolean entered = new AtomicBoolean();
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        try (var rt = Runtimes.currentThread()) {
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    outcome.set(rt.run(() -> Weft.shielded(() -> {
                        entered.set(true);
                        Weft.sleep(Duration.ofMillis(200));
                        return 7;
                    })));
                } catch (Throwable t) {
                    outcome.set(t);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            while (!entered.get()) {
                Thread.sleep(1);
            }
            // Interrupt while the body sleeps (unmounted): an interrupt of the driving thread that
            // lands while a virtual thread is mounted on it is cleared by the JDK's mount/unmount
            // (see CurrentThreadRuntime, "Interrupting the driver").
            Thread.sleep(50);
            caller.interrupt();
            caller.join(5_000);
            assertThat(caller.isAlive()).isFalse();
        }
        assertThat(outcome.get()).isEqualTo(7);
        assertThat(stillInterrupted.get()).isTrue();
    }

    @Test
    void closeReturnsAfterItsGraceEvenIfATaskNeverFinishesItsCleanup() {
        // A task whose cleanup waits, shielded, on something that never comes: close() must give
        // up after its grace (5 s) rather than park forever with no timer to wake it.
        Future<Void> never = cx -> Poll.pending();
        AtomicBoolean inCleanup = new AtomicBoolean();
        var rt = Runtimes.currentThread();
        Task<Void> stuck = rt.run(() -> {
            Task<Void> t = Weft.spawn(() -> Weft.shielded(() -> {
                inCleanup.set(true);
                return Weft.await(never);
            }));
            Weft.sleep(Duration.ofMillis(20));     // let it enter the shield
            return t;
        });
        assertThat(inCleanup.get()).as("the task is inside its shielded wait").isTrue();
        long start = System.nanoTime();
        rt.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMs).as("close() with a task stuck in its cleanup").isBetween(4_000L, 10_000L);
        assertThat(rt.isClosed()).isTrue();
        assertThat(stuck.isDone()).as("the stuck task is completed as cancelled, so its joiners return").isTrue();
        assertThatThrownBy(stuck::join).isInstanceOf(CancelledException.class).hasMessageContaining("close grace");
    }

    @Test
    void wakesFromOtherThreadsAreNeverLost() throws Exception {
        int rounds = 20_000;
        try (var rt = Runtimes.currentThread()) {
            AtomicReference<Waker> waker = new AtomicReference<>();
            AtomicInteger produced = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread producer = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    Waker w = waker.getAndSet(null);
                    if (w != null) {
                        produced.incrementAndGet();
                        w.wake();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            int consumed = rt.blockOn(new Future<Integer>() {
                private int seen;

                @Override
                public Poll<Integer> poll(dev.weft.Context cx) {
                    int p = produced.get();
                    if (p > seen) {
                        seen = p;
                    }
                    if (seen >= rounds) {
                        return Poll.ready(seen);
                    }
                    waker.set(cx.waker());   // each wake comes from the producer thread
                    return Poll.pending();
                }
            });
            stop.set(true);
            producer.join();
            assertThat(consumed).isEqualTo(rounds);
        }
    }

    @Test
    void spawnSitesAreRecordedWhileDiagnosticsAreOn() {
        dev.weft.internal.Diagnostics.setSpawnSites(true);
        try (var rt = Runtimes.currentThread()) {
            Task<Integer> t = rt.spawnFuture(Future.ready(1));
            rt.blockOn(t);
            assertThat(t.spawnSite()).isPresent();
            assertThat(t.spawnSite().get().getClassName()).isEqualTo(CurrentThreadRuntimeTest.class.getName());
            assertThat(t.spawnSite().get().getMethodName()).isEqualTo("spawnSitesAreRecordedWhileDiagnosticsAreOn");
        } finally {
            dev.weft.internal.Diagnostics.setSpawnSites(false);
        }
        try (var rt = Runtimes.currentThread()) {
            Task<Integer> t = rt.spawnFuture(Future.ready(1));
            assertThat(t.spawnSite()).as("off by default: a stack walk costs microseconds").isEmpty();
            rt.blockOn(t);
        }
    }

    @Test
    void drivingFromAVirtualThreadIsAClearError() throws Exception {
        try (var rt = Runtimes.currentThread("embedded")) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    rt.turn();
                } catch (Throwable e) {
                    error.set(e);
                }
            }).join();
            assertThat(error.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("platform thread");
        }
    }

    @Test
    void awaitInsideAPollIsAClearError() {
        try (var rt = Runtimes.currentThread()) {
            assertThatThrownBy(() -> rt.blockOn(cx -> Poll.ready(Weft.await(Future.ready(1)))))
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .rootCause().hasMessageContaining("must never block");
        }
    }

    @Test
    void workArrivingAsTurnEndsIsEitherReportedByTurnOrAnnouncedToTheListener() throws Exception {
        // An embedding loop calls turn() until it returns false, then waits for the ready
        // listener. A wake that lands between turn()'s last look and its return must not fall
        // between the two (review of issue 12).
        int rounds = 20_000;
        try (var rt = Runtimes.currentThread("embedded")) {
            java.util.concurrent.atomic.AtomicInteger announced = new java.util.concurrent.atomic.AtomicInteger();
            rt.onReady(announced::incrementAndGet);
            AtomicReference<Waker> waker = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
            rt.spawnFuture(cx -> {
                polls.incrementAndGet();
                waker.set(cx.waker());
                return Poll.pending();
            });
            while (rt.turn()) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < rounds; i++) {
                int before = announced.get();
                int pollsBefore = polls.get();
                Thread other = Thread.ofPlatform().start(() -> waker.get().wake());
                boolean more = rt.turn();
                other.join();
                boolean ranOrSaidSo = more || polls.get() > pollsBefore || announced.get() > before;
                assertThat(ranOrSaidSo).as("round %d: the wake was neither run, reported by turn() nor announced", i).isTrue();
                while (rt.turn()) {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
