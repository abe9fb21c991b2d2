package dev.weft.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import dev.weft.sync.Mutex;
import dev.weft.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * weft-sync's primitives on the runtime under test, in both task styles: a runtime's wakes, parks
 * and cancellation are what the primitives stand on, so a runtime that loses a wake or cancels
 * badly fails here. Each runtime's subclass supplies {@link #newRuntime()}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SyncConformanceTest extends RuntimeSuite {
    @Test
    void aBoundedChannelCarriesEveryMessageInOrderBetweenBothTaskStyles() {
        List<Integer> got = rt.run(() -> {
            Channel<Integer> ch = Channels.mpsc(4);
            Task<Void> producer = Weft.spawn(() -> {
                try (var tx = ch.sender()) {
                    for (int i = 0; i < 2_000; i++) {
                        tx.send(i);                       // blocks the task (not a thread) when full
                    }
                }
            });
            Task<List<Integer>> consumer = Weft.spawnFuture(new Future<>() {   // a poll-task consumer
                private final List<Integer> seen = new ArrayList<>();
                private Future<Integer> next;

                @Override
                public Poll<List<Integer>> poll(Context cx) {
                    while (true) {
                        if (next == null) {
                            next = ch.receiver().recvFuture();
                        }
                        Poll<Integer> p;
                        try {
                            p = next.poll(cx);
                        } catch (dev.weft.sync.ClosedException end) {
                            return Poll.ready(seen);
                        }
                        if (p.isPending()) {
                            return Poll.pending();
                        }
                        next = null;
                        seen.add(p.value());
                    }
                }
            });
            producer.join();
            return consumer.join();
        });
        assertThat(got).hasSize(2_000);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
    }

    @Test
    void aMutexKeepsACounterExactUnderContentionWithAwaitsInside() {
        int total = rt.run(() -> {
            Mutex<int[]> counter = new Mutex<>(new int[1]);
            List<Task<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                tasks.add(Weft.spawn(() -> {
                    for (int i = 0; i < 20; i++) {
                        try (var g = counter.lock()) {
                            int before = g.get()[0];
                            if (i % 5 == 0) {
                                Weft.yieldNow();          // holds the lock across a park: others must wait
                            }
                            g.get()[0] = before + 1;
                        }
                    }
                }));
            }
            tasks.forEach(Task::join);
            try (var g = counter.lock()) {
                return g.get()[0];
            }
        });
        assertThat(total).isEqualTo(1_000);
    }

    @Test
    void aSemaphoreBoundsHowManyRunAtOnce() {
        int peak = rt.run(() -> {
            Semaphore permits = new Semaphore(3);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                tasks.add(Weft.spawn(() -> {
                    try (var p = permits.acquire()) {
                        max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Weft.sleep(Duration.ofMillis(2));
                        inside.decrementAndGet();
                    }
                }));
            }
            tasks.forEach(Task::join);
            assertThat(permits.availablePermits()).isEqualTo(3);
            return max.get();
        });
        assertThat(peak).isBetween(1, 3);
    }

    @Test
    void aTaskCancelledWhileWaitingForALockLeavesTheLockUsable() {
        boolean ok = rt.run(() -> {
            Mutex<String> m = new Mutex<>("free");
            var held = m.lock();
            Task<Void> waiter = Weft.spawn(() -> {
                try (var g = m.lock()) {
                    g.set("taken by the cancelled waiter");
                }
            });
            Weft.sleep(Duration.ofMillis(10));            // the waiter is queued on the lock
            waiter.cancel();
            boolean cancelled;
            try {
                waiter.join();
                cancelled = false;
            } catch (CancelledException expected) {
                cancelled = true;
            }
            held.close();
            Task<String> next = Weft.spawn(() -> {
                try (var g = m.lock()) {
                    return g.get();
                }
            });
            return cancelled && next.join().equals("free");
        });
        assertThat(ok).isTrue();
    }

    @Test
    void aOneshotAnswersAcrossTasksAndADroppedSenderEndsTheWait() {
        String r = rt.run(() -> {
            var answer = Channels.<String>oneshot();
            Weft.spawn(() -> {
                Weft.sleep(Duration.ofMillis(3));
                answer.sender().send("pong");
            });
            String first = answer.receiver().recv();
            var never = Channels.<String>oneshot();
            Weft.spawn(() -> never.sender().close());
            try {
                never.receiver().recv();
                return first + ", then a value from a closed sender";
            } catch (dev.weft.sync.ClosedException expected) {
                return first + ", closed";
            }
        });
        assertThat(r).isEqualTo("pong, closed");
    }

    /**
     * The co-operative budget: a poll task that drains a channel which is always ready never
     * returns pending on its own, yet another task of the runtime runs long before it is done
     * (each ready receive spends budget; a spent budget makes the next one yield). On a runtime
     * with one thread (current-thread, a UI thread) nothing else could run otherwise.
     */
    @Test
    void aTaskDrainingAnAlwaysReadyChannelLetsOtherTasksRun() {
        int leftWhenOtherRan = rt.run(() -> {
            int n = 200_000;
            Channel<Integer> ch = Channels.unbounded();
            for (int i = 0; i < n; i++) {
                ch.sender().send(i);
            }
            AtomicInteger drained = new AtomicInteger();
            AtomicInteger leftSeen = new AtomicInteger(-1);
            Task<Void> drainer = Weft.spawnFuture(new Future<Void>() {
                private Future<Integer> next;

                @Override
                public Poll<Void> poll(Context cx) {
                    while (drained.get() < n) {
                        if (next == null) {
                            next = ch.receiver().recvFuture();
                        }
                        if (next.poll(cx).isPending()) {
                            return Poll.pending();        // the budget said yield (the channel is never empty)
                        }
                        next = null;
                        drained.incrementAndGet();
                    }
                    return Poll.ready(null);
                }
            });
            Task<Void> other = Weft.spawnFuture(cx -> {
                leftSeen.set(n - drained.get());
                return Poll.ready(null);
            });
            other.join();
            drainer.join();
            return leftSeen.get();
        });
        assertThat(leftWhenOtherRan).as("messages still queued when the other task ran").isGreaterThan(0);
    }
}
