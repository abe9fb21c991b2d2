package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Stream;
import dev.weft.TimedOutException;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stream.timeout and Stream.throttle (issue 17). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PacedStreamTest {
    private static Stream<Integer> slowly(int n, long millisBetween) {
        return Stream.fromIterable(() -> IntStream.range(0, n).iterator())
                .map(i -> Future.sleep(Duration.ofMillis(millisBetween)).map(v -> i))
                .<Integer>buffered(1);
    }

    @Test
    void aStreamThatFallsSilentLongerThanTheLimitTimesOutAndAQuickOneDoesNot() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("paced").workers(2).build()) {
            List<Integer> quick = rt.run(() -> Weft.await(slowly(5, 10).timeout(Duration.ofMillis(500)).toList()));
            assertThat(quick).containsExactly(0, 1, 2, 3, 4);
            List<Integer> seen = new ArrayList<>();
            assertThatThrownBy(() -> rt.run(() -> {
                Stream<Integer> stalls = Stream.merge(Stream.of(1, 2), Stream.fromPoll(() -> null, dev.weft.Backoff.fixed(Duration.ofSeconds(10))));
                for (Integer i : Weft.iterate(stalls.timeout(Duration.ofMillis(150)))) {
                    seen.add(i);
                }
                return null;
            })).hasRootCauseInstanceOf(TimedOutException.class).rootCause().hasMessageContaining("PT0.15S");
            assertThat(seen).containsExactlyInAnyOrder(1, 2);
        }
    }

    @Test
    void throttleSpacesItemsAndDropsNone() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("paced").workers(2).build()) {
            long[] at = new long[5];
            rt.run(() -> {
                long t0 = System.nanoTime();
                int i = 0;
                for (Integer item : Weft.iterate(Stream.of(0, 1, 2, 3, 4).throttle(Duration.ofMillis(50)))) {
                    at[i++] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertThat(item).isEqualTo(i - 1);
                }
                assertThat(i).isEqualTo(5);
                return null;
            });
            for (int i = 1; i < 5; i++) {
                assertThat(at[i] - at[i - 1]).as("gap before item %d, ms", i).isGreaterThanOrEqualTo(45);
            }
        }
    }
}
