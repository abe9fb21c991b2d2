package dev.weft.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The blocking pool never strands a call, even when its last thread leaves just as a call is queued. */
class BlockingPoolTest {

    /**
     * Issue 18, fault 4: with a cap of 1 and a keep-alive of a nanosecond the one thread leaves
     * after every call, racing each new call that finds the pool at its cap and queues. Before the
     * fix some calls stayed queued with no thread ({@code threads=0 queued=1}).
     */
    @Test
    void aCallQueuedWhileTheLastThreadLeavesStillRuns() throws Exception {
        for (int round = 0; round < 200; round++) {
            BlockingPool pool = new BlockingPool("race", 1, 1);
            int calls = 200;
            CountDownLatch all = new CountDownLatch(calls);
            for (int i = 0; i < calls; i++) {
                pool.execute(all::countDown);
                // let the one thread finish and time out, so the next call meets it leaving
                for (int spin = (i * 7919) % 200; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
            }
            boolean done = all.await(2, TimeUnit.SECONDS);
            assertThat(done).as("round %d: every call ran; %d left, threads=%d queued=%d", round, all.getCount(),
                    pool.threads(), pool.queued()).isTrue();
            pool.shutdown();
        }
    }

    @Test
    void atTheCapCallsWaitInOrderAndAllRun() throws Exception {
        BlockingPool pool = new BlockingPool("cap", 2, TimeUnit.SECONDS.toNanos(1));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        assertThat(pool.threads()).isEqualTo(2);
        assertThat(pool.queued()).isEqualTo(3);
        release.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
    }

    /**
     * Issue 18, fault 7's race: a thread that has just finished a call and is on its way back to
     * the queue when the pool shuts down must still exit at once, not after its keep-alive (it
     * reached its poll after the shutdown's hand-over found nobody waiting).
     */
    @Test
    void aThreadReturningFromACallAsThePoolShutsDownExitsAtOnce() throws Exception {
        for (int round = 0; round < 300; round++) {
            BlockingPool pool = new BlockingPool("return-race", 4, TimeUnit.SECONDS.toNanos(30));
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            pool.execute(ran::countDown);
            ran.await();
            pool.shutdown();            // the thread is somewhere between the call's end and its next poll
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (pool.threads() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(pool.threads()).as("round %d: threads left 2 s after shutdown (keep-alive 30 s)", round).isZero();
        }
    }
}
