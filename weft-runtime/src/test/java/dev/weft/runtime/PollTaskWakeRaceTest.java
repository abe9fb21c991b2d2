package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Waker;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The poll task's run-state machine under racing wakes. Each round, another thread publishes one
 * new value and wakes the task exactly once, then waits for the task to acknowledge it; the poll
 * holds its window open for a random moment after reading, so the single wake often lands while
 * the poll is still running (RUNNING → NOTIFIED). If that wake were lost, the round would never
 * be acknowledged. Also checks that no two workers poll one task at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PollTaskWakeRaceTest {
    private static final int ROUNDS = 20_000;

    static final class PingPong implements Future<Long> {
        /** Also wake itself from inside some polls (a yield), racing with the outside wakes. */
        final boolean selfWakes;
        final AtomicLong published = new AtomicLong();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicReference<Waker> waker = new AtomicReference<>();
        final AtomicInteger inPoll = new AtomicInteger();
        volatile boolean overlapped;
        long selfWakesDone;

        PingPong(boolean selfWakes) {
            this.selfWakes = selfWakes;
        }

        @Override
        public Poll<Long> poll(Context cx) {
            if (inPoll.incrementAndGet() != 1) {
                overlapped = true;
            }
            try {
                waker.set(cx.waker());                       // register, then read: the usual protocol
                long seen = published.get();
                spin(ThreadLocalRandom.current().nextInt(200)); // keep the poll open: wakes land inside it
                if (seen >= ROUNDS) {
                    acknowledged.set(seen);
                    return Poll.ready(seen);
                }
                if (selfWakes && ThreadLocalRandom.current().nextBoolean()) {
                    // Acknowledge at a later poll, which only this wake can bring (the producer
                    // waits for the acknowledgement): a lost self-wake stalls the round.
                    selfWakesDone++;
                    cx.waker().wake();
                    spin(ThreadLocalRandom.current().nextInt(100)); // the outside wake may land now too
                    return Poll.pending();
                }
                acknowledged.set(seen);
                return Poll.pending();
            } finally {
                inPoll.decrementAndGet();
            }
        }
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }

    private static void pingPong(Runtime rt) throws Exception {
        pingPong(rt, false);
    }

    private static void pingPong(Runtime rt, boolean selfWakes) throws Exception {
        PingPong f = new PingPong(selfWakes);
        Task<Long> task = rt.spawnFuture(f);
        AtomicReference<String> lost = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            for (long round = 1; round <= ROUNDS; round++) {
                while (f.waker.get() == null) {
                    Thread.onSpinWait();
                }
                f.published.set(round);
                f.waker.get().wake();                        // the only wake of this round
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (f.acknowledged.get() < round) {
                    if (System.nanoTime() > deadline) {
                        lost.set("the wake of round " + round + " was lost: the task was never polled again");
                        return;
                    }
                    Thread.onSpinWait();
                }
            }
        });
        if (rt instanceof CurrentThreadRuntime ct) {
            Thread.ofPlatform().start(() -> {           // the driver: stops when the producer gives up
                try {
                    producer.join();
                } catch (InterruptedException ignored) {
                    return;
                }
                task.cancel();
            });
            try {
                ct.blockOn(task);
            } catch (RuntimeException cancelledBecauseLost) {
                // reported below
            }
        }
        producer.join();
        if (lost.get() != null) {
            fail(lost.get());
        }
        assertThat(task.join()).isEqualTo(ROUNDS);
        assertThat(f.overlapped).as("two workers polled one task at once").isFalse();
        if (selfWakes) {
            // (the wake counter may under-count racing increments by design, so count polls)
            assertThat(f.selfWakesDone).as("polls that woke themselves").isPositive();
            assertThat(task.polls()).as("every self-wake was one more poll").isGreaterThan(f.selfWakesDone);
        } else {
            assertThat(task.wakes()).isGreaterThanOrEqualTo(ROUNDS);
        }
    }

    @Test
    void aSingleWakeRacingWithAPollIsNeverLostOnTheMultiThreadRuntime() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("race").workers(2).build()) {
            pingPong(rt);
        }
    }

    @Test
    void outsideWakesRacingWithTheTasksOwnWakesAreNeitherLostNorDoubled() throws Exception {
        // A task that also wakes itself takes the flag path, and an outside wake during that poll
        // moves it to NOTIFIED meanwhile: it must run again exactly once, never twice at once.
        try (var rt = Runtimes.multiThreadBuilder().name("race").workers(2).build()) {
            pingPong(rt, true);
        }
        try (var rt = Runtimes.jdkDefault("race")) {
            pingPong(rt, true);
        }
    }

    @Test
    void aSingleWakeRacingWithAPollIsNeverLostOnThePollerPool() throws Exception {
        try (var rt = Runtimes.jdkDefault("race")) {
            pingPong(rt);
        }
    }

    @Test
    void aSingleWakeRacingWithAPollIsNeverLostOnTheCurrentThreadRuntime() throws Exception {
        try (var rt = Runtimes.currentThread("race")) {
            pingPong(rt);
        }
    }
}
