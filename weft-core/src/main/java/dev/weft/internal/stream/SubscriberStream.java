package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.Waker;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Flow.Subscriber} read as a {@link Stream}: {@code Stream.fromPublisher} (it subscribes
 * to its publisher at the first poll) and the receiving half of {@code Sink.toSubscriber} (a
 * publisher subscribes it directly). The stream's consumer asks for {@code batch} items when the
 * subscription arrives and for more each time half a batch has been taken, so at most
 * {@code batch} items wait here.
 *
 * <h2>Implementation notes</h2>
 * The publisher's signals come from any thread, one at a time (rule 1.3); the consumer is one
 * task. Signals go through a lock-free queue ({@code onNext}) and volatile fields
 * ({@code subscription}, {@code completed}, {@code error}), each followed by a read of the
 * waker; the consumer writes the waker before it reads them, so one of the two sees the other and
 * no signal is missed. Every {@code request} and {@code cancel} is made by the consumer (its polls
 * and {@link #drop()}), never from a signal, so they are serial (rule 2.7) without a lock, and a
 * publisher that delivers synchronously inside {@code request} only adds to the queue. A terminal
 * signal is read before the queue's last look: rule 1.3 orders it after every {@code onNext}.
 * The subscription is set once by compare-and-set (a second {@code onSubscribe}, even a concurrent
 * one, is cancelled: rule 2.5), and taken out once by {@code drop()}'s {@code getAndSet(DONE)},
 * so only one thread ever cancels it.
 */
public final class SubscriberStream<T> implements Stream<T>, Flow.Subscriber<T> {
    private final Flow.Publisher<? extends T> publisher;     // null: subscribed from outside
    private final int batch;
    private final int refill;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Waker> waker = new AtomicReference<>();
    /** The subscription: null before it comes, {@link #DONE} once dropped or ended (then nothing more is taken). */
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private static final Flow.Subscription DONE = new Flow.Subscription() {
        @Override public void request(long n) { }
        @Override public void cancel() { }
    };
    private volatile boolean completed;
    private volatile Throwable error;
    // the consumer's own state
    private boolean subscribeCalled;
    private boolean firstRequestMade;
    private boolean ended;
    private int takenSinceRequest;

    public SubscriberStream(Flow.Publisher<? extends T> publisher, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("a request batch of at least 1 item, got " + batch);
        }
        this.publisher = publisher;
        this.batch = batch;
        this.refill = Math.max(1, batch / 2);
    }

    // ---------------------------------------------------------------- the consumer's side

    @Override
    public Poll<T> pollNext(Context cx) {
        if (ended) {
            return Poll.end();
        }
        waker.set(cx.waker());
        if (!subscribeCalled && publisher != null) {
            subscribeCalled = true;
            publisher.subscribe(this);
        }
        Flow.Subscription s = subscription.get();
        if (s == DONE) {
            s = null;
        }
        if (s != null && !firstRequestMade) {
            firstRequestMade = true;
            s.request(batch);
        }
        T item = queue.poll();
        if (item != null) {
            if (++takenSinceRequest >= refill && s != null) {
                takenSinceRequest = 0;
                s.request(refill);
            }
            return Poll.ready(item);
        }
        Throwable e = error;
        boolean done = e != null || completed;
        if (done) {
            item = queue.poll();                 // items that came before the terminal signal
            if (item != null) {
                return Poll.ready(item);
            }
            ended = true;
            subscription.set(DONE);
            if (e != null) {
                throw rethrowable(e);
            }
            return Poll.end();
        }
        return Poll.pending();
    }

    private static RuntimeException rethrowable(Throwable e) {
        if (e instanceof RuntimeException re) {
            return re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new CompletionException("the Flow publisher signalled " + e, e);
    }

    /** The stream will not be read to its end: the subscription is cancelled, waiting items let go. */
    @Override
    public void drop() {
        Flow.Subscription s = subscription.getAndSet(DONE);   // only the one who takes it out cancels it
        if (s != null && s != DONE) {
            s.cancel();
        }
        ended = true;
        queue.clear();
    }

    // ---------------------------------------------------------------- the publisher's side

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "onSubscribe(null): rule 2.13");
        if (completed || error != null || !subscription.compareAndSet(null, s)) {
            s.cancel();                          // rule 2.5: one subscription at a time (or dropped, or ended)
            return;
        }
        wake();
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "onNext(null): rule 2.13");
        if (subscription.get() != DONE) {        // not dropped (nor ended: no onNext comes after the end)
            queue.add(item);
            wake();
        }
    }

    @Override
    public void onError(Throwable failure) {
        Objects.requireNonNull(failure, "onError(null): rule 2.13");
        error = failure;
        wake();
    }

    @Override
    public void onComplete() {
        completed = true;
        wake();
    }

    private void wake() {
        dev.weft.internal.Failures.wakeGuarded(waker.get(), "a Flow signal to a Weft stream");
    }

    @Override
    public String toString() {
        String state = ended ? "ended" : error != null ? "failed" : completed ? "completing"
                : subscription.get() == null ? (publisher == null || !subscribeCalled ? "not subscribed" : "subscribing")
                : queue.size() + " items waiting";
        return "fromPublisher(" + state + ", batch " + batch + (publisher == null ? "" : ", " + publisher) + ")";
    }
}
