package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.sync.Harness.CountingWaker;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wake-up handshakes of the channels, raced on two threads in the default test run (the
 * jcstress tests in weft-stress explore the same races far harder): a poll that registers its
 * waker racing the event that should wake it. Pending must imply woken.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelWakeupRaceTest {
    private static final int ROUNDS = 20_000;

    private static void raceReceiveAgainstSend(Supplier<Channel<Integer>> make) {
        try (Race race = new Race()) {
            int pendings = 0;
            for (int round = 0; round < ROUNDS; round++) {
                Channel<Integer> ch = make.get();
                int message = round;
                Future<Integer> recv = ch.receiver().recvFuture();
                CountingWaker w = new CountingWaker();
                boolean[] pending = new boolean[1];
                race.run(() -> pending[0] = recv.poll(w.cx).isPending(), () -> ch.sender().send(message));
                if (pending[0]) {
                    pendings++;
                    assertThat(w.count()).as("round %d: pending, so the send must wake it", round).isEqualTo(1);
                    assertThat(recv.poll(w.cx).value()).isEqualTo(round);
                }
            }
            assertThat(pendings).as("the receive must sometimes be pending, or the race was not run").isPositive();
        }
    }

    @Test
    void aBoundedReceiveRegisteringAsAMessageArrivesIsWoken() {
        raceReceiveAgainstSend(() -> Channels.mpsc(4));
    }

    @Test
    void anUnboundedReceiveRegisteringAsAMessageArrivesIsWoken() {
        raceReceiveAgainstSend(Channels::unbounded);
    }

    @Test
    void aSendRegisteringOnAFullChannelAsASlotIsFreedIsWoken() {
        try (Race race = new Race()) {
            for (int round = 0; round < ROUNDS; round++) {
                Channel<Integer> ch = Channels.mpsc(1);
                ch.sender().send(1);
                Future<Void> send = ch.sender().sendFuture(2);
                CountingWaker w = new CountingWaker();
                boolean[] pending = new boolean[1];
                race.run(() -> pending[0] = send.poll(w.cx).isPending(), ch.receiver()::tryRecv);
                if (pending[0]) {
                    assertThat(w.count()).as("round %d: pending, so the freed slot must wake it", round).isEqualTo(1);
                    assertThat(send.poll(w.cx).isReady()).isTrue();
                }
                assertThat(ch.receiver().tryRecv()).isEqualTo(2);
            }
        }
    }
}
