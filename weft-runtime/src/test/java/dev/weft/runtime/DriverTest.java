package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.CancelledException;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.Weft;
import dev.weft.spi.Driver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How runtimes wait on a {@link Driver}: a fake event source stands in for a selector. An
 * "event" posted to it from a foreign thread is seen only by a thread parked in (or polling) the
 * driver, exactly like readiness seen by epoll.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DriverTest {

    /** A driver whose events are wakers posted by a foreign thread; park waits for one, wakeup interrupts. */
    static final class FakeDriver implements Driver {
        final ConcurrentLinkedQueue<Waker> events = new ConcurrentLinkedQueue<>();
        final AtomicInteger parks = new AtomicInteger();
        final AtomicInteger zeroTimeoutParks = new AtomicInteger();
        final AtomicInteger wakeups = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile Thread parkedThread;
        volatile long lastTimeoutNanos = -1;
        private volatile boolean wakeRequested;

        /** The "kernel" side: an event became ready. Does NOT call wakeup: only a parked thread sees it. */
        void post(Waker w) {
            events.add(w);
            Thread t = parkedThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void park(long timeoutNanos) {
            parks.incrementAndGet();
            lastTimeoutNanos = timeoutNanos;
            if (timeoutNanos == 0) {
                zeroTimeoutParks.incrementAndGet();
            } else {
                parkedThread = Thread.currentThread();
                long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
                while (events.isEmpty() && !wakeRequested) {
                    long left = deadline - System.nanoTime();
                    if (deadline != Long.MAX_VALUE && left <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, deadline == Long.MAX_VALUE ? 10_000_000_000L : left);
                }
                parkedThread = null;
            }
            wakeRequested = false;
            Waker w;
            while ((w = events.poll()) != null) {
                w.wake();
            }
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
            wakeRequested = true;
            Thread t = parkedThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** A future that becomes ready once an event from {@code driver} has woken it. */
    static Future<String> event(FakeDriver driver, CountDownLatch registered) {
        AtomicBoolean posted = new AtomicBoolean();
        AtomicBoolean fired = new AtomicBoolean();
        return cx -> {
            if (fired.get()) {
                return Poll.ready("event");
            }
            if (posted.compareAndSet(false, true)) {
                Waker w = cx.waker();
                registered.countDown();
                // the event source remembers the waker; a foreign thread makes it "ready" later
                Thread.ofPlatform().start(() -> {
                    LockSupport.parkNanos(20_000_000);
                    driver.post(() -> {
                        fired.set(true);
                        w.wake();
                    });
                });
            }
            return Poll.pending();
        };
    }

    static List<Supplier<Runtime>> runtimes() {
        return List.of(
                () -> Runtimes.multiThreadBuilder().name("drv-multi").workers(2).build(),
                () -> Runtimes.currentThread("drv-current"),
                () -> Runtimes.jdkDefault());
    }

    @Test
    void anEventSeenByTheDriverWakesItsTaskOnEveryRuntime() {
        for (Supplier<Runtime> make : runtimes()) {
            FakeDriver fake = new FakeDriver();
            try (Runtime rt = make.get()) {
                String got = rt.run(() -> {
                    FakeDriver d = Runtime.current().driver(FakeDriver.class, r -> fake);
                    assertThat(Runtime.current().driver(FakeDriver.class, r -> new FakeDriver()))
                            .as("one driver per type and runtime").isSameAs(d);
                    return Weft.await(event(d, new CountDownLatch(1)));
                });
                assertThat(got).as(rt.name()).isEqualTo("event");
            }
            assertThat(fake.closed).as("close() closes the driver of " + make.get().name()).isTrue();
        }
    }

    @Test
    void anIdleWorkerWaitsOnTheDriverUntilTheNextTimerDeadline() {
        for (Supplier<Runtime> make : List.<Supplier<Runtime>>of(runtimes().get(0), runtimes().get(1))) {
            FakeDriver fake = new FakeDriver();
            try (Runtime rt = make.get()) {
                long slept = rt.run(() -> {
                    Runtime.current().driver(FakeDriver.class, r -> fake);
                    long t0 = System.nanoTime();
                    Weft.sleep(Duration.ofMillis(50));
                    return System.nanoTime() - t0;
                });
                assertThat(slept).as(rt.name() + ": the sleep ends on time").isBetween(50_000_000L, 2_000_000_000L);
                assertThat(fake.parks.get() - fake.zeroTimeoutParks.get())
                        .as(rt.name() + ": the idle thread waited on the driver").isPositive();
            }
        }
    }

    @Test
    void workSubmittedFromAnotherThreadInterruptsTheDriverWait() throws Exception {
        // one worker: the only thread that could run the task is the one waiting on the driver
        for (Supplier<Runtime> make : List.<Supplier<Runtime>>of(
                () -> Runtimes.multiThreadBuilder().name("drv-multi-1").workers(1).build(), runtimes().get(1))) {
            FakeDriver fake = new FakeDriver();
            try (Runtime rt = make.get()) {
                CountDownLatch waiting = new CountDownLatch(1);
                Task<String> main = rt.spawn(() -> {
                    Runtime.current().driver(FakeDriver.class, r -> fake);
                    waiting.countDown();
                    return Weft.await((Future<String>) cx -> Poll.pending());   // parks forever unless cancelled
                });
                Thread outsider = Thread.ofPlatform().start(() -> {
                    try {
                        waiting.await();
                        while (fake.parkedThread == null) {
                            Thread.onSpinWait();
                        }
                        main.cancel();         // a wake from a foreign thread while a worker waits on the driver
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                // (a current-thread runtime runs only while driven: blockOn drives it, and reports the
                // awaited task's cancellation as the cause of its own failure)
                Throwable thrown = catchThrowable(() -> {
                    if (rt instanceof CurrentThreadRuntime ct) {
                        ct.blockOn(main);
                    } else {
                        main.join();
                    }
                });
                assertThat(thrown instanceof CancelledException ? thrown : thrown.getCause())
                        .as(rt.name()).isInstanceOf(CancelledException.class);
                outsider.join();
                assertThat(fake.wakeups.get()).as(rt.name()).isPositive();
            }
        }
    }

    @Test
    void busyWorkersStillPollTheDriver() {
        FakeDriver fake = new FakeDriver();
        try (Runtime rt = Runtimes.multiThreadBuilder().name("drv-busy").workers(2).build()) {
            String got = rt.run(() -> {
                FakeDriver d = Runtime.current().driver(FakeDriver.class, r -> fake);
                AtomicBoolean done = new AtomicBoolean();
                List<Task<Void>> spinners = new ArrayList<>();
                for (int i = 0; i < 4; i++) {       // keep both workers busy: nobody parks in the driver
                    spinners.add(Weft.spawnFuture(cx -> {
                        if (done.get()) {
                            return Poll.ready(null);
                        }
                        cx.waker().wake();
                        return Poll.pending();
                    }));
                }
                try {
                    return Weft.await(event(d, new CountDownLatch(1)));
                } finally {
                    done.set(true);
                    spinners.forEach(Task::join);
                }
            });
            assertThat(got).isEqualTo("event");
            assertThat(fake.zeroTimeoutParks.get()).as("busy workers poll the driver without waiting").isPositive();
        }
    }

    @Test
    void aClosedRuntimeRefusesNewDrivers() {
        Runtime rt = Runtimes.currentThread("drv-closed");
        rt.close();
        assertThatThrownBy(() -> rt.driver(FakeDriver.class, r -> new FakeDriver()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
