package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.sync.Harness.CountingWaker;
import org.junit.jupiter.api.Test;

/**
 * {@code Future.release} on the signalling futures, driven by hand (issue 12, fault 5): a
 * discarded watch change is unseen again, a discarded {@code notifyOne} is passed on, and a
 * barrier arrival cannot be undone once its round tripped.
 */
class ReleaseSignalsTest {
    private static final CountingWaker W = new CountingWaker();

    @Test
    void aWatchChangeSeenInADroppedJoinIsUnseenAgain() {
        Watch<String> w = Channels.watch("v0");
        Notify never = new Notify();
        w.sender().send("v1");
        assertThat(Harness.joinThenTimeout(w.receiver().changedFuture(), never.notifiedFuture()).value())
                .isInstanceOf(Either.Second.class);
        assertThat(w.receiver().hasChanged()).as("the discarded change is still news").isTrue();
        assertThat(w.receiver().changedFuture().poll(W.cx).value()).isEqualTo("v1");
        assertThat(w.receiver().hasChanged()).isFalse();
    }

    @Test
    void aWatchChangeGivenBackAfterANewerOneWasSeenChangesNothing() {
        Watch<String> w = Channels.watch("v0");
        w.sender().send("v1");
        Future<String> discarded = w.receiver().changedFuture();
        String v1 = discarded.poll(W.cx).value();
        w.sender().send("v2");
        assertThat(w.receiver().changed()).isEqualTo("v2");
        discarded.release(v1);
        assertThat(w.receiver().hasChanged()).as("v2 stays seen").isFalse();
    }

    @Test
    void aNotifyOneConsumedInADroppedJoinIsPassedOn() {
        Notify n = new Notify();
        Notify never = new Notify();
        n.notifyOne();                                          // stored permit, consumed inside the join
        assertThat(Harness.joinThenTimeout(n.notifiedFuture(), never.notifiedFuture()).value())
                .isInstanceOf(Either.Second.class);
        assertThat(n.notifiedFuture().poll(W.cx).isReady()).as("the permit was given back").isTrue();
        assertThat(probe(n)).as("once").isFalse();

        CountingWaker a = new CountingWaker();                  // given back while another waits: wakes it
        CountingWaker b = new CountingWaker();
        Future<Void> first = n.notifiedFuture();
        Future<Void> second = n.notifiedFuture();
        assertThat(first.poll(a.cx).isPending()).isTrue();
        assertThat(second.poll(b.cx).isPending()).isTrue();
        n.notifyOne();
        Poll<Void> p = first.poll(a.cx);
        assertThat(p.isReady()).isTrue();
        first.release(p.value());
        first.release(p.value());
        assertThat(b.count()).isEqualTo(1);
        assertThat(second.poll(b.cx).isReady()).isTrue();
        assertThat(probe(n)).as("no extra permit").isFalse();
    }

    @Test
    void aNotifyWaitersCompletionIsNotGivenBack() {
        Notify n = new Notify();
        Future<Void> f = n.notifiedFuture();
        assertThat(f.poll(W.cx).isPending()).isTrue();
        n.notifyWaiters();
        f.release(f.poll(W.cx).value());
        assertThat(probe(n)).as("notifyWaiters stores nothing").isFalse();
    }

    @Test
    void aBarrierArrivalCannotBeUndoneAfterItsRoundTripped() {
        Barrier b = new Barrier(2);
        CountingWaker first = new CountingWaker();
        Future<Boolean> waiting = b.awaitFuture();
        assertThat(waiting.poll(first.cx).isPending()).isTrue();
        Notify never = new Notify();
        Poll<?> p = Harness.joinThenTimeout(b.awaitFuture(), never.notifiedFuture());  // trips the round, then dropped
        assertThat(p.value()).isInstanceOf(Either.Second.class);
        assertThat(first.count()).as("the round tripped for the other party").isEqualTo(1);
        assertThat(waiting.poll(first.cx).value()).isFalse();
        assertThat(b.waiting()).as("the next round starts empty: nothing was withdrawn or re-added").isZero();
    }

    /** Whether a new wait on {@code n} completes at once (a stored permit); a pending one is dropped again. */
    private static boolean probe(Notify n) {
        Future<Void> f = n.notifiedFuture();
        boolean ready = f.poll(W.cx).isReady();
        f.drop();
        return ready;
    }
}
