package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Both;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The programs of issue 12, fault 5, on every runtime: {@code Weft.select(Future.join(x.f(),
 * y.f()), Weft.sleepFuture(50 ms))} where the timeout wins after the first branch completed. A
 * lock granted inside the dropped join must not stay locked by nobody; a message received inside
 * it must not be lost.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReleaseOnRuntimesTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aLockGrantedInAJoinThatTimesOutIsNotHeldByNobody(Harness.Rt kind) {
        Mutex<String> m1 = new Mutex<>("one");
        Mutex<String> m2 = new Mutex<>("two");
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                Oneshot<Boolean> holding = Channels.oneshot();
                Notify letGo = new Notify();
                Task<Void> holder = Weft.spawn(() -> {                 // another task holds m2 for a while
                    try (var g = m2.lock()) {
                        holding.sender().send(true);
                        letGo.notified();
                    }
                });
                holding.receiver().recv();
                Either<Both<Mutex.Guard<String>, Mutex.Guard<String>>, Void> r =
                        Weft.select(Future.join(m1.lockFuture(), m2.lockFuture()), Weft.sleepFuture(Duration.ofMillis(50)));
                assertThat(r).isInstanceOf(Either.Second.class);
                assertThat(m1.tryLock()).as("m1, granted inside the join, is free again").isPresent()
                        .get().satisfies(Mutex.Guard::close);
                letGo.notifyOne();
                holder.join();
                Both<Mutex.Guard<String>, Mutex.Guard<String>> both =
                        Weft.await(Future.join(m1.lockFuture(), m2.lockFuture()).timeout(Duration.ofSeconds(5)));
                try (var g1 = both.first(); var g2 = both.second()) {
                    assertThat(g1.get() + g2.get()).as("both locks can be taken again").isEqualTo("onetwo");
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aMessageReceivedInAJoinThatTimesOutIsReceivedNext(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                Channel<String> c1 = Channels.mpsc(4);
                Channel<String> c2 = Channels.unbounded();
                c1.sender().send("first");
                c1.sender().send("second");
                Either<Both<String, String>, Void> r = Weft.select(
                        Future.join(c1.receiver().recvFuture(), c2.receiver().recvFuture()),
                        Weft.sleepFuture(Duration.ofMillis(50)));
                assertThat(r).isInstanceOf(Either.Second.class);
                assertThat(c1.receiver().tryRecv()).as("the message the join received is not lost").isEqualTo("first");
                assertThat(c1.receiver().recv()).isEqualTo("second");
            });
        }
    }
}
