package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite (issue 12), run on every runtime: what a runtime must survive and what it must
 * never lose. Each runtime's subclass supplies {@link #newRuntime()}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class FaultConformanceTest {
    protected Runtime rt;

    protected abstract Runtime newRuntime();

    @BeforeEach
    void open() {
        rt = newRuntime();
    }

    @AfterEach
    void closeRuntime() {
        rt.close();
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

    private static boolean finallyRanEventually(java.util.concurrent.atomic.AtomicBoolean flag) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!flag.get() && System.nanoTime() < deadline) {
            Weft.sleep(Duration.ofMillis(1));
        }
        return flag.get();
    }
}
