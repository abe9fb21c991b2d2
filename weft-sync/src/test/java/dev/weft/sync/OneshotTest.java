package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.sync.Harness.CountingWaker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Oneshot: one value, both ways of giving up, and a receive that can be cancelled and retried. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OneshotTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aReplyTravelsBetweenTasksOfEitherKind(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            String r = rt.run(() -> {
                Oneshot<String> a = Channels.oneshot();
                Oneshot<String> b = Channels.oneshot();
                Weft.spawn(() -> a.sender().send("from a sequential task"));
                Task<String> poller = Weft.spawnFuture(a.receiver().recvFuture().map(s -> {
                    b.sender().send(s + ", through a poll task");
                    return s;
                }));
                poller.join();
                return b.receiver().recv();
            });
            assertThat(r).isEqualTo("from a sequential task, through a poll task");
        }
    }

    @Test
    void closingTheSenderWithoutSendingEndsTheReceive() {
        Oneshot<String> o = Channels.oneshot();
        CountingWaker w = new CountingWaker();
        Future<String> f = o.receiver().recvFuture();
        assertThat(f.poll(w.cx).isPending()).isTrue();
        o.sender().close();
        assertThat(w.count()).isEqualTo(1);
        assertThatThrownBy(() -> f.poll(w.cx)).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> o.receiver().recv()).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> o.sender().send("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSendAfterTheReceiverClosedHandsTheValueBack() {
        Oneshot<Integer> o = Channels.oneshot();
        o.receiver().close();
        assertThat(o.sender().isClosed()).isTrue();
        assertThatThrownBy(() -> o.sender().send(7))
                .isInstanceOfSatisfying(ClosedException.class, e -> assertThat(e.<Integer>value()).isEqualTo(7));
    }

    @Test
    void aCancelledReceiveTakesNothingAndTheValueWaitsForTheNextOne() {
        Oneshot<String> o = Channels.oneshot();
        CountingWaker w = new CountingWaker();
        Future<String> pending = o.receiver().recvFuture();
        assertThat(pending.poll(w.cx).isPending()).isTrue();
        o.sender().send("kept");
        assertThat(w.count()).isEqualTo(1);
        pending.drop();                                       // woken, then cancelled before its next poll
        assertThat(o.receiver().tryRecv()).isEqualTo("kept");
        assertThatThrownBy(() -> o.receiver().tryRecv()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aValueSentWhileTheReceiveRegistersItsWakerIsNeverMissed() {
        try (Race race = new Race()) {
            for (int round = 0; round < 20_000; round++) {
                Oneshot<Integer> o = Channels.oneshot();
                Future<Integer> f = o.receiver().recvFuture();
                CountingWaker w = new CountingWaker();
                boolean[] pending = new boolean[1];
                int value = round;
                race.run(() -> pending[0] = f.poll(w.cx).isPending(), () -> o.sender().send(value));
                if (pending[0]) {
                    assertThat(w.count()).as("round %d: pending, so the send must have woken it", round).isEqualTo(1);
                }
                assertThat(pending[0] ? f.poll(w.cx).value() : value).isEqualTo(value);
            }
        }
    }

    @Test
    void aTimedOutSequentialReceiveCanBeRetried() {
        try (Runtime rt = dev.weft.runtime.Runtimes.currentThread()) {
            String v = rt.run(() -> {
                Oneshot<String> o = Channels.oneshot();
                Either<String, Void> first = Weft.select(o.receiver().recvFuture(), Weft.sleepFuture(Duration.ofMillis(1)));
                assertThat(first).isInstanceOf(Either.Second.class);
                Weft.spawn(() -> o.sender().send("later"));
                return o.receiver().recv();
            });
            assertThat(v).isEqualTo("later");
        }
    }
}
