package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.stream.AdaptiveBackoff;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {
    private static final long MS = 1_000_000L;

    @Test
    void fixedIsAlwaysTheSame() {
        Backoff b = Backoff.fixed(Duration.ofMillis(7));
        assertThat(b.delayNanos(1)).isEqualTo(7 * MS);
        assertThat(b.delayNanos(1000)).isEqualTo(7 * MS);
        assertThatThrownBy(() -> Backoff.fixed(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exponentialDoublesUpToMax() {
        Backoff b = Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(10));
        assertThat(b.delayNanos(1)).isEqualTo(MS);
        assertThat(b.delayNanos(2)).isEqualTo(2 * MS);
        assertThat(b.delayNanos(3)).isEqualTo(4 * MS);
        assertThat(b.delayNanos(4)).isEqualTo(8 * MS);
        assertThat(b.delayNanos(5)).isEqualTo(10 * MS);
        assertThat(b.delayNanos(64)).isEqualTo(10 * MS);
        assertThat(b.delayNanos(Integer.MAX_VALUE)).isEqualTo(10 * MS);
    }

    @Test
    void exponentialStartsOverAfterAnItem() {
        Backoff b = Backoff.exponential(Duration.ofMillis(1), Duration.ofSeconds(1));
        assertThat(b.delayNanos(6)).isEqualTo(32 * MS);
        b.onItem(System.nanoTime());
        assertThat(b.delayNanos(1)).as("the poller counts misses from 1 again").isEqualTo(MS);
    }

    @Test
    void exponentialValidatesItsBounds() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min must be positive");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(2), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least min");
    }

    @Test
    void adaptiveWarmsUpExponentially() {
        AtomicLong now = new AtomicLong();
        Backoff b = new AdaptiveBackoff(now::get);
        assertThat(b.delayNanos(1)).isEqualTo(MS);
        assertThat(b.delayNanos(2)).isEqualTo(2 * MS);
        assertThat(b.delayNanos(10)).isEqualTo(50 * MS);
        b.onItem(0);
        assertThat(b.delayNanos(1)).as("one item gives no interval yet").isEqualTo(MS);
    }

    @Test
    void adaptiveAimsAtTheNextItem() {
        AtomicLong now = new AtomicLong();
        Backoff b = new AdaptiveBackoff(now::get);
        for (long t = 0; t <= 20 * MS; t += 5 * MS) {
            b.onItem(t);
        }
        // next item due at 25 ms; the first wait ends one step (1 ms) before it
        now.set(20 * MS);
        assertThat(b.delayNanos(1)).isEqualTo(4 * MS);
        now.set(22 * MS);
        assertThat(b.delayNanos(1)).isEqualTo(2 * MS);
        now.set(24_500_000L);
        assertThat(b.delayNanos(1)).as("never below the timer resolution").isEqualTo(MS);
        // then short steps while the item is late
        now.set(26 * MS);
        assertThat(b.delayNanos(2)).isEqualTo(MS);
        now.set(29 * MS);
        assertThat(b.delayNanos(5)).isEqualTo(MS);
    }

    @Test
    void adaptiveStepsScaleWithTheInterval() {
        AtomicLong now = new AtomicLong();
        Backoff b = new AdaptiveBackoff(now::get);
        for (long t = 0; t <= 400 * MS; t += 80 * MS) {
            b.onItem(t);
        }
        now.set(400 * MS);
        assertThat(b.delayNanos(1)).isEqualTo(70 * MS);
        now.set(481 * MS);
        assertThat(b.delayNanos(2)).isEqualTo(10 * MS);
    }

    @Test
    void adaptiveBacksOffToOneSecondWhenItemsStop() {
        AtomicLong now = new AtomicLong();
        Backoff b = new AdaptiveBackoff(now::get);
        for (long t = 0; t <= 20 * MS; t += 5 * MS) {
            b.onItem(t);
        }
        long previous = 0;
        int misses = 1;
        now.set(20 * MS);
        while (now.get() < 10_000 * MS) {
            long delay = b.delayNanos(misses);
            assertThat(delay).isBetween(MS, 1000 * MS);
            if (now.get() > 40 * MS) {
                assertThat(delay).as("growing once the source seems stopped").isGreaterThanOrEqualTo(previous);
            }
            previous = delay;
            now.addAndGet(delay);
            misses++;
        }
        assertThat(previous).isEqualTo(1000 * MS);
        assertThat(misses).as("few polls for ten silent seconds").isLessThan(40);

        b.onItem(now.get());
        now.addAndGet(MS);
        assertThat(b.delayNanos(1)).as("an item brings the short delays back").isLessThan(1000 * MS);
    }

    /**
     * Simulates a poller on a source with a steady rhythm and a timer that fires up to 1 ms late:
     * every item after warm-up is seen within about max(1 ms, interval / 8) + 1 ms of its arrival
     * (5% slack for the learned interval), with few empty polls.
     */
    @ParameterizedTest
    @ValueSource(longs = {2, 3, 5, 8, 10, 16, 33, 100, 400})
    void adaptiveSeesItemsWithinTheDocumentedBound(long intervalMs) {
        long interval = intervalMs * MS;
        long bound = Math.max(MS, interval / 8) + MS;
        for (long seed = 0; seed < 20; seed++) {
            long[] result = simulate(interval, new SplittableRandom(seed));
            long worstLatency = result[0];
            double emptyPollsPerItem = result[1] / (double) SIMULATED_ITEMS;
            assertThat(worstLatency).as("worst latency, seed %d", seed).isLessThanOrEqualTo(bound + bound / 20);
            assertThat(emptyPollsPerItem).as("empty polls per item, seed %d", seed).isLessThan(4.0);
        }
    }

    private static final int SIMULATED_ITEMS = 300;

    /** Items every {@code interval} from a random phase; timer up to 1 ms late. Returns {worst latency, empty polls}. */
    private static long[] simulate(long interval, SplittableRandom random) {
        AtomicLong now = new AtomicLong();
        Backoff b = new AdaptiveBackoff(now::get);
        long phase = random.nextLong(interval);
        int misses = 0;
        long emptyPolls = 0;
        long worst = 0;
        int nextItem = 0;
        while (nextItem < SIMULATED_ITEMS) {
            long arrival = phase + nextItem * interval;
            if (arrival <= now.get()) {
                if (nextItem >= 20) {
                    worst = Math.max(worst, now.get() - arrival);
                }
                b.onItem(now.get());
                misses = 0;
                nextItem++;
                continue;
            }
            misses++;
            emptyPolls++;
            long timerLateness = random.nextLong(MS + 1);
            now.addAndGet(b.delayNanos(misses) + timerLateness);
        }
        return new long[] {worst, emptyPolls};
    }
}
