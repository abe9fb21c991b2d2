package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.Iterator;
import java.util.Objects;

/**
 * {@link Stream#of} and {@link Stream#fromIterable}: the items of an {@link Iterable}, one per
 * poll, then the end (answered again on every later poll). The iterator is created at the first
 * poll; items may be {@code null}. Never pending. One poller at a time; nothing to cancel.
 *
 * @param <T> the type of the items
 */
public final class IterableStream<T> implements Stream<T> {
    private final Iterable<? extends T> items;
    private Iterator<? extends T> iterator;
    private boolean ended;

    public IterableStream(Iterable<? extends T> items) {
        this.items = Objects.requireNonNull(items, "items");
    }

    @Override
    public Poll<T> pollNext(Context cx) {
        if (ended) {
            return Poll.end();
        }
        if (iterator == null) {
            iterator = items.iterator();
        }
        if (!iterator.hasNext()) {
            ended = true;
            iterator = null;
            return Poll.end();
        }
        return Poll.ready(iterator.next());
    }
}
