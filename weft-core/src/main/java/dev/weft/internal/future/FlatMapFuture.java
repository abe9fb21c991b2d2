package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.Objects;
import java.util.function.Function;

/** {@link Future#then}: the first future, then the future made from its value. One poller at a time. */
public final class FlatMapFuture<T, U> implements Future<U> {
    private final Future<T> first;
    private final Function<? super T, ? extends Future<? extends U>> next;
    private Future<? extends U> second;

    public FlatMapFuture(Future<T> first, Function<? super T, ? extends Future<? extends U>> next) {
        this.first = Objects.requireNonNull(first, "future");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<U> poll(Context cx) {
        if (second == null) {
            Poll<T> p = first.poll(cx);
            if (!p.isReady()) {
                return Poll.pending();
            }
            second = Objects.requireNonNull(next.apply(p.value()), "then(...) returned a null future");
        }
        return (Poll<U>) second.poll(cx);
    }

    @Override
    public void drop() {
        Future<? extends U> s = second;
        if (s != null) {
            s.drop();
        } else {
            first.drop();
        }
    }

    @Override
    public String toString() {
        Future<? extends U> s = second;
        return s == null ? "then(" + dev.weft.internal.TaskDump.describe(first) + ")" : "then(done, now " + dev.weft.internal.TaskDump.describe(s) + ")";
    }
}
