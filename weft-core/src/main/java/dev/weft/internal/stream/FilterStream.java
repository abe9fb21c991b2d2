package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * {@link Stream#filter}: only the upstream items that match a predicate. A poll skips
 * non-matching items in a loop; after {@value #MAX_SKIPS_PER_POLL} of them in one poll it wakes
 * its waker and answers pending, so a long run of rejected items cannot starve other tasks. If
 * the predicate throws, the upstream is cancelled and the exception ends this stream. One poller
 * at a time; {@link #drop()} cancels the upstream.
 *
 * @param <T> the type of the items
 */
public final class FilterStream<T> implements Stream<T> {
    static final int MAX_SKIPS_PER_POLL = 128;

    private final Stream<T> upstream;
    private final Predicate<? super T> keep;

    public FilterStream(Stream<T> upstream, Predicate<? super T> keep) {
        this.upstream = Objects.requireNonNull(upstream, "stream");
        this.keep = Objects.requireNonNull(keep, "predicate");
    }

    @Override
    public Poll<T> pollNext(Context cx) {
        for (int skipped = 0; skipped < MAX_SKIPS_PER_POLL; skipped++) {
            Poll<T> p = upstream.pollNext(cx);
            if (!p.isReady()) {
                return p;
            }
            if (matches(p.value())) {
                return p;
            }
        }
        cx.waker().wake();
        return Poll.pending();
    }

    private boolean matches(T item) {
        try {
            return keep.test(item);
        } catch (RuntimeException | Error e) {
            upstream.drop();
            throw e;
        }
    }

    @Override
    public void drop() {
        upstream.drop();
    }
}
