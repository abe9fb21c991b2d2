package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.TimedOutException;
import java.time.Duration;

/**
 * {@link Future#timeout}: a {@link SelectFuture} of the future and a sleep. A discarded value is
 * {@linkplain Future#release released} to the future, so a resource future keeps its guarantee
 * under a deadline.
 */
public final class TimeoutFuture<T> implements Future<T> {
    private final Future<T> inner;
    private final Duration limit;
    private final SelectFuture<T, Void> race;

    public TimeoutFuture(Future<T> inner, Duration limit) {
        this.inner = inner;
        this.limit = limit;
        this.race = new SelectFuture<>(inner, Future.sleep(limit));
    }

    @Override
    public Poll<T> poll(Context cx) {
        Poll<Either<T, Void>> p = race.poll(cx);
        if (!p.isReady()) {
            return Poll.pending();
        }
        return switch (p.value()) {
            case Either.First<T, Void> first -> Poll.ready(first.value());
            case Either.Second<T, Void> second -> throw new TimedOutException("timed out after " + limit);
        };
    }

    @Override
    public void drop() {
        race.drop();
    }

    @Override
    public void release(T value) {
        inner.release(value);
    }

    /** {@code timeout(<inner>, sleep(100 ms, 42 ms left))}, for task dumps. */
    @Override
    public String toString() {
        return "timeout" + race.toString().substring("select".length());
    }
}
