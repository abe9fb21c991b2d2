package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The combinators, polled by hand: no runtime involved, so they are runtime-agnostic by construction. */
class FutureCombinatorTest {
    private final AtomicInteger wakes = new AtomicInteger();
    private final Context cx = new Context(wakes::incrementAndGet);

    /** A future the test completes by hand; records polls and cancellation. */
    static final class Manual<T> implements Future<T> {
        private volatile Poll<T> result = Poll.pending();
        private volatile RuntimeException failure;
        private volatile Waker waker;
        int polls;
        int cancels;
        final java.util.List<T> released = new java.util.ArrayList<>();
        RuntimeException dropFailure;

        @Override
        public Poll<T> poll(Context cx) {
            polls++;
            if (failure != null) {
                throw failure;
            }
            waker = cx.waker();
            return result;
        }

        @Override
        public void drop() {
            cancels++;
            if (dropFailure != null) {
                throw dropFailure;
            }
        }

        @Override
        public void release(T value) {
            released.add(value);
        }

        void complete(T value) {
            result = Poll.ready(value);
            if (waker != null) {
                waker.wake();
            }
        }

        void fail(RuntimeException e) {
            failure = e;
            if (waker != null) {
                waker.wake();
            }
        }
    }

    @Test
    void pendingAndEndAreSharedAndNeverAllocate() {
        assertThat(Poll.<String>pending()).isSameAs(Poll.<Integer>pending());
        assertThat(Poll.<String>end()).isSameAs(Poll.<Integer>end());
        assertThat(Poll.<String>ready(null)).isSameAs(Poll.<Integer>ready(null));
        assertThat(Poll.ready(null).isReady()).isTrue();
        assertThat(Poll.end().isReady()).isFalse();
        assertThat(Poll.end().isEnd()).isTrue();
        assertThatThrownBy(() -> Poll.pending().value()).hasMessageContaining("waker");
    }

    @Test
    void futuresAreLazy() {
        AtomicInteger ran = new AtomicInteger();
        Future<Integer> f = Future.ready(1).map(x -> ran.incrementAndGet());
        assertThat(ran).hasValue(0);
        assertThat(f.poll(cx).value()).isEqualTo(1);
    }

    @Test
    void mapAndThenChainValues() {
        Manual<Integer> first = new Manual<>();
        Future<String> chained = first.map(x -> x + 1).then(x -> Future.ready("v" + x));
        assertThat(chained.poll(cx).isPending()).isTrue();
        first.complete(41);
        assertThat(wakes).hasValue(1);
        assertThat(chained.poll(cx).value()).isEqualTo("v42");
    }

    @Test
    void joinWaitsForBothAndKeepsTheirOrder() {
        Manual<String> a = new Manual<>();
        Manual<Integer> b = new Manual<>();
        Future<Both<String, Integer>> both = Future.join(a, b);
        assertThat(both.poll(cx).isPending()).isTrue();
        b.complete(2);
        assertThat(both.poll(cx).isPending()).isTrue();
        a.complete("one");
        assertThat(both.poll(cx).value()).isEqualTo(new Both<>("one", 2));
        assertThat(b.polls).as("a finished future is not polled again").isEqualTo(2);
    }

    @Test
    void joinOfAListGivesValuesInListOrderAndAFailureCancelsTheRest() {
        Manual<Integer> a = new Manual<>();
        Manual<Integer> b = new Manual<>();
        Manual<Integer> c = new Manual<>();
        Future<List<Integer>> all = Future.join(List.of(a, b, c));
        c.complete(3);
        a.complete(1);
        assertThat(all.poll(cx).isPending()).isTrue();
        b.complete(2);
        assertThat(all.poll(cx).value()).containsExactly(1, 2, 3);

        Manual<Integer> x = new Manual<>();
        Manual<Integer> y = new Manual<>();
        Future<List<Integer>> failing = Future.joinAll(x, y);
        failing.poll(cx);
        x.fail(new IllegalStateException("x broke"));
        assertThatThrownBy(() -> failing.poll(cx)).hasMessage("x broke");
        assertThat(y.cancels).isEqualTo(1);
    }

