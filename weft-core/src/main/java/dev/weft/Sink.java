package dev.weft;

import java.util.Objects;
import java.util.function.Function;

/**
 * Where items go, with back-pressure: the poll trait dual to {@link Stream} (seed 003: "Sink is
 * not implemented by websockets", and a library written once against the standard traits). A
 * channel's sender ({@code dev.weft.sync.Sender}) is one; a framed connection's write half is
 * one ({@code dev.weft.io.Framed#sink()}); {@link #with} adapts one; {@link Stream#forward}
 * pours a stream into one.
 *
 * <p>The protocol, for poll code: {@link #pollReady} until ready (the sink can take one item),
 * then {@link #startSend} with the item; {@link #pollFlush} until ready to see every item handed
 * in delivered; {@link #pollClose} at the end (it flushes first). Sequential code calls
 * {@link #send}, {@link #flush} and {@link #close}, which park the task; poll code may also use
 * {@link #sendFuture}, {@link #flushFuture} and {@link #closeFuture}.
 *
 * {@snippet :
 * Sink<String> lines = framed.sink().with(String::strip);   // a sink of lines, stripped on the way
 * lines.send("hello ");                                      // parks while the peer is slow
 * Weft.await(requests.forward(lines));                        // a stream into it, then closed
 * }
 *
 * <p>A sink belongs to one task at a time (its poll methods keep the item in hand between
 * {@code startSend} and the flush); a channel sender handle used as a sink is no exception:
 * {@code clone()} one per producer. An item given to {@code startSend} is the sink's: a failure
 * later (a closed peer, a closed receiver) says so through the next poll, never silently.
 *
 * @param <T> the type of the items
 */
public interface Sink<T> {

    /**
     * Ready when the sink can take one item; pending (the context's waker will be woken) while it
     * is full. Throws if the sink failed or is closed.
     */
    Poll<Void> pollReady(Context cx);

    /**
     * Hands {@code item} to the sink. Call it only after {@link #pollReady} answered ready, once
     * per ready.
     *
     * @throws IllegalStateException if the sink was not ready
     */
    void startSend(T item);

    /** Ready once every item handed in has been delivered (written out, in the channel). */
    Poll<Void> pollFlush(Context cx);

    /** Flushes, then closes the sink: ready once closed. Idempotent once ready. */
    Poll<Void> pollClose(Context cx);

    /** A future that sends {@code item}: waits for room, hands it in, and flushes. Lazy. */
    default Future<Void> sendFuture(T item) {
        Sink<T> sink = this;
        return new Future<>() {
            private boolean handedIn;

            @Override
            public Poll<Void> poll(Context cx) {
                if (!handedIn) {
                    if (!sink.pollReady(cx).isReady()) {
                        return Poll.pending();          // not handed in: cancelling now sends nothing
                    }
                    sink.startSend(item);
                    handedIn = true;
                }
                return sink.pollFlush(cx);
            }

            @Override
            public String toString() {
                return "send(" + (handedIn ? "flushing" : "waiting for room") + ", " + sink + ")";
            }
        };
    }

    /** {@link #pollFlush} as a future. */
    default Future<Void> flushFuture() {
        return this::pollFlush;
    }

    /** {@link #pollClose} as a future. */
    default Future<Void> closeFuture() {
        return this::pollClose;
    }

    /** Sends {@code item} and flushes, parking the task while the sink is full or flushing. */
    default void send(T item) {
        Weft.await(sendFuture(item));
    }

    /** Flushes, parking the task until every item handed in is delivered. */
    default void flush() {
        Weft.await(flushFuture());
    }

    /** Flushes and closes, parking the task until done. */
    default void close() {
        Weft.await(closeFuture());
    }

    /**
     * A sink of {@code U} that maps each item with {@code mapper} and hands it to this one
     * (readiness, flush and close are this sink's). The mapping runs in {@code startSend}; an
     * exception it throws fails that call and hands nothing in.
     */
    default <U> Sink<U> with(Function<? super U, ? extends T> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        Sink<T> inner = this;
        return new Sink<>() {
            @Override
            public Poll<Void> pollReady(Context cx) {
                return inner.pollReady(cx);
            }

            @Override
            public void startSend(U item) {
                inner.startSend(mapper.apply(item));
            }

            @Override
            public Poll<Void> pollFlush(Context cx) {
                return inner.pollFlush(cx);
            }

            @Override
            public Poll<Void> pollClose(Context cx) {
                return inner.pollClose(cx);
            }

            @Override
            public String toString() {
                return "with(" + inner + ")";
            }
        };
    }

    /**
     * A {@link java.util.concurrent.Flow.Subscriber} that pours what a publisher sends into this
     * sink, driven by a poll task of the current runtime. See {@link #toSubscriber(Runtime, int)}.
     *
     * @throws IllegalStateException if no runtime is current
     */
    default Subscriber<T> toSubscriber() {
        return toSubscriber(Runtime.current(), java.util.concurrent.Flow.defaultBufferSize());
    }

    /**
     * A {@link java.util.concurrent.Flow.Subscriber} that pours what a publisher sends into this
     * sink, with the sink's back-pressure: a poll task of {@code runtime} asks for {@code batch}
     * items, hands each to the sink as it has room, asks for more as half a batch is sent,
     * flushes whenever nothing is waiting, and closes the sink on {@code onComplete}.
     * {@link Subscriber#done()} is that task: it fails with the publisher's error (the sink is
     * then left open) or the sink's (the subscription is then cancelled); cancelling it cancels
     * the subscription. {@snippet :
     * Sink.Subscriber<String> lines = framed.sink().toSubscriber();
     * publisher.subscribe(lines);
     * Weft.await(lines.done());               // the publisher completed, the connection closed
     * }
     */
    default Subscriber<T> toSubscriber(Runtime runtime, int batch) {
        Objects.requireNonNull(runtime, "runtime");
        dev.weft.internal.stream.SubscriberStream<T> items = new dev.weft.internal.stream.SubscriberStream<>(null, batch);
        Task<Void> task = runtime.spawnFuture("subscriber into " + this, items.forward(this));
        return new Subscriber<>() {
            @Override
            public Task<Void> done() {
                return task;
            }

            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                items.onSubscribe(subscription);
            }

            @Override
            public void onNext(T item) {
                items.onNext(item);
            }

            @Override
            public void onError(Throwable failure) {
                items.onError(failure);
            }

            @Override
            public void onComplete() {
                items.onComplete();
            }

            @Override
            public String toString() {
                return "subscriber(" + items + " into " + Sink.this + ")";
            }
        };
    }

    /**
     * A {@link java.util.concurrent.Flow.Subscriber} feeding a sink ({@link #toSubscriber}), with
     * the task that feeds it.
     *
     * @param <T> the type of the items
     */
    interface Subscriber<T> extends java.util.concurrent.Flow.Subscriber<T> {
        /** The task feeding the sink: done when the sink is closed after {@code onComplete}. */
        Task<Void> done();
    }
}
