package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Stream;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** buffered / bufferUnordered (issue 17; seed 004, "Barbara battles buffered streams"). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BufferedStreamTest {
    private static Stream<Integer> range(int n) {
        return Stream.fromIterable(() -> IntStream.range(0, n).iterator());
    }

    /**
     * Barbara's stream: a consumer that awaits something slow between items. The buffered futures
     * run as tasks, so the four behind the first finish while she waits, not after.
     */
    @Test
    void bufferedFuturesProgressWhileTheConsumerAwaitsSomethingSlowBetweenItems() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("barbara").workers(2).build()) {
            long[] doneAt = new long[10];
            List<Integer> got = rt.run(() -> {
                long t0 = System.nanoTime();
                Stream<Future<Integer>> fetches = range(10).map(i -> Future.sleep(Duration.ofMillis(100)).map(v -> {
                    doneAt[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    return i;
                }));
                List<Integer> out = new ArrayList<>();
                for (Integer i : Weft.iterate(fetches.<Integer>buffered(5))) {
                    out.add(i);
                    if (i == 0) {
                        Weft.sleep(Duration.ofSeconds(1));        // something slow between items
                    }
                }
                return out;
            });
            assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            for (int i = 1; i < 5; i++) {
                assertThat(doneAt[i]).as("future %d finished while the consumer waited (ms after the start)", i)
                        .isLessThan(600);
            }
        }
    }

    @Test
    void bufferUnorderedYieldsResultsAsTheyComplete() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("unordered").workers(2).build()) {
            List<Integer> got = rt.run(() -> Weft.await(range(4)
                    .map(i -> Future.sleep(Duration.ofMillis(60L * (4 - i))).map(v -> i))
                    .<Integer>bufferUnordered(4).toList()));
            assertThat(got).containsExactly(3, 2, 1, 0);
        }
    }

    @Test
    void aFailingFutureEndsTheStreamWithItsErrorAndCancelsTheOthers() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("failing").workers(2).build()) {
            AtomicInteger dropped = new AtomicInteger();
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> rt.run(() -> Weft.await(range(3)
                    .map(i -> i == 0 ? Future.<Integer>failed(new IllegalStateException("fetch 0 failed")) : forever(dropped))
                    .<Integer>buffered(3).toList())));
            assertThat(thrown).hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("fetch 0 failed");
            awaitTrue(() -> dropped.get() == 2, 5_000, "the two futures in flight were cancelled");
        }
    }

    @Test
    void aConsumerThatStopsEarlyCancelsTheFuturesInFlight() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("early").workers(2).build()) {
            AtomicInteger dropped = new AtomicInteger();
            List<Integer> first = rt.run(() -> Weft.await(range(5)
                    .map(i -> i == 0 ? Future.ready(0) : forever(dropped))
                    .<Integer>buffered(5).take(1).toList()));
            assertThat(first).containsExactly(0);
            awaitTrue(() -> dropped.get() == 4, 5_000, "the four futures in flight were cancelled");
        }
    }

    @Test
    void aStreamOfSomethingElseIsAClearError() {
        try (Runtime rt = Runtimes.currentThread("not-futures")) {
            assertThatThrownBy(() -> rt.run(() -> Weft.await(Stream.of("a", "b").<String>buffered(2).toList())))
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .rootCause().hasMessageContaining("need a stream of futures, got java.lang.String");
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static Future<Integer> forever(AtomicInteger dropped) {
        return new Future<>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                dropped.incrementAndGet();
            }
        };
    }
}