    @Test
    void selectReturnsTheWinnerAndCancelsTheLoserFirst() {
        Manual<String> a = new Manual<>();
        Manual<Integer> b = new Manual<>();
        Future<Either<String, Integer>> sel = Future.select(a, b);
        assertThat(sel.poll(cx).isPending()).isTrue();
        b.complete(7);
        Poll<Either<String, Integer>> p = sel.poll(cx);
        assertThat(p.value()).isEqualTo(new Either.Second<String, Integer>(7));
        assertThat(a.cancels).isEqualTo(1);
        assertThat(b.cancels).isZero();
    }

    @Test
    void selectFavoursTheFirstWhenBothAreReady() {
        Future<Either<String, String>> sel = Future.select(Future.ready("a"), Future.ready("b"));
        assertThat(sel.poll(cx).value()).isEqualTo(new Either.First<String, String>("a"));
    }

    @Test
    void aThrowingSideOfSelectCancelsTheOtherAndThrows() {
        Manual<String> a = new Manual<>();
        Manual<String> b = new Manual<>();
        Future<Either<String, String>> sel = Future.select(a, b);
        sel.poll(cx);
        a.fail(new IllegalArgumentException("a broke"));
        assertThatThrownBy(() -> sel.poll(cx)).hasMessage("a broke");
        assertThat(b.cancels).isEqualTo(1);
    }

    @Test
    void cancellingASelectCancelsBothSides() {
        Manual<String> a = new Manual<>();
        Manual<String> b = new Manual<>();
        Future<Either<String, String>> sel = Future.select(a, b);
        sel.poll(cx);
        sel.drop();
        sel.drop();
        assertThat(a.cancels).isEqualTo(1);
        assertThat(b.cancels).isEqualTo(1);
    }

    @Test
    void raceCancelsEveryLoser() {
        Manual<Integer> a = new Manual<>();
        Manual<Integer> b = new Manual<>();
        Manual<Integer> c = new Manual<>();
        Future<Integer> r = Future.raceAll(a, b, c);
        assertThat(r.poll(cx).isPending()).isTrue();
        b.complete(2);
        assertThat(r.poll(cx).value()).isEqualTo(2);
        assertThat(a.cancels).isEqualTo(1);
        assertThat(c.cancels).isEqualTo(1);
        assertThat(b.cancels).isZero();
        assertThatThrownBy(() -> Future.race(List.of())).hasMessageContaining("at least one");
    }

    @Test
    void awaitOnAPlainThreadBlocksUntilWokenFromAnotherThread() throws Exception {
        Manual<String> m = new Manual<>();
        Thread completer = Thread.ofPlatform().start(() -> {
            while (m.waker == null) {
                Thread.onSpinWait();
            }
            m.complete("done");
        });
        assertThat(Weft.await(m)).isEqualTo("done");
        completer.join();
    }

