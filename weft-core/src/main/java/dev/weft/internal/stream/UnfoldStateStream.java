package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link Stream#unfoldState}: the step's future answers a {@link Stream.Step} — an item and the
 * next state, or the end. The step is called with the next state only after the previous
 * future completed. An exception from the step or its future ends the stream with that error.
 * One poller at a time; {@link #drop()} (idempotent, any thread) cancels the in-flight future.
 *
 * @param <S> the type of the state
 * @param <T> the type of the items
 */
public final class UnfoldStateStream<S, T> implements Stream<T> {
    private final Function<? super S, ? extends Future<Stream.Step<S, T>>> step;
    private S state;
    private volatile Future<Stream.Step<S, T>> inFlight;
    private boolean ended;

    public UnfoldStateStream(S initial, Function<? super S, ? extends Future<Stream.Step<S, T>>> step) {
        this.state = initial;
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public Poll<T> pollNext(Context cx) {
        if (ended) {
            return Poll.end();
        }
        try {
            Future<Stream.Step<S, T>> future = inFlight;
            if (future == null) {
                future = Objects.requireNonNull(step.apply(state), "unfoldState step returned a null future");
                inFlight = future;
            }
            Poll<Stream.Step<S, T>> p = future.poll(cx);
            if (!p.isReady()) {
                return Poll.pending();
            }
            inFlight = null;
            Stream.Step<S, T> next = Objects.requireNonNull(p.value(), "unfoldState step completed with null");
            if (next.isEnd()) {
                ended = true;
                return Poll.end();
            }
            state = next.next();
            return Poll.ready(next.item());
        } catch (RuntimeException | Error e) {
            inFlight = null;
            ended = true;
            throw e;
        }
    }

    @Override
    public void drop() {
        Future<Stream.Step<S, T>> future = inFlight;
        if (future != null) {
            inFlight = null;
            future.drop();
        }
    }
}
