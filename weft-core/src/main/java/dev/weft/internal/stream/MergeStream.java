package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import java.util.List;
import java.util.Objects;

/**
 * {@link Stream#merge}: the items of several streams as they come. Each poll polls the live
 * streams round-robin, starting with the stream after the one that delivered last, and returns
 * the first item found: streams that are ready take turns, however many idle ones sit between
 * them (issue 18: moving the start by one per poll gave a ready stream after a run of idle ones
 * one turn in ten). Ended streams are dropped; the merge
 * ends when all have ended (at once for no streams). If one stream throws, the others are
 * cancelled and the exception ends the merge. One poller at a time; {@link #drop()}
 * (idempotent) cancels every live stream.
 *
 * @param <T> the type of the items
 */
public final class MergeStream<T> implements Stream<T> {
    private final Stream<? extends T>[] streams;
    private int live;
    private int start;

    @SuppressWarnings("unchecked")
    public MergeStream(List<? extends Stream<? extends T>> streams) {
        this.streams = streams.toArray(new Stream[0]);
        for (Stream<? extends T> s : this.streams) {
            Objects.requireNonNull(s, "merge of a null stream");
        }
        this.live = this.streams.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<T> pollNext(Context cx) {
        if (live == 0) {
            return Poll.end();
        }
        int n = streams.length;
        int first = start;
        for (int i = 0; i < n; i++) {
            int index = (first + i) % n;
            Stream<? extends T> stream = streams[index];
            if (stream == null) {
                continue;
            }
            Poll<? extends T> p;
            try {
                p = stream.pollNext(cx);
            } catch (RuntimeException | Error e) {
                streams[index] = null;
                live--;
                drop();
                throw e;
            }
            if (p.isReady()) {
                start = (index + 1) % n;   // the next poll begins after the stream that delivered
                return (Poll<T>) p;
            }
            if (p.isEnd()) {
                streams[index] = null;
                live--;
            }
        }
        return live == 0 ? Poll.end() : Poll.pending();
    }

    @Override
    public void drop() {
        for (int i = 0; i < streams.length; i++) {
            Stream<? extends T> stream = streams[i];
            if (stream != null) {
                streams[i] = null;
                live--;
                stream.drop();
            }
        }
    }
}
