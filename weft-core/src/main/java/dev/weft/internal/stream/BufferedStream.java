package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Stream;
import dev.weft.Task;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;

/**
 * {@link Stream#buffered} and {@link Stream#bufferUnordered}: up to {@code limit} of a stream's
 * futures run at once, each as a poll task of the runtime current at the poll that took it from
 * the stream, so they make progress while the consumer is busy elsewhere (seed 004, "Barbara
 * battles buffered streams": futures polled only by the consumer's own polls stall while it
 * awaits something else between items). Ordered: results in the stream's order; unordered: in
 * the order they complete.
 *
 * <p>A future that fails ends this stream with its error, and the others in flight are
 * cancelled; {@link #drop()} cancels those in flight and drops the stream. One consumer at a time.
 *
 * @param <U> the type of the futures' results
 */
public final class BufferedStream<U> implements Stream<U> {
    private final Stream<?> source;
    private final int limit;
    private final boolean ordered;
    private final ArrayDeque<Task<U>> inFlight = new ArrayDeque<>();
    private boolean sourceEnded;

    public BufferedStream(Stream<?> source, int limit, boolean ordered) {
        if (limit < 1) {
            throw new IllegalArgumentException("a buffer of at least 1 future, got " + limit);
        }
        this.source = Objects.requireNonNull(source, "source");
        this.limit = limit;
        this.ordered = ordered;
    }

    @Override
    public Poll<U> pollNext(Context cx) {
        try {
            fill(cx);
            if (ordered) {
                Task<U> head = inFlight.peekFirst();
                if (head != null) {
                    Poll<U> p = head.poll(cx);
                    if (p.isReady()) {
                        inFlight.pollFirst();
                        return p;
                    }
                    return Poll.pending();
                }
            } else {
                for (Iterator<Task<U>> it = inFlight.iterator(); it.hasNext(); ) {
                    Task<U> t = it.next();
                    Poll<U> p = t.poll(cx);
                    if (p.isReady()) {
                        it.remove();
                        fill(cx);                          // its place goes to the next future at once
                        return p;
                    }
                }
            }
            return sourceEnded && inFlight.isEmpty() ? Poll.end() : Poll.pending();
        } catch (RuntimeException | Error e) {
            cancelInFlight();
            throw e;
        }
    }

    /** Takes futures from the source while there is room, spawning each. */
    @SuppressWarnings("unchecked")
    private void fill(Context cx) {
        while (!sourceEnded && inFlight.size() < limit) {
            Poll<?> p = source.pollNext(cx);
            if (p.isEnd()) {
                sourceEnded = true;
                return;
            }
            if (!p.isReady()) {
                return;
            }
            Object item = p.value();
            if (!(item instanceof Future<?> f)) {
                throw new IllegalArgumentException("buffered/bufferUnordered need a stream of futures, got "
                        + (item == null ? "null" : item.getClass().getName()) + ": map the items to futures first");
            }
            inFlight.addLast(Runtime.current().spawnFuture((Future<U>) f));
        }
    }

    private void cancelInFlight() {
        for (Task<U> t : inFlight) {
            t.cancel();
        }
        inFlight.clear();
    }

    @Override
    public void drop() {
        cancelInFlight();
        if (!sourceEnded) {
            source.drop();
        }
    }

    @Override
    public String toString() {
        return (ordered ? "buffered(" : "bufferUnordered(") + inFlight.size() + " of " + limit + " in flight, "
                + dev.weft.internal.TaskDump.describe(source) + ")";
    }
}
