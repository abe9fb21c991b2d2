package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Sink;
import dev.weft.Stream;
import java.util.Objects;

/**
 * {@link Stream#forward}: pours a stream into a sink with the sink's back-pressure, flushing
 * whenever the stream has nothing ready (so items never wait in the sink for the next one), and
 * closing the sink at the stream's end; ready once closed. At most {@value #MAX_ITEMS_PER_POLL}
 * items per poll, then it yields (wakes itself, answers pending). One item is in hand at most:
 * taken from the stream, waiting for the sink's room. {@link #drop()} drops the stream and
 * leaves the sink open (the item in hand, if any, was not sent).
 *
 * @param <T> the type of the items
 */
public final class ForwardFuture<T> implements Future<Void> {
    static final int MAX_ITEMS_PER_POLL = 128;

    private final Stream<T> stream;
    private final Sink<? super T> sink;
    private boolean holding;
    private T inHand;
    private boolean ended;
    private boolean streamFailed;

    public ForwardFuture(Stream<T> stream, Sink<? super T> sink) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public Poll<Void> poll(Context cx) {
        try {
            return move(cx);
        } catch (RuntimeException | Error e) {
            if (!ended) {
                ended = true;                   // the stream failed, or the sink did: then the stream
                if (!streamFailed) {            // will not be read on, and is dropped (a publisher
                    dev.weft.internal.Failures.dropQuietly(stream, "dropping a stream after its sink failed");
                }                               // behind it hears cancel); the sink's error goes on
            }
            throw e;
        }
    }

    private Poll<Void> move(Context cx) {
        for (int moved = 0; moved < MAX_ITEMS_PER_POLL; moved++) {
            if (holding) {
                if (!sink.pollReady(cx).isReady()) {
                    return Poll.pending();
                }
                T item = inHand;
                holding = false;
                inHand = null;
                sink.startSend(item);
            }
            if (ended) {
                return sink.pollClose(cx);
            }
            Poll<T> p;
            try {
                p = stream.pollNext(cx);
            } catch (RuntimeException | Error e) {
                streamFailed = true;
                throw e;
            }
            if (p.isEnd()) {
                ended = true;
                continue;
            }
            if (!p.isReady()) {
                sink.pollFlush(cx);         // nothing more for now: deliver what was handed in
                return Poll.pending();
            }
            inHand = p.value();
            holding = true;
        }
        cx.waker().wake();
        return Poll.pending();
    }

    @Override
    public void drop() {
        if (!ended) {
            stream.drop();
        }
    }

    @Override
    public String toString() {
        return "forward(" + dev.weft.internal.TaskDump.describe(stream) + " into " + sink
                + (holding ? ", an item waiting for room" : "") + ")";
    }
}