    @Test
    void outsideAnyRuntimeTheErrorSaysWhatToDo() {
        assertThatThrownBy(() -> Weft.spawn(() -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No Weft runtime")
                .hasMessageContaining("Weft.run(");
        assertThat(Runtime.find()).isEmpty();
    }

    // ------------------------------------------------------------ nothing handed out is lost (issue 12)

    @Test
    void aJoinWhoseSiblingFailsGivesBackTheValuesAlreadyReceived() {
        Manual<String> guard = new Manual<>();
        Manual<String> pending = new Manual<>();
        Manual<String> failing = new Manual<>();
        Future<List<String>> join = Future.joinAll(guard, pending, failing);
        guard.complete("guard-1");
        assertThat(join.poll(cx).isPending()).isTrue();
        failing.fail(new IllegalStateException("boom"));
        assertThatThrownBy(() -> join.poll(cx)).hasMessage("boom");
        assertThat(guard.released).as("the finished branch's value is given back").containsExactly("guard-1");
        assertThat(pending.cancels).as("the unfinished branch is dropped").isEqualTo(1);
        assertThat(failing.cancels).as("the branch that threw holds nothing").isZero();
        join.drop();
        assertThat(guard.released).as("given back once").hasSize(1);
    }

    @Test
    void aDroppedJoinGivesBackFinishedValuesAndDropsTheRest() {
        Manual<String> first = new Manual<>();
        Manual<String> second = new Manual<>();
        Future<Both<String, String>> join = Future.join(first, second);
        first.complete("permit");
        assertThat(join.poll(cx).isPending()).isTrue();
        join.drop();            // e.g. it lost a select to a timeout
        assertThat(first.released).containsExactly("permit");
        assertThat(second.cancels).isEqualTo(1);
    }

    @Test
    void aSelectThatTimesOutAfterHalfAJoinCompletedLosesNothing() {
        Manual<String> m1 = new Manual<>();
        Manual<String> m2 = new Manual<>();
        Manual<Void> timer = new Manual<>();
        Future<Either<Both<String, String>, Void>> sel = Future.select(Future.join(m1, m2), timer);
        m1.complete("m1-guard");
        assertThat(sel.poll(cx).isPending()).isTrue();
        timer.complete(null);
        assertThat(sel.poll(cx).value()).isInstanceOf(Either.Second.class);
        assertThat(m1.released).as("the guard the join had received is given back").containsExactly("m1-guard");
        assertThat(m2.cancels).isEqualTo(1);
    }

    @Test
    void releaseIsForwardedThroughSelectRaceTimeoutAndCompletedJoins() {
        Manual<String> a = new Manual<>();
        Future<Either<String, Void>> sel = Future.select(a, Future.never());
        a.complete("x");
        Either<String, Void> won = sel.poll(cx).value();
        sel.release(won);
        assertThat(a.released).containsExactly("x");

        Manual<String> b = new Manual<>();
        Future<String> raced = Future.raceAll(Future.never(), b);
        b.complete("y");
        raced.release(raced.poll(cx).value());
        assertThat(b.released).containsExactly("y");

        Manual<String> c = new Manual<>();
        Future<String> timed = c.timeout(java.time.Duration.ofDays(1));
        c.complete("z");
        timed.release(timed.poll(cx).value());
        assertThat(c.released).containsExactly("z");

        Manual<String> d = new Manual<>();
        Manual<String> e = new Manual<>();
        Future<List<String>> joined = Future.joinAll(d, e);
        d.complete("d");
        e.complete("e");
        joined.release(joined.poll(cx).value());
        assertThat(d.released).containsExactly("d");
        assertThat(e.released).containsExactly("e");
    }

    @Test
    void aLoserWhoseDropThrowsDoesNotKeepTheOthersFromBeingDropped() throws Exception {
        var faults = new java.util.concurrent.LinkedBlockingQueue<dev.weft.spi.Faults.Fault>();
        try (var listening = dev.weft.spi.Faults.addListener(faults::add)) {
            Manual<String> winner = new Manual<>();
            Manual<String> throwing = new Manual<>();
            Manual<String> other = new Manual<>();
            throwing.dropFailure = new IllegalStateException("cleanup failed");
            Future<String> race = Future.raceAll(throwing, other, winner);
            winner.complete("w");
            assertThat(race.poll(cx).value()).as("the winner's value is not lost to a loser's cleanup").isEqualTo("w");
            assertThat(other.cancels).as("dropped although an earlier loser's drop threw").isEqualTo(1);
            assertThat(faults.poll(5, java.util.concurrent.TimeUnit.SECONDS).error()).hasMessage("cleanup failed");

            Manual<String> guard = new Manual<>();
            Manual<String> loser = new Manual<>();
            loser.dropFailure = new IllegalStateException("loser drop");
            guard.complete("guard");
            Future<Either<String, String>> won = Future.select(guard, loser);
            assertThat(won.poll(cx).value()).isEqualTo(new Either.First<String, String>("guard"));
            assertThat(faults.poll(5, java.util.concurrent.TimeUnit.SECONDS).error()).hasMessage("loser drop");

            Manual<String> x = new Manual<>();
            Manual<String> y = new Manual<>();
            x.dropFailure = new IllegalStateException("x cleanup failed");
            y.dropFailure = new IllegalStateException("y cleanup failed");
            Future<Either<String, String>> sel = Future.select(x, y);
            assertThat(sel.poll(cx).isPending()).isTrue();
            assertThatThrownBy(sel::drop).hasMessage("x cleanup failed");
            assertThat(y.cancels).isEqualTo(1);
            assertThat(faults.poll(5, java.util.concurrent.TimeUnit.SECONDS).error())
                    .as("the second drop's failure is reported, not lost").hasMessage("y cleanup failed");
        }
    }
}
