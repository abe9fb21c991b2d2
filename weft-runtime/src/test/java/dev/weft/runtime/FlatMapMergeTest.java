package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Stream;
import dev.weft.Weft;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stream.flatMapMerge (issue 17). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlatMapMergeTest {
    private static Stream<Integer> range(int from, int to) {
        return Stream.fromIterable(() -> IntStream.range(from, to).iterator());
    }

    @Test
    void everyInnerItemArrivesAndAtMostNInnerStreamsAreLive() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("fmm").workers(2).build()) {
            AtomicInteger live = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Integer> got = rt.run(() -> Weft.await(range(0, 6).<Integer>flatMapMerge(2, i -> {
                most.accumulateAndGet(live.incrementAndGet(), Math::max);
                Stream<Integer> in = range(i * 10, i * 10 + 3);
                return cx -> {                                   // counts itself out at its end
                    dev.weft.Poll<Integer> p = in.pollNext(cx);
                    if (p.isEnd()) {
                        live.decrementAndGet();
                    }
                    return p;
                };
            }).toList()));
            assertThat(got).containsExactlyInAnyOrder(0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52);
            assertThat(most.get()).as("inner streams live at once").isLessThanOrEqualTo(2);
        }
    }

    @Test
    void twoSlowInnerStreamsInterleave() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("fmm").workers(2).build()) {
            List<Integer> got = rt.run(() -> Weft.await(range(0, 2).<Integer>flatMapMerge(2, i ->
                    range(0, 4).map(x -> Future.sleep(Duration.ofMillis(40)).map(v -> i * 100 + x)).<Integer>buffered(1)).toList()));
            assertThat(got).hasSize(8);
            // both inner streams ran at once: the first four items come from both, not from one
            assertThat(got.subList(0, 4).stream().map(x -> x / 100).distinct()).containsExactlyInAnyOrder(0, 1);
        }
    }

    @Test
    void anErrorInAnInnerStreamEndsTheMerge() {
        try (Runtime rt = Runtimes.currentThread("fmm")) {
            assertThatThrownBy(() -> rt.run(() -> Weft.await(range(0, 3).<Integer>flatMapMerge(3, i -> i == 1
                    ? range(0, 1).map(x -> {
                        throw new IllegalStateException("inner 1 broke");
                    })
                    : range(0, 2)).toList())))
                    .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("inner 1 broke");
        }
    }
}
