package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.Objects;

/**
 * {@link Future#fromPoll}: the first item of an endless poll-function stream
 * ({@link PollFnStream} or {@link SignalPollStream}). Once the item is taken the stream is
 * cancelled, which disarms its timer or deregisters its signal, so a finished future leaves
 * nothing behind and the same signal can serve the next future. One poller at a time;
 * {@link #drop()} is idempotent and any-thread (the stream's is).
 *
 * @param <T> the type of the value
 */
public final class PollFnFuture<T> implements Future<T> {
    private final Stream<T> stream;

    public PollFnFuture(Stream<T> stream) {
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public Poll<T> poll(Context cx) {
        Poll<T> p = stream.pollNext(cx);
        if (p.isReady()) {
            stream.drop();
            return p;
        }
        if (p.isEnd()) {
            throw new IllegalStateException("the poll stream of Future.fromPoll ended without a value");
        }
        return p;
    }

    @Override
    public void drop() {
        stream.drop();
    }

    @Override
    public String toString() {
        return "next(" + dev.weft.internal.TaskDump.describe(stream) + ")";
    }
}
