package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.Objects;
import java.util.function.Function;

/** {@link Future#map}: applies a function to the inner future's value. */
public final class MapFuture<T, U> implements Future<U> {
    private final Future<T> inner;
    private final Function<? super T, ? extends U> fn;

    public MapFuture(Future<T> inner, Function<? super T, ? extends U> fn) {
        this.inner = Objects.requireNonNull(inner, "future");
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    public Poll<U> poll(Context cx) {
        Poll<T> p = inner.poll(cx);
        if (!p.isReady()) {
            return Poll.pending();
        }
        return Poll.ready(fn.apply(p.value()));
    }

    @Override
    public void drop() {
        inner.drop();
    }

    @Override
    public String toString() {
        return "map(" + dev.weft.internal.TaskDump.describe(inner) + ")";
    }
}
