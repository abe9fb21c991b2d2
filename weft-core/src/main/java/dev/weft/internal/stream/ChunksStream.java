package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link Stream#chunks}: upstream items gathered in lists of {@code size}. A list is emitted when
 * full; at the upstream's end a non-empty remainder is emitted, then the end. Items already
 * gathered are kept across pending polls. One poller at a time; {@link #drop()} cancels the
 * upstream.
 *
 * @param <T> the type of the items
 */
public final class ChunksStream<T> implements Stream<List<T>> {
    private final Stream<T> upstream;
    private final int size;
    private List<T> chunk;
    private boolean ended;

    public ChunksStream(Stream<T> upstream, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + size);
        }
        this.upstream = Objects.requireNonNull(upstream, "stream");
        this.size = size;
        this.chunk = new ArrayList<>(size);
    }

    @Override
    public Poll<List<T>> pollNext(Context cx) {
        if (ended) {
            return Poll.end();
        }
        while (true) {
            Poll<T> p = upstream.pollNext(cx);
            if (p.isEnd()) {
                ended = true;
                return chunk.isEmpty() ? Poll.end() : emit();
            }
            if (!p.isReady()) {
                return Poll.pending();
            }
            chunk.add(p.value());
            if (chunk.size() == size) {
                return emit();
            }
        }
    }

    private Poll<List<T>> emit() {
        List<T> full = chunk;
        chunk = ended ? List.of() : new ArrayList<>(size);
        return Poll.ready(full);
    }

    @Override
    public void drop() {
        upstream.drop();
    }
}
