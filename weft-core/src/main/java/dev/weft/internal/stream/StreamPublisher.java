package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Stream;
import dev.weft.Waker;
import dev.weft.spi.Coop;
import dev.weft.spi.Faults;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code Stream.toPublisher(runtime)}: a stream as a {@link Flow.Publisher}. The subscriber gets
 * its subscription at once, on the subscribing thread (any thread: no current runtime is
 * needed); a poll task of the given runtime then reads the stream as far as the subscriber's
 * demand goes and delivers every signal. A stream is read once, so the publisher takes one
 * subscriber; a second one is told so with {@code onError}.
 *
 * <h2>Implementation notes</h2>
 * All signals after {@code onSubscribe} come from the one task, whose polls are ordered, so they
 * are serial (rule 1.3); {@code onSubscribe} returns before the task is spawned. The subscriber's
 * {@code request} and {@code cancel} (any thread, even inside {@code onNext}) only add to
 * {@code demand} or set a flag, then wake the task: no signal is sent from inside them (rule
 * 3.3). The task writes its waker at the start of every poll, before it reads a flag or the
 * demand, so a request, a cancel or a bad request is never missed, whether the task waits for
 * demand or for the stream's next item. A stream whose {@code drop} throws is reported, after
 * the subscriber's terminal signal. The task gives up its thread after {@link Coop}'s budget of items. At the end,
 * and when cancelled, it forgets the subscriber (rule 3.13).
 */
public final class StreamPublisher<T> implements Flow.Publisher<T> {
    private final Stream<T> stream;
    private final Runtime runtime;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    public StreamPublisher(Stream<T> stream, Runtime runtime) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscribe(null): rule 1.9");
        if (!subscribed.compareAndSet(false, true)) {
            refuse(subscriber, new IllegalStateException("this publisher's stream already has a subscriber: a Stream"
                    + " is read once, so make one publisher per subscriber (toPublisher on a fresh stream)"));
            return;
        }
        Delivery<T> delivery = new Delivery<>(stream, subscriber);
        try {
            subscriber.onSubscribe(delivery);
        } catch (Throwable t) {
            Faults.report("a Flow subscriber's onSubscribe", subscriber, t);
            dev.weft.internal.Failures.dropQuietly(stream, "dropping a stream published with toPublisher");
            return;
        }
        try {
            runtime.spawnFuture("publisher of " + dev.weft.internal.TaskDump.describe(stream), delivery);
        } catch (RuntimeException e) {
            delivery.failBeforeStart(e);
        }
    }

    private static <T> void refuse(Flow.Subscriber<? super T> subscriber, Throwable why) {
        try {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override public void request(long n) { }
                @Override public void cancel() { }
            });
            subscriber.onError(why);
        } catch (Throwable t) {
            Faults.report("a Flow subscriber refused by a Weft publisher", subscriber, t);
        }
    }

    @Override
    public String toString() {
        return "publisher(" + dev.weft.internal.TaskDump.describe(stream) + " on " + runtime + ")";
    }

    /** The subscription, and the task's future that delivers to it. */
    static final class Delivery<T> implements Flow.Subscription, Future<Void> {
        private final Stream<T> stream;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicReference<Waker> waker = new AtomicReference<>();
        private volatile boolean cancelled;
        private volatile long badRequest;          // 0, or the n <= 0 asked for (rule 3.9)
        private volatile boolean badRequestSeen;
        private Flow.Subscriber<? super T> subscriber;
        private boolean finished;

        Delivery(Stream<T> stream, Flow.Subscriber<? super T> subscriber) {
            this.stream = stream;
            this.subscriber = subscriber;
        }

        // ------------------------------------------------------------ the subscriber's calls

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = n;
                badRequestSeen = true;
            } else {
                demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);   // rule 3.17
            }
            wake();
        }

        @Override
        public void cancel() {
            cancelled = true;
            wake();
        }

        private void wake() {
            dev.weft.internal.Failures.wakeGuarded(waker.get(), "a Flow subscription's request or cancel");
        }

        // ------------------------------------------------------------ the task

        @Override
        public Poll<Void> poll(Context cx) {
            waker.set(cx.waker());          // first: a cancel or request(0) while the stream is pending must wake us
            while (!finished) {
                if (cancelled) {
                    finish(true);
                    break;
                }
                if (badRequestSeen) {
                    signalError(new IllegalArgumentException("request(" + badRequest + "): rule 3.9 asks for n > 0"), true);
                    break;
                }
                if (demand.get() == 0) {
                    return Poll.pending();      // the waker was written first: a request after this read wakes us
                }
                if (!Coop.proceed(cx)) {
                    return Poll.pending();
                }
                Poll<T> p;
                try {
                    p = stream.pollNext(cx);
                } catch (Throwable e) {
                    signalError(e, false);
                    break;
                }
                if (p.isEnd()) {
                    Flow.Subscriber<? super T> s = subscriber;
                    finish(false);
                    try {
                        s.onComplete();
                    } catch (Throwable t) {
                        Faults.report("a Flow subscriber's onComplete", s, t);
                    }
                    break;
                }
                if (!p.isReady()) {
                    return Poll.pending();
                }
                T item = p.value();
                if (item == null) {
                    signalError(new NullPointerException("the stream yielded null, which Flow forbids (rule 2.13):"
                            + " map null items to a value before toPublisher"), true);
                    break;
                }
                demand.decrementAndGet();
                try {
                    subscriber.onNext(item);
                } catch (Throwable t) {
                    Faults.report("a Flow subscriber's onNext (rule 2.13: it must not throw); the subscription"
                            + " is cancelled", subscriber, t);
                    finish(true);
                    break;
                }
            }
            return Poll.ready(null);
        }

        private void signalError(Throwable e, boolean dropStream) {
            Flow.Subscriber<? super T> s = subscriber;
            finished = true;
            subscriber = null;              // rule 3.13: no reference kept once done
            try {
                s.onError(e);
            } catch (Throwable t) {
                Faults.report("a Flow subscriber's onError", s, t);
            }
            if (dropStream) {
                dev.weft.internal.Failures.dropQuietly(stream, "dropping a stream published with toPublisher");
            }
        }

        private void finish(boolean dropStream) {
            finished = true;
            subscriber = null;              // rule 3.13: no reference kept once done
            if (dropStream) {
                dev.weft.internal.Failures.dropQuietly(stream, "dropping a stream published with toPublisher");
            }
        }

        /** The runtime refused the task (it is closed): the subscriber hears why. */
        void failBeforeStart(RuntimeException why) {
            signalError(new IllegalStateException("the stream's publisher could not start its task: " + why.getMessage(), why), true);
        }

        /** The task was cancelled (its runtime closed) before the end: the subscriber is told. */
        @Override
        public void drop() {
            if (!finished) {
                if (cancelled) {
                    finish(true);
                } else {
                    signalError(new CancellationException("the task publishing the stream was cancelled"
                            + " (its runtime closed?) before the stream ended"), true);
                }
            }
        }

        @Override
        public String toString() {
            return "publishing(" + (finished ? "finished" : "demand " + demand.get()) + ", "
                    + dev.weft.internal.TaskDump.describe(stream) + ")";
        }
    }
}
