package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link Stream#map}: each upstream item passed through a function; pending and the end pass
 * through. If the function throws, the upstream is cancelled and the exception ends this stream.
 * One poller at a time; {@link #drop()} cancels the upstream.
 *
 * @param <T> the upstream item type
 * @param <U> the item type
 */
public final class MapStream<T, U> implements Stream<U> {
    private final Stream<T> upstream;
    private final Function<? super T, ? extends U> fn;

    public MapStream(Stream<T> upstream, Function<? super T, ? extends U> fn) {
        this.upstream = Objects.requireNonNull(upstream, "stream");
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    public Poll<U> pollNext(Context cx) {
        Poll<T> p = upstream.pollNext(cx);
        if (p.isEnd()) {
            return Poll.end();
        }
        if (!p.isReady()) {
            return Poll.pending();
        }
        U mapped;
        try {
            mapped = fn.apply(p.value());
        } catch (RuntimeException | Error e) {
            upstream.drop();
            throw e;
        }
        return Poll.ready(mapped);
    }

    @Override
    public void drop() {
        upstream.drop();
    }
}
