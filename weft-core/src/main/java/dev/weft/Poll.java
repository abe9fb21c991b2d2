package dev.weft;

import java.util.NoSuchElementException;

/**
 * The answer of one {@link Future#poll poll} or {@link Stream#pollNext pollNext}: ready with a
 * value, pending, or (streams only) the end of the stream.
 *
 * <p>The pending and end answers are shared singletons: answering {@link #pending()} allocates
 * nothing, so a future that is polled often while it waits costs no garbage. {@link #ready} of
 * {@code null} is also a shared instance.
 *
 * <p>A {@link Future} answers only {@code ready} or {@code pending}. A {@link Stream} answers
 * {@code ready} for each item, {@code pending} while it waits, and {@link #end()} once, after its
 * last item; a stream's items may be {@code null}, because the end is its own answer.
 *
 * @param <T> the type of the value
 */
public sealed interface Poll<T> permits Poll.Ready, Poll.Pending, Poll.End {

    /** Ready with {@code value} (which may be {@code null}). */
    @SuppressWarnings("unchecked")
    static <T> Poll<T> ready(T value) {
        return value == null ? (Poll<T>) Ready.NULL : new Ready<>(value);
    }

    /** Not ready yet: the poller has arranged for the context's waker to be woken. Never allocates. */
    @SuppressWarnings("unchecked")
    static <T> Poll<T> pending() {
        return (Poll<T>) Pending.INSTANCE;
    }

    /** The end of a stream: no more items will come. Never returned by a {@link Future}. */
    @SuppressWarnings("unchecked")
    static <T> Poll<T> end() {
        return (Poll<T>) End.INSTANCE;
    }

    /** True when this answer carries a value. */
    boolean isReady();

    /** True when the poller must wait for a wake. */
    default boolean isPending() {
        return this instanceof Pending;
    }

    /** True when a stream has ended. */
    default boolean isEnd() {
        return this instanceof End;
    }

    /**
     * The value of a ready answer.
     *
     * @throws NoSuchElementException if this answer is pending or the end
     */
    T value();

    /** Ready with a value. */
    record Ready<T>(T value) implements Poll<T> {
        private static final Ready<Object> NULL = new Ready<>(null);

        @Override
        public boolean isReady() {
            return true;
        }
    }

    /** Pending: the shared instance returned by {@link Poll#pending()}. */
    final class Pending<T> implements Poll<T> {
        private static final Pending<Object> INSTANCE = new Pending<>();

        private Pending() {}

        @Override
        public boolean isReady() {
            return false;
        }

        @Override
        public T value() {
            throw new NoSuchElementException("Poll.pending() has no value: wait for the waker, then poll again");
        }

        @Override
        public String toString() {
            return "Pending";
        }
    }

    /** End of stream: the shared instance returned by {@link Poll#end()}. */
    final class End<T> implements Poll<T> {
        private static final End<Object> INSTANCE = new End<>();

        private End() {}

        @Override
        public boolean isReady() {
            return false;
        }

        @Override
        public T value() {
            throw new NoSuchElementException("Poll.end() has no value: the stream has ended");
        }

        @Override
        public String toString() {
            return "End";
        }
    }
}
