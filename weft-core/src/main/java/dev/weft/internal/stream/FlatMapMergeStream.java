package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link Stream#flatMapMerge}: each item of the outer stream becomes an inner stream; up to
 * {@code limit} inner streams are polled at once and their items merged as they come. Inner
 * streams take turns as in {@link MergeStream} (the next poll starts after the one that
 * delivered). The outer stream is polled only while fewer than {@code limit} inner streams are
 * live. Ends when the outer stream and every inner one have ended. An error from any of them, or
 * from the mapping function, drops the others and ends this stream; {@link #drop()} drops all.
 * One poller at a time.
 *
 * @param <T> the outer items' type
 * @param <U> the merged items' type
 */
public final class FlatMapMergeStream<T, U> implements Stream<U> {
    private final Stream<T> outer;
    private final int limit;
    private final Function<? super T, ? extends Stream<? extends U>> fn;
    private final List<Stream<? extends U>> inner = new ArrayList<>();
    private boolean outerEnded;
    private int start;

    public FlatMapMergeStream(Stream<T> outer, int limit, Function<? super T, ? extends Stream<? extends U>> fn) {
        if (limit < 1) {
            throw new IllegalArgumentException("flatMapMerge needs a limit of at least 1, got " + limit);
        }
        this.outer = Objects.requireNonNull(outer, "outer");
        this.limit = limit;
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<U> pollNext(Context cx) {
        try {
            while (!outerEnded && inner.size() < limit) {
                Poll<T> p = outer.pollNext(cx);
                if (p.isEnd()) {
                    outerEnded = true;
                } else if (p.isReady()) {
                    inner.add(Objects.requireNonNull(fn.apply(p.value()), "flatMapMerge's function returned null"));
                } else {
                    break;
                }
            }
            int n = inner.size();
            for (int i = 0; i < n && !inner.isEmpty(); i++) {
                int index = (start + i) % inner.size();
                Poll<? extends U> p = inner.get(index).pollNext(cx);
                if (p.isReady()) {
                    start = (index + 1) % inner.size();
                    return (Poll<U>) p;
                }
                if (p.isEnd()) {
                    inner.remove(index);
                    if (!outerEnded) {
                        cx.waker().wake();      // room for another inner stream: poll the outer one again
                        return Poll.pending();
                    }
                    i--;
                    n--;
                    if (!inner.isEmpty()) {
                        start = index % inner.size();
                    }
                }
            }
            return outerEnded && inner.isEmpty() ? Poll.end() : Poll.pending();
        } catch (RuntimeException | Error e) {
            drop();
            throw e;
        }
    }

    @Override
    public void drop() {
        for (Stream<? extends U> s : inner) {
            s.drop();
        }
        inner.clear();
        if (!outerEnded) {
            outerEnded = true;
            outer.drop();
        }
    }

    @Override
    public String toString() {
        return "flatMapMerge(" + inner.size() + " of " + limit + " inner streams live, " + dev.weft.internal.TaskDump.describe(outer) + ")";
    }
}
