package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link Stream#unfold}: each item is the value of the future {@code step(source)}; a
 * {@code null} value is the end. The step is called again only after the previous future
 * completed. An exception from the step or its future ends the stream with that error. One
 * poller at a time; {@link #drop()} (idempotent, any thread) cancels the in-flight future.
 *
 * @param <S> the type of the source
 * @param <T> the type of the items
 */
public final class UnfoldStream<S, T> implements Stream<T> {
    private final S source;
    private final Function<? super S, ? extends Future<? extends T>> step;
    private volatile Future<? extends T> inFlight;
    private boolean ended;

    public UnfoldStream(S source, Function<? super S, ? extends Future<? extends T>> step) {
        this.source = source;
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public Poll<T> pollNext(Context cx) {
        if (ended) {
            return Poll.end();
        }
        try {
            Future<? extends T> future = inFlight;
            if (future == null) {
                future = Objects.requireNonNull(step.apply(source), "unfold step returned a null future");
                inFlight = future;
            }
            Poll<? extends T> p = future.poll(cx);
            if (!p.isReady()) {
                return Poll.pending();
            }
            inFlight = null;
            T item = p.value();
            if (item == null) {
                ended = true;
                return Poll.end();
            }
            return Poll.ready(item);
        } catch (RuntimeException | Error e) {
            inFlight = null;
            ended = true;
            throw e;
        }
    }

    @Override
    public void drop() {
        Future<? extends T> future = inFlight;
        if (future != null) {
            inFlight = null;
            future.drop();
        }
    }
}
