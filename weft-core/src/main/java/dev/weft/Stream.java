package dev.weft;

import dev.weft.internal.stream.ChunksStream;
import dev.weft.internal.stream.FilterStream;
import dev.weft.internal.stream.FoldFuture;
import dev.weft.internal.stream.IterableStream;
import dev.weft.internal.stream.MapStream;
import dev.weft.internal.stream.MergeStream;
import dev.weft.internal.stream.PollFnStream;
import dev.weft.internal.stream.SignalPollStream;
import dev.weft.internal.stream.TakeStream;
import dev.weft.internal.stream.UnfoldStateStream;
import dev.weft.internal.stream.UnfoldStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A lazy, poll-driven sequence of items: the asynchronous {@link java.util.Iterator}. Each
 * {@link #pollNext(Context)} answers {@link Poll#ready ready} with the next item (which may be
 * {@code null}), {@link Poll#pending() pending} (the context's waker will be woken), or
 * {@link Poll#end() end} once, after the last item. A poll that throws ends the stream with that
 * error. Like {@link Future}, a stream runs on any runtime.
 *
 * {@snippet class="dev.weft.snippets.StreamSnippets" region="cameras"}
 *
 * <p>Making one: {@link #of}, {@link #fromIterable}, {@link #unfold} (a state and an async step),
 * {@link #fromPoll} (a non-blocking poll function and a {@link PollTrigger}: a {@link Backoff}
 * or a {@link WakeSignal}), {@link #merge}.
 * Adapting: {@link #map}, {@link #filter}, {@link #take}, {@link #chunks}. Consuming: in a
 * sequential task {@code for (T item : Weft.iterate(stream))}; as a future {@link #forEach},
 * {@link #toList}, {@link #fold}.
 *
 * <p>{@link #drop()} is the cleanup hook, called when the stream will not be polled to its end
 * (Java has no drop): it releases timers and upstream streams; idempotent and non-blocking.
 *
 * @param <T> the type of the items
 */
@FunctionalInterface
public interface Stream<T> {

    /** Advances the stream: the next item, pending, or the end. */
    Poll<T> pollNext(Context cx);

    /** Cleanup hook: the stream will not be polled to its end. The default does nothing. */
    default void drop() { }

    // ---------------------------------------------------------------- constructors

    /** A stream of the given items, then the end. */
    @SafeVarargs
    static <T> Stream<T> of(T... items) {
        return new IterableStream<>(java.util.Arrays.asList(items.clone()));
    }

    /** A stream that ends at once. */
    static <T> Stream<T> empty() {
        return cx -> Poll.end();
    }

    /** The items of {@code items}, in iteration order, then the end. Iterated lazily, one item per poll. */
    static <T> Stream<T> fromIterable(Iterable<? extends T> items) {
        return new IterableStream<>(items);
    }

    /**
     * A stream from an object and an async step: each item is the value of the future that
     * {@code step} makes from {@code source}; the stream ends when that value is {@code null}.
     * The step is called again only after the previous future completed.
     * {@snippet class="dev.weft.snippets.StreamSnippets" region="unfold"}
     */
    static <S, T> Stream<T> unfold(S source, Function<? super S, ? extends Future<? extends T>> step) {
        return new UnfoldStream<>(source, step);
    }

    /**
     * A stream from an immutable state and an async step that returns the next item and the next
     * state, or {@link Step#end()}.
     */
    static <S, T> Stream<T> unfoldState(S initial, Function<? super S, ? extends Future<Step<S, T>>> step) {
        return new UnfoldStateStream<>(initial, step);
    }

    /**
     * A stream from a non-blocking poll function, for C libraries and devices that only offer
     * "is there something now?". {@code tryNext} returns the next item, or {@code null} when
     * nothing is ready; then {@code trigger} decides when it is called again:
     * <ul>
     *   <li>a {@link Backoff}: after the backoff's delay, on the current runtime's timer (the
     *       thread runs other tasks meanwhile);</li>
     *   <li>a {@link WakeSignal}: when the source calls {@link WakeSignal#signal()}, from any
     *       thread (a native callback, a listener); no timer, and no signal is lost.</li>
     * </ul>
     * Endless until dropped; an exception from {@code tryNext} ends it with that error. The
     * trigger belongs to this stream.
     * {@snippet class="dev.weft.snippets.StreamSnippets" region="cameras"}
     *
     * @param tryNext the poll function: an item, or null for "nothing now"; never blocks
     * @param trigger what makes the stream poll again after {@code null}
     */
    static <T> Stream<T> fromPoll(Supplier<? extends T> tryNext, PollTrigger trigger) {
        return fromPoll(tryNext, () -> true, trigger);
    }

    /**
     * {@link #fromPoll(Supplier, PollTrigger)} that ends once {@code isOpen} is false and
     * {@code tryNext} has nothing more ({@code isOpen} is read before each {@code tryNext}, so an
     * item produced just before the source closed is still delivered).
     *
     * @param tryNext the poll function: an item, or null for "nothing now"; never blocks
     * @param isOpen  false once the source will produce nothing more
     * @param trigger what makes the stream poll again after {@code null}
     */
    static <T> Stream<T> fromPoll(Supplier<? extends T> tryNext, BooleanSupplier isOpen, PollTrigger trigger) {
        java.util.Objects.requireNonNull(trigger, "trigger");
        return switch (trigger) {
            case Backoff backoff -> new PollFnStream<>(tryNext, isOpen, backoff);
            case WakeSignal signal -> new SignalPollStream<>(tryNext, isOpen, signal);
        };
    }

    /**
     * The items of all {@code streams} as they come, polled fairly (the first stream polled
     * rotates); ends when all have ended; an error from one drops the others and ends the
     * merged stream with it.
     */
    static <T> Stream<T> merge(List<? extends Stream<? extends T>> streams) {
        return new MergeStream<>(streams);
    }

    /** {@link #merge(List)} of the arguments. */
    @SafeVarargs
    static <T> Stream<T> merge(Stream<? extends T>... streams) {
        return new MergeStream<>(List.of(streams));
    }

    /**
     * A {@link java.util.concurrent.Flow.Publisher} (Reactive Streams: a reactive library's
     * {@code Flux}, the JDK's {@code SubmissionPublisher}, an HTTP body) as a stream. It
     * subscribes at the first poll and asks for {@link java.util.concurrent.Flow#defaultBufferSize()}
     * items; see {@link #fromPublisher(java.util.concurrent.Flow.Publisher, int)}.
     */
    static <T> Stream<T> fromPublisher(java.util.concurrent.Flow.Publisher<? extends T> publisher) {
        return fromPublisher(publisher, java.util.concurrent.Flow.defaultBufferSize());
    }

    /**
     * A {@link java.util.concurrent.Flow.Publisher} as a stream, with back-pressure: it subscribes
     * at the first poll, asks for {@code batch} items, and for more each time half a batch has
     * been read, so at most {@code batch} items wait unread. {@code onError} ends the stream with
     * that error (after the items that came before it); dropping the stream cancels the
     * subscription. One consumer. {@snippet :
     * for (Quote q : Weft.iterate(Stream.fromPublisher(quotes, 32))) {   // a Flow.Publisher<Quote>
     *     book.apply(q);
     * }
     * }
     */
    static <T> Stream<T> fromPublisher(java.util.concurrent.Flow.Publisher<? extends T> publisher, int batch) {
        return new dev.weft.internal.stream.SubscriberStream<>(Objects.requireNonNull(publisher, "publisher"), batch);
    }

    /**
     * This stream's items and {@code other}'s as they come, polled fairly (which of the two is
     * polled first alternates); {@link #merge(List)} for two. Named {@code mergeWith}, not
     * {@code merge}: an instance {@code merge(Stream)} would make {@code Stream.merge(oneStream)}
     * a compile error.
     */
    default Stream<T> mergeWith(Stream<? extends T> other) {
        return new MergeStream<>(List.of(this, Objects.requireNonNull(other, "other")));
    }

    // ---------------------------------------------------------------- adapters

    /** Each item passed through {@code fn}. */
    default <U> Stream<U> map(Function<? super T, ? extends U> fn) {
        return new MapStream<>(this, fn);
    }

    /** Only the items that match {@code keep}. */
    default Stream<T> filter(Predicate<? super T> keep) {
        return new FilterStream<>(this, keep);
    }

    /** The first {@code n} items, then the end; this stream is dropped once the n-th item is taken. */
    default Stream<T> take(long n) {
        return new TakeStream<>(this, n);
    }

    /**
     * Items gathered in lists of {@code size}; the last list may be shorter (never empty). A list
     * is emitted when full or at the end.
     */
    default Stream<List<T>> chunks(int size) {
        return new ChunksStream<>(this, size);
    }

    // ---------------------------------------------------------------- consumers

    /** A future that folds every item into an accumulator, ready at the end with the result. */
    default <A> Future<A> fold(A initial, BiFunction<A, ? super T, A> fn) {
        return new FoldFuture<>(this, initial, fn);
    }

    /** A future that collects every item, ready at the end with the list. */
    default Future<List<T>> toList() {
        return fold((List<T>) new ArrayList<T>(), (list, item) -> {
            list.add(item);
            return list;
        });
    }

    /**
     * Maps each item to a stream and merges up to {@code n} of those streams at once, their items
     * as they come (inner streams take turns). The next item of this stream is taken only when
     * fewer than {@code n} inner streams are live. Ends when this stream and every inner one have
     * ended; an error from any ends it and drops the rest.
     */
    default <U> Stream<U> flatMapMerge(int n, Function<? super T, ? extends Stream<? extends U>> fn) {
        return new dev.weft.internal.stream.FlatMapMergeStream<>(this, n, fn);
    }

    /**
     * This stream with an idle timeout: if no item (nor the end) comes for {@code limit} while
     * the stream is polled, the stream is dropped and the poll throws {@link TimedOutException}.
     * The clock restarts at every item.
     */
    default Stream<T> timeout(java.time.Duration limit) {
        return dev.weft.internal.stream.PacedStream.timeout(this, limit);
    }

    /**
     * This stream at most one item per {@code interval}: after each item the next waits until
     * {@code interval} has passed since it. Items are delayed, never dropped.
     */
    default Stream<T> throttle(java.time.Duration interval) {
        return dev.weft.internal.stream.PacedStream.throttle(this, interval);
    }

    /**
     * For a stream of futures: runs up to {@code n} of them at once and yields their results in
     * the stream's order. Each future runs as a poll task of the current runtime from the moment
     * it is taken, so the buffer keeps making progress while the consumer awaits something else
     * between items (a future polled only by the consumer would stall then). A future that fails
     * ends the stream with its error and cancels the others; dropping the stream cancels those in
     * flight. {@snippet :
     * Stream<Page> pages = urls.map(url -> fetch(url)).buffered(8);   // 8 fetches at a time, in order
     * }
     *
     * @param <U> the futures' result type
     * @throws IllegalArgumentException (from the stream) if an item is not a {@link Future}
     */
    default <U> Stream<U> buffered(int n) {
        return new dev.weft.internal.stream.BufferedStream<>(this, n, true);
    }

    /** {@link #buffered}, yielding results in the order the futures complete. */
    default <U> Stream<U> bufferUnordered(int n) {
        return new dev.weft.internal.stream.BufferedStream<>(this, n, false);
    }

    /**
     * A future that pours this stream into {@code sink}, with the sink's back-pressure: each item
     * waits for the sink's room, the sink is flushed whenever the stream has nothing ready, and
     * closed at the stream's end. Ready once the sink is closed; fails with the stream's or the
     * sink's error. Dropping it drops the stream and leaves the sink open.
     */
    default Future<Void> forward(Sink<? super T> sink) {
        return new dev.weft.internal.stream.ForwardFuture<>(this, sink);
    }

    /**
     * This stream as a {@link java.util.concurrent.Flow.Publisher}, read by a poll task of
     * {@code runtime} as far as the subscriber's demand goes. Subscribers call in from any thread
     * (no current runtime needed): {@code onSubscribe} comes at once on the subscribing thread,
     * every other signal from the task. A stream is read once, so the publisher takes one
     * subscriber (a second is refused with {@code onError}); {@code cancel} drops the stream; a
     * {@code null} item or the stream's error ends the subscription with {@code onError}; if the
     * runtime closes first, the subscriber gets a {@code CancellationException}. (A current-thread
     * runtime delivers only while its thread drives it: for subscribers on other threads, give a
     * runtime with workers.) {@snippet :
     * Flow.Publisher<Event> events = Stream.fromIterable(log).map(Event::parse).toPublisher(runtime);
     * events.subscribe(reactiveLibrarySubscriber);
     * }
     */
    default java.util.concurrent.Flow.Publisher<T> toPublisher(Runtime runtime) {
        return new dev.weft.internal.stream.StreamPublisher<>(this, runtime);
    }

    /** A future that hands every item to {@code action}, ready at the end. */
    default Future<Void> forEach(Consumer<? super T> action) {
        return fold((Void) null, (none, item) -> {
            action.accept(item);
            return null;
        });
    }

    /**
     * One step of {@link #unfoldState}: an item and the next state, or the end.
     *
     * @param <S> the state type
     * @param <T> the item type
     */
    final class Step<S, T> {
        private static final Step<Object, Object> END = new Step<>(null, null, true);
        private final T item;
        private final S next;
        private final boolean end;

        private Step(T item, S next, boolean end) {
            this.item = item;
            this.next = next;
            this.end = end;
        }

        /** Emit {@code item}, continue from {@code next}. */
        public static <S, T> Step<S, T> of(T item, S next) {
            return new Step<>(item, next, false);
        }

        /** End the stream. */
        @SuppressWarnings("unchecked")
        public static <S, T> Step<S, T> end() {
            return (Step<S, T>) END;
        }

        public T item() {
            return item;
        }

        public S next() {
            return next;
        }

        public boolean isEnd() {
            return end;
        }
    }
}
