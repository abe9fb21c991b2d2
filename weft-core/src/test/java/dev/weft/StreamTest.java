package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.stream.PollFnStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class StreamTest {
    private final AtomicInteger wakes = new AtomicInteger();
    private final Context cx = new Context(() -> wakes.incrementAndGet());

    // ---------------------------------------------------------------- helpers

    /** Polls until the end; fails on pending. */
    private <T> List<T> drain(Stream<T> stream) {
        List<T> items = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Poll<T> p = stream.pollNext(cx);
            if (p.isEnd()) {
                return items;
            }
            assertThat(p.isPending()).as("unexpected pending after %s", items).isFalse();
            items.add(p.value());
        }
        throw new AssertionError("stream did not end");
    }

    /** Polls a future by hand until ready, at most {@code maxPolls} times. */
    private <T> T await(Future<T> future, int maxPolls) {
        for (int i = 0; i < maxPolls; i++) {
            Poll<T> p = future.poll(cx);
            if (p.isReady()) {
                return p.value();
            }
        }
        throw new AssertionError("future not ready after " + maxPolls + " polls");
    }

    /** A stream of {@code item(i)} for i = 0, 1, ... (ends when item returns null), recording polls and cancels. */
    private static final class RecordingStream<T> implements Stream<T> {
        private final IntFunction<T> item;
        int polls;
        int cancels;

        RecordingStream(IntFunction<T> item) {
            this.item = item;
        }

        @Override
        public Poll<T> pollNext(Context cx) {
            T next = item.apply(polls);
            polls++;
            return next == null ? Poll.end() : Poll.ready(next);
        }

        @Override
        public void drop() {
            cancels++;
        }
    }

    /** A future that answers pending once (waking the waker at once), then ready with its value. */
    private static final class PendingOnceFuture<T> implements Future<T> {
        private final T value;
        private boolean polledOnce;
        int cancels;

        PendingOnceFuture(T value) {
            this.value = value;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (!polledOnce) {
                polledOnce = true;
                cx.waker().wake();
                return Poll.pending();
            }
            return Poll.ready(value);
        }

        @Override
        public void drop() {
            cancels++;
        }
    }

    /** Pending on every other poll (waking at once), otherwise the items of a list, then the end. */
    private static <T> Stream<T> stuttering(List<T> items) {
        Iterator<T> it = items.iterator();
        AtomicInteger polls = new AtomicInteger();
        return cx -> {
            boolean evenPoll = polls.getAndIncrement() % 2 == 0;
            if (evenPoll) {
                cx.waker().wake();
                return Poll.pending();
            }
            return it.hasNext() ? Poll.ready(it.next()) : Poll.end();
        };
    }

    // ---------------------------------------------------------------- constructors

    @Test
    void ofYieldsItemsThenEndAgainAndAgain() {
        Stream<String> s = Stream.of("a", "b");
        assertThat(s.pollNext(cx).value()).isEqualTo("a");
        assertThat(s.pollNext(cx).value()).isEqualTo("b");
        assertThat(s.pollNext(cx).isEnd()).isTrue();
        assertThat(s.pollNext(cx).isEnd()).isTrue();
        assertThat(wakes).hasValue(0);
    }

    @Test
    void nullItemIsReadyAndDistinctFromEnd() {
        Stream<String> s = Stream.of("a", null, "b");
        assertThat(s.pollNext(cx).value()).isEqualTo("a");
        Poll<String> nullItem = s.pollNext(cx);
        assertThat(nullItem.isReady()).isTrue();
        assertThat(nullItem.isEnd()).isFalse();
        assertThat(nullItem.value()).isNull();
        assertThat(s.pollNext(cx).value()).isEqualTo("b");
        assertThat(s.pollNext(cx)).isSameAs(Poll.end());
    }

    @Test
    void ofCopiesItsArray() {
        String[] items = {"a", "b"};
        Stream<String> s = Stream.of(items);
        items[0] = "changed";
        assertThat(drain(s)).containsExactly("a", "b");
    }

    @Test
    void fromIterableIsLazy() {
        AtomicInteger iterators = new AtomicInteger();
        Iterable<Integer> items = () -> {
            iterators.incrementAndGet();
            return List.of(1, 2, 3).iterator();
        };
        Stream<Integer> s = Stream.fromIterable(items);
        assertThat(iterators).hasValue(0);
        assertThat(drain(s)).containsExactly(1, 2, 3);
        assertThat(iterators).hasValue(1);
    }

    @Test
    void emptyEndsAtOnce() {
        Stream<Object> s = Stream.empty();
        assertThat(s.pollNext(cx).isEnd()).isTrue();
        assertThat(s.pollNext(cx).isEnd()).isTrue();
    }

    @Test
    void errorFromPollNextPropagates() {
        Stream<Integer> failing = cx -> {
            throw new IllegalStateException("device lost");
        };
        assertThatThrownBy(() -> failing.map(x -> x + 1).pollNext(cx)).hasMessage("device lost");
        assertThatThrownBy(() -> failing.toList().poll(cx)).hasMessage("device lost");
        assertThatThrownBy(() -> Stream.merge(failing).pollNext(cx)).hasMessage("device lost");
    }

    // ---------------------------------------------------------------- adapters

    @Test
    void mapTransformsItemsAndPassesPendingThrough() {
        assertThat(drain(Stream.of(1, 2, 3).map(x -> x * 10))).containsExactly(10, 20, 30);

        Stream<String> mapped = stuttering(List.of(1, 2)).map(String::valueOf);
        assertThat(mapped.pollNext(cx).isPending()).isTrue();
        assertThat(mapped.pollNext(cx).value()).isEqualTo("1");
        assertThat(wakes).hasValue(1);
    }

    @Test
    void mapFailureCancelsUpstream() {
        RecordingStream<Integer> upstream = new RecordingStream<>(i -> i);
        Stream<Integer> mapped = upstream.map(x -> {
            throw new ArithmeticException("bad item " + x);
        });
        assertThatThrownBy(() -> mapped.pollNext(cx)).hasMessage("bad item 0");
        assertThat(upstream.cancels).isEqualTo(1);
    }

    @Test
    void filterKeepsMatchingItems() {
        assertThat(drain(Stream.of(1, 2, 3, 4, 5, 6).filter(x -> x % 2 == 0))).containsExactly(2, 4, 6);
        assertThat(drain(Stream.of(1, 3).filter(x -> x % 2 == 0))).isEmpty();
    }

    @Test
    void filterYieldsAfterManyRejectedItems() {
        RecordingStream<Integer> odd = new RecordingStream<>(i -> 2 * i + 1);
        Stream<Integer> evens = odd.filter(x -> x % 2 == 0);
        assertThat(evens.pollNext(cx).isPending()).isTrue();
        assertThat(wakes).as("a cooperative yield wakes its own task").hasValue(1);
        assertThat(odd.polls).isGreaterThan(1).isLessThan(10_000);
    }

    @Test
    void takeStopsAfterNAndCancelsUpstream() {
        RecordingStream<Integer> upstream = new RecordingStream<>(i -> i);
        Stream<Integer> firstThree = upstream.take(3);
        assertThat(firstThree.pollNext(cx).value()).isEqualTo(0);
        assertThat(firstThree.pollNext(cx).value()).isEqualTo(1);
        assertThat(upstream.cancels).isZero();
        assertThat(firstThree.pollNext(cx).value()).isEqualTo(2);
        assertThat(upstream.cancels).as("cancelled once the n-th item is taken").isEqualTo(1);
        assertThat(firstThree.pollNext(cx).isEnd()).isTrue();
        assertThat(firstThree.pollNext(cx).isEnd()).isTrue();
        assertThat(upstream.polls).isEqualTo(3);
        assertThat(upstream.cancels).isEqualTo(1);
    }

    @Test
    void takeZeroNeverPollsUpstream() {
        RecordingStream<Integer> upstream = new RecordingStream<>(i -> i);
        Stream<Integer> none = upstream.take(0);
        assertThat(none.pollNext(cx).isEnd()).isTrue();
        assertThat(upstream.polls).isZero();
        assertThat(upstream.cancels).isEqualTo(1);
    }

    @Test
    void takeMoreThanAvailableEndsWithUpstream() {
        assertThat(drain(Stream.of(1, 2).take(5))).containsExactly(1, 2);
    }

    @Test
    void takeRejectsNegativeCount() {
        assertThatThrownBy(() -> Stream.of(1).take(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunksEmitFullListsThenRemainder() {
        assertThat(drain(Stream.of(1, 2, 3, 4, 5).chunks(2)))
                .containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
        assertThat(drain(Stream.of(1, 2, 3, 4).chunks(2))).containsExactly(List.of(1, 2), List.of(3, 4));
        assertThat(drain(Stream.<Integer>empty().chunks(3))).isEmpty();
        assertThat(drain(Stream.of(1, 2).chunks(1))).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void chunksKeepPartialListAcrossPending() {
        Stream<List<Integer>> chunks = stuttering(List.of(1, 2, 3)).chunks(2);
        assertThat(chunks.pollNext(cx).isPending()).isTrue();
        assertThat(chunks.pollNext(cx).isPending()).isTrue();
        assertThat(chunks.pollNext(cx).value()).containsExactly(1, 2);
        assertThat(chunks.pollNext(cx).isPending()).isTrue();
        assertThat(chunks.pollNext(cx).isPending()).isTrue();
        assertThat(chunks.pollNext(cx).value()).containsExactly(3);
        assertThat(chunks.pollNext(cx).isEnd()).isTrue();
    }

    @Test
    void chunksRejectSizeBelowOne() {
        assertThatThrownBy(() -> Stream.of(1).chunks(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- unfold

    @Test
    void unfoldWithReadySteps() {
        AtomicInteger counter = new AtomicInteger();
        Stream<Integer> s = Stream.unfold(counter, c -> Future.ready(c.get() < 3 ? c.incrementAndGet() : null));
        assertThat(drain(s)).containsExactly(1, 2, 3);
        assertThat(s.pollNext(cx).isEnd()).isTrue();
    }

    @Test
    void unfoldWaitsForPendingStepAndCallsStepOncePerItem() {
        AtomicInteger steps = new AtomicInteger();
        Stream<Integer> s = Stream.unfold("source", src -> {
            int n = steps.incrementAndGet();
            return new PendingOnceFuture<>(n <= 2 ? n : null);
        });
        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(wakes).hasValue(1);
        assertThat(s.pollNext(cx).value()).isEqualTo(1);
        assertThat(steps).hasValue(1);
        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(s.pollNext(cx).value()).isEqualTo(2);
        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(s.pollNext(cx).isEnd()).isTrue();
        assertThat(steps).hasValue(3);
        assertThat(wakes).hasValue(3);
    }

    @Test
    void unfoldCancelCancelsInFlightFuture() {
        PendingOnceFuture<Integer> inFlight = new PendingOnceFuture<>(1);
        Stream<Integer> s = Stream.unfold("source", src -> inFlight);
        assertThat(s.pollNext(cx).isPending()).isTrue();
        s.drop();
        s.drop();
        assertThat(inFlight.cancels).isEqualTo(1);
    }

    @Test
    void unfoldStateCountsDown() {
        Stream<String> s = Stream.unfoldState(3, n -> Future.ready(n == 0 ? Stream.Step.end() : Stream.Step.of("n" + n, n - 1)));
        assertThat(drain(s)).containsExactly("n3", "n2", "n1");
        assertThat(s.pollNext(cx).isEnd()).isTrue();
    }

    @Test
    void unfoldStateWaitsForPendingSteps() {
        List<Integer> states = new ArrayList<>();
        Stream<Integer> s = Stream.unfoldState(1, n -> {
            states.add(n);
            Stream.Step<Integer, Integer> step = n > 4 ? Stream.Step.end() : Stream.Step.of(n, n * 2);
            return new PendingOnceFuture<>(step);
        });
        List<Integer> items = new ArrayList<>();
        int pendings = 0;
        for (Poll<Integer> p = s.pollNext(cx); !p.isEnd(); p = s.pollNext(cx)) {
            if (p.isPending()) {
                pendings++;
            } else {
                items.add(p.value());
            }
        }
        assertThat(items).containsExactly(1, 2, 4);
        assertThat(states).containsExactly(1, 2, 4, 8);
        assertThat(pendings).isEqualTo(4);
        assertThat(wakes).hasValue(4);
    }

    // ---------------------------------------------------------------- merge

    @Test
    void mergeYieldsAllItemsAndEndsWhenAllEnd() {
        Stream<Integer> merged = Stream.merge(Stream.of(1, 2, 3), Stream.<Integer>empty(), stuttering(List.of(10, 20)));
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Poll<Integer> p = merged.pollNext(cx);
            if (p.isEnd()) {
                break;
            }
            if (p.isReady()) {
                items.add(p.value());
            }
        }
        assertThat(items).containsExactlyInAnyOrder(1, 2, 3, 10, 20);
        assertThat(merged.pollNext(cx).isEnd()).isTrue();
    }

    @Test
    void mergeOfNothingEndsAtOnce() {
        assertThat(Stream.merge(List.<Stream<Integer>>of()).pollNext(cx).isEnd()).isTrue();
    }

    @Test
    void mergeIsFairBetweenAlwaysReadyStreams() {
        RecordingStream<String> left = new RecordingStream<>(i -> "L" + i);
        RecordingStream<String> right = new RecordingStream<>(i -> "R" + i);
        Stream<String> merged = Stream.merge(left, right);
        List<String> firstFour = List.of(
                merged.pollNext(cx).value(), merged.pollNext(cx).value(),
                merged.pollNext(cx).value(), merged.pollNext(cx).value());
        assertThat(firstFour).anyMatch(s -> s.startsWith("L")).anyMatch(s -> s.startsWith("R"));
        assertThat(left.polls).isEqualTo(2);
        assertThat(right.polls).isEqualTo(2);
    }

    /** Issue 17: {@code a.mergeWith(b)} takes turns between two always-ready streams, and ends when both have. */
    @Test
    void mergeWithTakesTurnsAndEndsWhenBothHave() {
        RecordingStream<String> left = new RecordingStream<>(i -> "L" + i);
        Stream<String> merged = left.take(3).mergeWith(Stream.of("R0", "R1"));
        List<String> all = new java.util.ArrayList<>();
        for (Poll<String> p = merged.pollNext(cx); !p.isEnd(); p = merged.pollNext(cx)) {
            all.add(p.value());
        }
        assertThat(all).containsExactlyInAnyOrder("L0", "L1", "L2", "R0", "R1");
        assertThat(all.subList(0, 4)).as("turns, not one stream drained first").filteredOn(s -> s.startsWith("R")).hasSize(2);
    }

    /** Issue 18: two ready streams among eight idle ones share the merge evenly, wherever they sit. */
    @Test
    void mergeIsFairBetweenReadyStreamsWhateverSitsBetweenThem() {
        for (int[] at : new int[][] {{0, 1}, {0, 9}, {3, 7}}) {
            List<Stream<String>> streams = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                streams.add(cx -> Poll.pending());         // idle
            }
            streams.set(at[0], new RecordingStream<>(i -> "A"));
            streams.set(at[1], new RecordingStream<>(i -> "B"));
            Stream<String> merged = Stream.merge(streams);
            int a = 0;
            for (int i = 0; i < 1_000; i++) {
                if (merged.pollNext(cx).value().equals("A")) {
                    a++;
                }
            }
            assertThat(a).as("items from A out of 1,000, ready streams at %d and %d", at[0], at[1]).isEqualTo(500);
        }
    }

    @Test
    void mergeErrorCancelsTheOthers() {
        RecordingStream<Integer> ended = new RecordingStream<>(i -> null);
        Stream<Integer> failing = cx -> {
            throw new IllegalStateException("boom");
        };
        RecordingStream<Integer> live = new RecordingStream<>(i -> i);
        Stream<Integer> merged = Stream.merge(ended, failing, live);
        assertThatThrownBy(() -> merged.pollNext(cx)).hasMessage("boom");
        assertThat(live.cancels).isEqualTo(1);
        assertThat(live.polls).as("not polled after the error").isZero();
        assertThat(ended.cancels).as("an ended stream is not cancelled").isZero();
    }

    @Test
    void mergeCancelCancelsLiveStreams() {
        RecordingStream<Integer> a = new RecordingStream<>(i -> i);
        RecordingStream<Integer> b = new RecordingStream<>(i -> i);
        Stream<Integer> merged = Stream.merge(a, b);
        merged.pollNext(cx);
        merged.drop();
        merged.drop();
        assertThat(a.cancels).isEqualTo(1);
        assertThat(b.cancels).isEqualTo(1);
    }

    // ---------------------------------------------------------------- consumers

    @Test
    void toListCollectsEverything() {
        assertThat(await(Stream.of(1, null, 3).toList(), 1)).containsExactly(1, null, 3);
        assertThat(await(Stream.empty().toList(), 1)).isEmpty();
    }

    @Test
    void toListWaitsThroughPending() {
        Future<List<Integer>> list = stuttering(List.of(1, 2, 3)).toList();
        assertThat(list.poll(cx).isPending()).isTrue();
        assertThat(wakes).hasValue(1);
        assertThat(await(list, 10)).containsExactly(1, 2, 3);
    }

    @Test
    void foldAccumulates() {
        assertThat(await(Stream.of(1, 2, 3, 4).fold(0, Integer::sum), 1)).isEqualTo(10);
        assertThat(await(Stream.of("a", "b").fold("", String::concat), 1)).isEqualTo("ab");
    }

    @Test
    void foldYieldsCooperativelyOnLongReadyRuns() {
        RecordingStream<Integer> thousand = new RecordingStream<>(i -> i < 1000 ? 1 : null);
        Future<Integer> sum = thousand.fold(0, Integer::sum);
        assertThat(sum.poll(cx).isPending()).isTrue();
        assertThat(wakes).hasValue(1);
        assertThat(thousand.polls).isLessThan(1000);
        assertThat(await(sum, 100)).isEqualTo(1000);
    }

    @Test
    void foldFailureCancelsStream() {
        RecordingStream<Integer> upstream = new RecordingStream<>(i -> i);
        Future<Integer> fold = upstream.fold(0, (acc, x) -> {
            throw new IllegalArgumentException("no");
        });
        assertThatThrownBy(() -> fold.poll(cx)).hasMessage("no");
        assertThat(upstream.cancels).isEqualTo(1);
    }

    @Test
    void foldCancelCancelsStream() {
        RecordingStream<Integer> upstream = new RecordingStream<>(i -> i);
        upstream.fold(0, Integer::sum).drop();
        assertThat(upstream.cancels).isEqualTo(1);
    }

    @Test
    void forEachVisitsEveryItem() {
        List<String> seen = new ArrayList<>();
        Future<Void> done = Stream.of("x", "y").forEach(seen::add);
        assertThat(await(done, 1)).isNull();
        assertThat(seen).containsExactly("x", "y");
    }

    // ---------------------------------------------------------------- fromPoll, with a fake timer

    /** Records timer registrations; never fires on its own. */
    private static final class FakeTimer implements PollFnStream.Timer {
        final List<Waker> wakers = new ArrayList<>();
        final List<Long> deadlines = new ArrayList<>();
        int cancels;

        @Override
        public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
            wakers.add(waker);
            deadlines.add(deadlineNanos);
            return () -> cancels++;
        }
    }

    @Test
    void pollFnArmsOneTimerAndResetsOnItem() {
        Deque<String> frames = new ArrayDeque<>();
        AtomicBoolean open = new AtomicBoolean(true);
        List<Integer> misses = new ArrayList<>();
        Backoff backoff = n -> {
            misses.add(n);
            return n == 1 ? 0 : 60_000_000_000L;
        };
        FakeTimer timer = new FakeTimer();
        Stream<String> s = new PollFnStream<>(frames::poll, open::get, backoff, timer);

        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(timer.wakers).containsExactly(cx.waker());
        // the first timer is due at once, so the next empty poll re-arms with two misses
        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(misses).containsExactly(1, 2);
        assertThat(timer.wakers).hasSize(2);
        assertThat(timer.cancels).as("the old timer is cancelled when re-arming").isEqualTo(1);

        // a spurious poll before the (one minute) timer is due keeps it
        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(timer.wakers).hasSize(2);
        assertThat(misses).containsExactly(1, 2);

        // a new waker is moved onto a timer at the same deadline
        Context other = new Context(() -> { });
        assertThat(s.pollNext(other).isPending()).isTrue();
        assertThat(timer.wakers).hasSize(3).last().isSameAs(other.waker());
        assertThat(timer.deadlines.get(2)).isEqualTo(timer.deadlines.get(1));
        assertThat(timer.cancels).isEqualTo(2);

        frames.add("frame");
        assertThat(s.pollNext(cx).value()).isEqualTo("frame");
        assertThat(timer.cancels).as("an item disarms the timer").isEqualTo(3);
        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(misses).as("an item resets the miss count").containsExactly(1, 2, 1);

        frames.add("last");
        open.set(false);
        assertThat(s.pollNext(cx).value()).isEqualTo("last");
        assertThat(s.pollNext(cx).isEnd()).isTrue();
        assertThat(s.pollNext(cx).isEnd()).isTrue();
        assertThat(timer.cancels).isEqualTo(4);
    }

    @Test
    void pollFnCancelDisarmsAndErrorsPropagate() {
        FakeTimer timer = new FakeTimer();
        Stream<String> idle = new PollFnStream<>(() -> null, () -> true, Backoff.fixed(Duration.ofSeconds(1)), timer);
        assertThat(idle.pollNext(cx).isPending()).isTrue();
        idle.drop();
        idle.drop();
        assertThat(timer.cancels).isEqualTo(1);

        Stream<String> broken = new PollFnStream<>(() -> {
            throw new IllegalStateException("EIO");
        }, () -> true, Backoff.fixed(Duration.ofSeconds(1)), timer);
        assertThatThrownBy(() -> broken.pollNext(cx)).hasMessage("EIO");
    }
}
