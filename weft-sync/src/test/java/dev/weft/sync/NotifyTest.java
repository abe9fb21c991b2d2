package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.sync.Harness.CountingWaker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Notify: stored permit, wake-one order, wake-all, and no notification swallowed by a cancel. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NotifyTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @Test
    void aNotifyOneBeforeTheWaitIsStoredAsOnePermit() {
        Notify n = new Notify();
        n.notifyOne();
        n.notifyOne();                                          // still one permit
        CountingWaker w = new CountingWaker();
        assertThat(n.notifiedFuture().poll(w.cx).isReady()).isTrue();
        assertThat(n.notifiedFuture().poll(w.cx).isPending()).isTrue();
    }

    @Test
    void notifyOneWakesTheLongestWaiterAndNotifyWaitersWakesAllAndStoresNothing() {
        Notify n = new Notify();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Void> fa = n.notifiedFuture();
        Future<Void> fb = n.notifiedFuture();
        Future<Void> created = n.notifiedFuture();              // created but never polled
        assertThat(fa.poll(a.cx).isPending()).isTrue();
        assertThat(fb.poll(b.cx).isPending()).isTrue();
        n.notifyOne();
        assertThat(a.count()).isEqualTo(1);
        assertThat(b.count()).isZero();
        assertThat(fa.poll(a.cx).isReady()).isTrue();
        n.notifyWaiters();
        assertThat(b.count()).isEqualTo(1);
        assertThat(fb.poll(b.cx).isReady()).isTrue();
        assertThat(created.poll(a.cx).isReady()).as("created before notifyWaiters").isTrue();
        assertThat(n.notifiedFuture().poll(a.cx).isPending()).as("notifyWaiters stores no permit").isTrue();
    }

    @Test
    void aCancelledWaitPassesItsNotificationOnToTheNextWaiterOrAsThePermit() {
        Notify n = new Notify();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Void> fa = n.notifiedFuture();
        Future<Void> fb = n.notifiedFuture();
        assertThat(fa.poll(a.cx).isPending()).isTrue();
        assertThat(fb.poll(b.cx).isPending()).isTrue();
        n.notifyOne();
        fa.drop();
        assertThat(b.count()).isEqualTo(1);
        assertThat(fb.poll(b.cx).isReady()).isTrue();
        Future<Void> fc = n.notifiedFuture();
        assertThat(fc.poll(a.cx).isPending()).isTrue();
        n.notifyOne();
        fc.drop();
        assertThat(n.notifiedFuture().poll(a.cx).isReady()).as("forwarded as the stored permit").isTrue();
    }

    @Test
    void notifyOneRacingWithCancelIsNeverLost() {
        try (Race race = new Race()) {
            for (int round = 0; round < 20_000; round++) {
                Notify n = new Notify();
                Future<Void> waiting = n.notifiedFuture();
                CountingWaker w = new CountingWaker();
                assertThat(waiting.poll(w.cx).isPending()).isTrue();
                race.run(n::notifyOne, waiting::drop);
                assertThat(n.notifiedFuture().poll(w.cx).isReady()).as("round %d", round).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aPingPongOfNotificationsBetweenTasksOfBothKindsLosesNone(Harness.Rt kind) {
        int rounds = 5_000;
        try (Runtime rt = kind.open()) {
            int pongs = rt.run(() -> {
                Notify ping = new Notify();
                Notify pong = new Notify();
                AtomicInteger count = new AtomicInteger();
                Task<Integer> poller = Weft.spawnFuture(Harness.pollLoop(ping::notifiedFuture, x -> {
                    pong.notifyOne();
                    return count.incrementAndGet() == rounds ? count.get() : null;
                }));
                for (int i = 0; i < rounds; i++) {
                    ping.notifyOne();
                    pong.notified();
                }
                return poller.join();
            });
            assertThat(pongs).isEqualTo(rounds);
        }
    }
}
