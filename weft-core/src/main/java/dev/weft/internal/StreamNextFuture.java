package dev.weft.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;

/** The next answer of a stream (an item or the end) as a future; cancelling it cancels the stream. */
public final class StreamNextFuture<T> implements Future<Poll<T>> {
    private final Stream<T> stream;

    public StreamNextFuture(Stream<T> stream) {
        this.stream = stream;
    }

    @Override
    public Poll<Poll<T>> poll(Context cx) {
        Poll<T> p = stream.pollNext(cx);
        return p.isPending() ? Poll.pending() : Poll.ready(p);
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
