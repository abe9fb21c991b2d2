package dev.weft.tck.flow;

import dev.weft.Runtime;
import dev.weft.Sink;
import dev.weft.Stream;
import dev.weft.Weft;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** What the Flow TCK runs share: timeouts for a loaded two-core machine, and the subjects. */
final class FlowTck {
    /** How long the TCK waits for a signal that must come. */
    static final long TIMEOUT_MILLIS = 2_000;
    /** How long it waits to see that no signal comes (each negative check costs this much). */
    static final long NO_SIGNAL_MILLIS = 100;
    static final long GC_TIMEOUT_MILLIS = 2_000;
    /** The bridges' request batch: small, so the TCK sees several requests. */
    static final int BATCH = 4;

    private FlowTck() { }

    /**
     * The subscriber of {@code Stream.fromPublisher}: a stream over a publisher that only
     * remembers who subscribed, read to its end by a task of {@code runtime}; the TCK then acts
     * as the publisher.
     */
    static Flow.Subscriber<Long> streamSubscriber(Runtime runtime) {
        CompletableFuture<Flow.Subscriber<? super Long>> subscribed = new CompletableFuture<>();
        Flow.Publisher<Long> recorder = subscribed::complete;
        Stream<Long> stream = Stream.fromPublisher(recorder, BATCH);
        runtime.spawn(() -> {
            try {
                for (Long ignored : Weft.iterate(stream)) {
                    // read to the end: the subscriber's demand comes from here
                }
            } catch (RuntimeException expected) {
                // the TCK's onError ends the stream with it
            }
        });
        return cast(join(subscribed));
    }

    /**
     * The subscriber of {@code Sink.toSubscriber}: into a bounded channel's sender, whose
     * receiver a task of {@code runtime} drains (the channel's back-pressure is the sink's).
     */
    static Sink.Subscriber<Long> sinkSubscriber(Runtime runtime) {
        Channel<Long> channel = Channels.mpsc(BATCH);
        runtime.spawn(() -> {
            for (Long ignored : channel.receiver()) {
                // drained until the sender closes
            }
        });
        return channel.sender().toSubscriber(runtime, BATCH);
    }

    @SuppressWarnings("unchecked")
    private static Flow.Subscriber<Long> cast(Flow.Subscriber<? super Long> s) {
        return (Flow.Subscriber<Long>) s;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the stream never subscribed: " + e, e);
        }
    }
}
