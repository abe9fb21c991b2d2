package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Sink;
import dev.weft.Stream;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code java.util.concurrent.Flow}, both ways (issue 17): what a user of a reactive library
 * sees. The rules themselves are the Reactive Streams TCK's, run in weft-tck.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlowInteropTest {

    /** A publisher whose subscription records what was asked for; the test delivers by hand. */
    static final class HandPublisher implements Flow.Publisher<Integer>, Flow.Subscription {
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final CompletableFuture<Flow.Subscriber<? super Integer>> subscriber = new CompletableFuture<>();

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> s) {
            s.onSubscribe(this);
            subscriber.complete(s);
        }

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }

        Flow.Subscriber<? super Integer> subscriber() {
            return subscriber.join();
        }
    }

    @Test
    void aSubmissionPublisherFedFromAPlainThreadIsReadInOrderBySequentialCode() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("flow").workers(2).build();
             SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>()) {
            Thread feeder = new Thread(() -> {
                while (publisher.getNumberOfSubscribers() == 0) {
                    Thread.onSpinWait();
                }
                IntStream.range(0, 2_000).forEach(publisher::submit);    // blocks while the stream lags
                publisher.close();
            });
            feeder.start();
            List<Integer> got = rt.run(() -> {
                List<Integer> items = new ArrayList<>();
                for (Integer i : Weft.iterate(Stream.fromPublisher(publisher, 8))) {
                    items.add(i);
                }
                return items;
            });
            assertThat(got).containsExactlyElementsOf(IntStream.range(0, 2_000).boxed().toList());
        }
    }

    @Test
    void theStreamAsksForOneBatchThenForHalfABatchAtATimeAsItIsRead() {
        try (Runtime rt = Runtimes.currentThread("flow")) {
            HandPublisher publisher = new HandPublisher();
            List<Long> requested = rt.run(() -> {
                Stream<Integer> stream = Stream.fromPublisher(publisher, 4);
                List<Long> seen = new ArrayList<>();
                var reader = Weft.spawn(() -> {
                    for (Integer i : Weft.iterate(stream)) {
                        seen.add(publisher.requested.get());
                    }
                });
                Weft.sleep(Duration.ofMillis(20));
                seen.add(publisher.requested.get());                        // before any item
                for (int i = 0; i < 8; i++) {
                    publisher.subscriber().onNext(i);
                    Weft.sleep(Duration.ofMillis(2));
                }
                publisher.subscriber().onComplete();
                reader.join();
                return seen;
            });
            // 4 asked at once; every 2 items read, 2 more: never more than 4 unread
            assertThat(requested).containsExactly(4L, 4L, 6L, 6L, 8L, 8L, 10L, 10L, 12L);
        }
    }

    @Test
    void anErrorEndsTheStreamAfterTheItemsThatCameBeforeIt() {
        try (Runtime rt = Runtimes.currentThread("flow")) {
            HandPublisher publisher = new HandPublisher();
            List<Object> got = rt.run(() -> {
                List<Object> seen = new ArrayList<>();
                var reader = Weft.spawn(() -> {
                    try {
                        for (Integer i : Weft.iterate(Stream.fromPublisher(publisher, 4))) {
                            seen.add(i);
                        }
                    } catch (IllegalStateException e) {
                        seen.add(e.getMessage());
                    }
                });
                Weft.sleep(Duration.ofMillis(10));
                publisher.subscriber().onNext(1);
                publisher.subscriber().onNext(2);
                publisher.subscriber().onError(new IllegalStateException("feed lost"));
                reader.join();
                return seen;
            });
            assertThat(got).containsExactly(1, 2, "feed lost");
        }
    }

    @Test
    void droppingTheStreamEarlyCancelsTheSubscription() {
        try (Runtime rt = Runtimes.currentThread("flow")) {
            HandPublisher publisher = new HandPublisher();
            List<Integer> firstTwo = rt.run(() -> {
                var reader = Weft.spawn(() -> Weft.await(Stream.fromPublisher(publisher, 4).take(2).toList()));
                Weft.sleep(Duration.ofMillis(10));
                for (int i = 0; i < 3; i++) {
                    publisher.subscriber().onNext(i);
                }
                return reader.join();
            });
            assertThat(firstTwo).containsExactly(0, 1);
            assertThat(publisher.cancelled).isTrue();
        }
    }

    @Test
    void aStreamPublishedOnARuntimeIsReadByASubscriberOnAPlainThreadOneRequestAtATime() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("flow").workers(2).build()) {
            Flow.Publisher<String> publisher = Stream.of(1, 2, 3)
                    .map(i -> "tick " + i)
                    .throttle(Duration.ofMillis(5))                         // needs a runtime's timer
                    .toPublisher(rt);
            List<String> signals = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            publisher.subscribe(new Flow.Subscriber<>() {
                Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    signals.add("subscribed on " + (Runtime.find().isPresent() ? "a runtime" : "a plain thread"));
                    s.request(1);
                }

                @Override
                public void onNext(String item) {
                    signals.add(item);
                    subscription.request(1);
                }

                @Override
                public void onError(Throwable e) {
                    done.completeExceptionally(e);
                }

                @Override
                public void onComplete() {
                    signals.add("complete");
                    done.complete(null);
                }
            });
            done.get(10, TimeUnit.SECONDS);
            assertThat(signals).containsExactly("subscribed on a plain thread", "tick 1", "tick 2", "tick 3", "complete");
        }
    }

    @Test
    void aSecondSubscriberIsToldThatAStreamIsReadOnce() throws Exception {
        try (Runtime rt = Runtimes.currentThread("flow")) {
            Flow.Publisher<Integer> publisher = Stream.of(1).toPublisher(rt);
            publisher.subscribe(new Recorder<>());
            Recorder<Integer> second = new Recorder<>();
            publisher.subscribe(second);
            assertThat(second.error.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already has a subscriber")
                    .hasMessageContaining("one publisher per subscriber");
        }
    }

    @Test
    void closingTheRuntimeWithASubscriptionInFlightTellsTheSubscriberAndDropsTheStream() throws Exception {
        Recorder<Integer> subscriber = new Recorder<>();
        AtomicBoolean dropped = new AtomicBoolean();
        Stream<Integer> endless = new Stream<>() {
            @Override
            public dev.weft.Poll<Integer> pollNext(dev.weft.Context cx) {
                return dev.weft.Poll.pending();                             // never an item
            }

            @Override
            public void drop() {
                dropped.set(true);
            }
        };
        Runtime rt = Runtimes.multiThreadBuilder().name("flow").workers(1).build();
        endless.toPublisher(rt).subscribe(subscriber);
        subscriber.subscription.get(5, TimeUnit.SECONDS).request(1);
        Thread.sleep(20);
        rt.close();
        assertThat(subscriber.error.get(5, TimeUnit.SECONDS))
                .isInstanceOf(CancellationException.class).hasMessageContaining("runtime closed");
        assertThat(dropped).isTrue();
    }

    /** A stream that never has an item, and says when it is dropped. */
    static final class Idle implements Stream<Integer> {
        final CompletableFuture<Void> dropped = new CompletableFuture<>();

        @Override
        public dev.weft.Poll<Integer> pollNext(dev.weft.Context cx) {
            return dev.weft.Poll.pending();
        }

        @Override
        public void drop() {
            dropped.complete(null);
        }
    }

    /** Review finding: demand ahead of an idle stream; the subscriber's cancel must still reach the task. */
    @Test
    void cancelWhileTheStreamWaitsForItsNextItemDropsItAtOnce() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("flow").workers(1).build()) {
            Idle idle = new Idle();
            Recorder<Integer> subscriber = new Recorder<>();
            idle.toPublisher(rt).subscribe(subscriber);
            Flow.Subscription s = subscriber.subscription.get(5, TimeUnit.SECONDS);
            s.request(Long.MAX_VALUE);
            Thread.sleep(50);                                          // the task waits in the stream's poll
            s.cancel();
            idle.dropped.get(5, TimeUnit.SECONDS);
            assertThat(subscriber.error).isNotDone();                  // cancelled: no terminal signal
        }
    }

    @Test
    void requestOfZeroWhileTheStreamWaitsIsAnErrorNamingRule39() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("flow").workers(1).build()) {
            Idle idle = new Idle();
            Recorder<Integer> subscriber = new Recorder<>();
            idle.toPublisher(rt).subscribe(subscriber);
            Flow.Subscription s = subscriber.subscription.get(5, TimeUnit.SECONDS);
            s.request(1);
            Thread.sleep(50);
            s.request(0);
            assertThat(subscriber.error.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rule 3.9");
            idle.dropped.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aNullItemIsAnErrorNamingTheRuleNotASilentEnd() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("flow").workers(1).build()) {
            Recorder<Integer> subscriber = new Recorder<>();
            Stream.<Integer>of(1, null, 3).toPublisher(rt).subscribe(subscriber);
            subscriber.subscription.get(5, TimeUnit.SECONDS).request(10);
            assertThat(subscriber.error.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("rule 2.13");
            assertThat(subscriber.items).containsExactly(1);
        }
    }

    @Test
    void aSinkSubscriberPoursAPublisherIntoABoundedChannelAndClosesItAtTheEnd() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("flow").workers(2).build();
             SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>()) {
            List<Integer> got = rt.run(() -> {
                Channel<Integer> ch = Channels.mpsc(2);
                Sink.Subscriber<Integer> subscriber = ch.sender().toSubscriber();
                publisher.subscribe(subscriber);
                Thread feeder = new Thread(() -> {
                    IntStream.range(0, 500).forEach(publisher::submit);
                    publisher.close();
                });
                feeder.start();
                List<Integer> items = new ArrayList<>();
                for (Integer i : ch.receiver()) {                            // ends when the sink closes
                    items.add(i);
                }
                Weft.await(subscriber.done());
                return items;
            });
            assertThat(got).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        }
    }

    @Test
    void aSinkThatFailsCancelsTheSubscriptionAndTheTaskSaysWhy() {
        try (Runtime rt = Runtimes.currentThread("flow")) {
            HandPublisher publisher = new HandPublisher();
            Throwable failure = rt.run(() -> {
                Channel<Integer> ch = Channels.mpsc(1);
                Sink.Subscriber<Integer> subscriber = ch.sender().toSubscriber();
                publisher.subscribe(subscriber);
                ch.receiver().close();                                      // nobody will read
                publisher.subscriber().onNext(7);
                try {
                    subscriber.done().join();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(failure).hasRootCauseInstanceOf(ClosedException.class);
            assertThat(publisher.cancelled).isTrue();
        }
    }

    @Test
    void aPublisherErrorFailsTheSinkSubscriberAfterDeliveringWhatCameBeforeIt() {
        try (Runtime rt = Runtimes.currentThread("flow")) {
            HandPublisher publisher = new HandPublisher();
            List<Object> got = rt.run(() -> {
                Channel<Integer> ch = Channels.mpsc(4);
                Sink.Subscriber<Integer> subscriber = ch.sender().toSubscriber();
                publisher.subscribe(subscriber);
                publisher.subscriber().onNext(1);
                publisher.subscriber().onNext(2);
                publisher.subscriber().onError(new IllegalArgumentException("bad feed"));
                List<Object> seen = new ArrayList<>();
                try {
                    subscriber.done().join();
                } catch (RuntimeException e) {
                    seen.add(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                }
                seen.add(ch.receiver().tryRecv());
                seen.add(ch.receiver().tryRecv());
                seen.add(ch.receiver().isClosed() ? "closed" : "still open");
                return seen;
            });
            assertThat(got).containsExactly("bad feed", 1, 2, "still open");
        }
    }

    @Test
    void toSubscriberOutsideARuntimeSaysWhichRuntimeToName() {
        Channel<Integer> ch = Channels.mpsc(1);
        assertThatThrownBy(() -> ch.sender().toSubscriber()).isInstanceOf(IllegalStateException.class);
    }

    /** A subscriber that records what it is told. */
    static final class Recorder<T> implements Flow.Subscriber<T> {
        final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        final List<T> items = new CopyOnWriteArrayList<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
        }

        @Override
        public void onNext(T item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable e) {
            error.complete(e);
        }

        @Override
        public void onComplete() {
            error.complete(null);
        }
    }
}
