package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * {@link Stream#fold} (and so {@code toList}, {@code forEach}): drains a stream into an
 * accumulator, ready with it at the stream's end. After {@value #MAX_ITEMS_PER_POLL} items in one
 * poll it wakes its waker and answers pending, so an always-ready stream cannot starve the other
 * tasks of its thread. An error from the stream is the result; if the fold function throws, the
 * stream is cancelled first. One poller at a time; {@link #drop()} cancels the stream.
 *
 * @param <T> the type of the items
 * @param <A> the type of the accumulator
 */
public final class FoldFuture<T, A> implements Future<A> {
    static final int MAX_ITEMS_PER_POLL = 128;

    private final Stream<T> stream;
    private final BiFunction<A, ? super T, A> fn;
    private A accumulator;

    public FoldFuture(Stream<T> stream, A initial, BiFunction<A, ? super T, A> fn) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.fn = Objects.requireNonNull(fn, "fn");
        this.accumulator = initial;
    }

    @Override
    public Poll<A> poll(Context cx) {
        for (int taken = 0; taken < MAX_ITEMS_PER_POLL; taken++) {
            Poll<T> p = stream.pollNext(cx);
            if (p.isEnd()) {
                return Poll.ready(accumulator);
            }
            if (!p.isReady()) {
                return Poll.pending();
            }
            accumulate(p.value());
        }
        cx.waker().wake();
        return Poll.pending();
    }

    private void accumulate(T item) {
        try {
            accumulator = fn.apply(accumulator, item);
        } catch (RuntimeException | Error e) {
            stream.drop();
            throw e;
        }
    }

    @Override
    public void drop() {
        stream.drop();
    }

    @Override
    public String toString() {
        return "fold(" + dev.weft.internal.TaskDump.describe(stream) + ")";
    }
}
