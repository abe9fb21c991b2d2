package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.Objects;

/**
 * {@link Stream#take}: the first {@code n} upstream items, then the end. The upstream is
 * cancelled as soon as the n-th item is taken (for {@code n == 0}, at the first poll, without
 * polling it). One poller at a time; {@link #drop()} cancels the upstream.
 *
 * @param <T> the type of the items
 */
public final class TakeStream<T> implements Stream<T> {
    private final Stream<T> upstream;
    private long remaining;
    private boolean upstreamDone;

    public TakeStream(Stream<T> upstream, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("take of a negative count: " + n);
        }
        this.upstream = Objects.requireNonNull(upstream, "stream");
        this.remaining = n;
    }

    @Override
    public Poll<T> pollNext(Context cx) {
        if (upstreamDone) {
            return Poll.end();
        }
        if (remaining == 0) {
            finishUpstream();
            return Poll.end();
        }
        Poll<T> p = upstream.pollNext(cx);
        if (p.isEnd()) {
            upstreamDone = true;
            return p;
        }
        if (p.isReady()) {
            remaining--;
            if (remaining == 0) {
                finishUpstream();
            }
        }
        return p;
    }

    private void finishUpstream() {
        upstreamDone = true;
        upstream.drop();
    }

    @Override
    public void drop() {
        upstream.drop();
    }
}
