package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** CompletionStage and CompletableFuture, both ways (issue 17). */
class CompletionStageInteropTest {
    @Test
    void aSequentialTaskAwaitsACompletableFutureCompletedElsewhereWithoutHoldingItsCarrier() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("interop").workers(1).build()) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            String got = rt.run(() -> {
                Task<Integer> other = Weft.spawn(() -> 41 + 1);       // runs on the one worker while we wait
                new Thread(() -> {
                    sleep(50);
                    reply.complete("pong");
                }).start();
                return Weft.await(reply) + " " + other.join();
            });
            assertThat(got).isEqualTo("pong 42");
        }
    }

    @Test
    void aFailedStageThrowsItsCauseUnwrappedAndACheckedCauseWrappedOnce() {
        try (Runtime rt = Runtimes.currentThread("interop")) {
            assertThatThrownBy(() -> rt.run(() -> Weft.await(CompletableFuture.failedFuture(new IllegalStateException("no")))))
                    .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("no");
            Object cause = rt.run(() -> {
                try {
                    Weft.await(CompletableFuture.failedFuture(new IOException("disk")));
                    return null;
                } catch (CompletionException e) {
                    return e.getCause();
                }
            });
            assertThat(cause).isInstanceOf(IOException.class).hasFieldOrPropertyWithValue("message", "disk");
        }
    }

    @Test
    void cancellingTheWaitingTaskCancelsTheCompletableFuture() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("interop").workers(2).build()) {
            CompletableFuture<String> never = new CompletableFuture<>();
            CountDownLatch waiting = new CountDownLatch(1);
            Task<String> t = rt.spawn(() -> {
                waiting.countDown();
                return Weft.await(never);
            });
            assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(20);
            t.cancel();
            assertThatThrownBy(() -> rt.run(t::join)).hasRootCauseInstanceOf(CancelledException.class);
            assertThat(never.isCancelled()).as("the CompletableFuture was cancelled with the wait").isTrue();
        }
    }

    @Test
    void pollTasksComposeAStageLikeAnyFuture() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("interop").workers(2).build()) {
            CompletableFuture<Integer> later = CompletableFuture.supplyAsync(() -> {
                sleep(30);
                return 20;
            });
            int v = rt.blockOn(Future.fromStage(later).map(x -> x * 2 + 2));
            assertThat(v).isEqualTo(42);
            assertThat(rt.blockOn(Future.fromStage(CompletableFuture.completedFuture("done")))).isEqualTo("done");
        }
    }

    @Test
    void aTaskAsACompletableFutureCompletesWithItsValueOrItsOwnExceptionAndCancelsItOnCancel() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("interop").workers(2).build()) {
            CompletableFuture<Integer> ok = rt.spawn(() -> {
                Weft.sleep(Duration.ofMillis(20));
                return 7;
            }).toCompletableFuture();
            assertThat(ok.get(5, TimeUnit.SECONDS)).isEqualTo(7);

            Task<Integer> failing = rt.spawn(() -> {
                if (ok.isDone()) {
                    throw new IllegalArgumentException("bad input");
                }
                return 0;
            });
            CompletableFuture<Integer> bad = failing.toCompletableFuture();
            assertThatThrownBy(bad::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("bad input");

            AtomicBoolean cleaned = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(1);
            Task<Void> slow = rt.spawn(() -> {
                try {
                    started.countDown();
                    Weft.sleep(Duration.ofMinutes(5));
                } finally {
                    cleaned.set(true);
                }
            });
            CompletableFuture<Void> cf = slow.toCompletableFuture();
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cf.cancel(true)).isTrue();
            assertThatThrownBy(() -> rt.run(slow::join)).hasRootCauseInstanceOf(CancelledException.class);
            assertThat(cleaned).as("the task's finally ran").isTrue();
            assertThat(cf.isCancelled()).isTrue();

            Task<Void> cancelledFirst = rt.spawn(() -> Weft.sleep(Duration.ofMinutes(5)));
            cancelledFirst.cancel();
            assertThatThrownBy(() -> cancelledFirst.toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void aFutureBecomesAStageByRunningOnTheCurrentRuntime() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("interop").workers(2).build()) {
            CompletableFuture<String> stage = rt.run(() -> Future.sleep(Duration.ofMillis(10)).map(v -> "slept")
                    .toStage().toCompletableFuture());
            assertThat(stage.get(5, TimeUnit.SECONDS)).isEqualTo("slept");
        }
        assertThatThrownBy(() -> Future.ready(1).toStage()).isInstanceOf(IllegalStateException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
