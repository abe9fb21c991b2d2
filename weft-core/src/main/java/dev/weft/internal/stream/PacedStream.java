package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.TimedOutException;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link Stream#timeout} and {@link Stream#throttle}, both a {@link Future#sleep} polled beside
 * the stream. Timeout: the clock runs while the stream is pending, from its first pending poll
 * to the next item; if it rings, the stream is dropped and the poll throws
 * {@link TimedOutException}. Throttle: after each item the next waits until {@code interval} has
 * passed since it (items are delayed, never dropped). One consumer at a time.
 *
 * @param <T> the type of the items
 */
public final class PacedStream<T> implements Stream<T> {
    private final Stream<T> source;
    private final Duration interval;
    private final boolean throttle;
    private Future<Void> clock;
    private boolean ended;

    private PacedStream(Stream<T> source, Duration interval, boolean throttle) {
        this.source = Objects.requireNonNull(source, "source");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException((throttle ? "a throttle interval" : "a timeout") + " must be positive, got " + interval);
        }
        this.interval = interval;
        this.throttle = throttle;
    }

    public static <T> Stream<T> timeout(Stream<T> source, Duration limit) {
        return new PacedStream<>(source, Objects.requireNonNull(limit, "limit"), false);
    }

    public static <T> Stream<T> throttle(Stream<T> source, Duration interval) {
        return new PacedStream<>(source, Objects.requireNonNull(interval, "interval"), true);
    }

    @Override
    public Poll<T> pollNext(Context cx) {
        if (throttle && clock != null) {
            if (!clock.poll(cx).isReady()) {
                return Poll.pending();
            }
            clock = null;
        }
        Poll<T> p = source.pollNext(cx);
        if (p.isEnd()) {
            ended = true;
            stopClock();
            return p;
        }
        if (p.isReady()) {
            stopClock();
            if (throttle) {
                clock = Future.sleep(interval);
                clock.poll(cx);               // starts now, at this item
            }
            return p;
        }
        if (!throttle) {
            if (clock == null) {
                clock = Future.sleep(interval);
            }
            if (clock.poll(cx).isReady()) {
                clock = null;
                ended = true;
                source.drop();
                throw new TimedOutException("no item from the stream for " + interval + " (Stream.timeout): "
                        + dev.weft.internal.TaskDump.describe(source));
            }
        }
        return Poll.pending();
    }

    private void stopClock() {
        Future<Void> c = clock;
        if (c != null) {
            clock = null;
            c.drop();
        }
    }

    @Override
    public void drop() {
        stopClock();
        if (!ended) {
            source.drop();
        }
    }

    @Override
    public String toString() {
        return (throttle ? "throttle(" : "timeout(") + interval + ", " + dev.weft.internal.TaskDump.describe(source) + ")";
    }
}
