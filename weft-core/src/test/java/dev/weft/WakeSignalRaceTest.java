package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The no-lost-wake-up claim of {@link WakeSignal}, across two threads: a signal that lands
 * anywhere around an empty poll — before the look, during it, between the look and the waker's
 * registration, after it — must leave the poller either holding the item or woken.
 *
 * <p>The poll function is made slow after an empty look (a random spin), which widens the window
 * between the look and the registration. With the poller's re-check removed (the stream ignoring
 * {@link WakeSignal#register}'s answer) this test fails within the first few thousand rounds.
 */
class WakeSignalRaceTest {
    private static final int ROUNDS = 50_000;

    @Test
    void aSignalRacingWithAnEmptyPollIsNeverLost() throws Exception {
        AtomicInteger go = new AtomicInteger();          // round number the signaller may run
        AtomicInteger done = new AtomicInteger();        // last round the signaller finished
        AtomicReference<WakeSignal> signalOfRound = new AtomicReference<>();
        AtomicReference<String> slot = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        SplittableRandom random = new SplittableRandom(42);

        Thread signaller = Thread.ofPlatform().name("signaller").start(() -> {
            SplittableRandom r = new SplittableRandom(7);
            for (int round = 1; !stop.get(); round++) {
                while (go.get() < round) {
                    if (stop.get()) {
                        return;
                    }
                    Thread.onSpinWait();
                }
                spin(r.nextInt(64));
                slot.set("item " + round);             // the source publishes, then signals
                signalOfRound.get().signal();
                done.set(round);
            }
        });

        int lostWakeUps = 0;
        int sawItAtOnce = 0;
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                WakeSignal signal = new WakeSignal();
                signalOfRound.set(signal);
                slot.set(null);
                AtomicBoolean woken = new AtomicBoolean();
                Context cx = new Context(() -> woken.set(true));
                int slowness = random.nextInt(96);
                Stream<String> items = Stream.fromPoll(() -> {
                    String item = slot.getAndSet(null);
                    if (item == null) {
                        spin(slowness);                // a slow poll function: the window opens here
                    }
                    return item;
                }, signal);

                go.set(round);
                Poll<String> first = items.pollNext(cx);
                while (done.get() < round) {
                    Thread.onSpinWait();
                }
                if (first.isReady()) {
                    sawItAtOnce++;
                    continue;
                }
                if (!woken.get()) {
                    lostWakeUps++;
                    continue;
                }
                assertThat(items.pollNext(cx).value()).as("round %d: the woken poll finds the item", round)
                        .isEqualTo("item " + round);
            }
        } finally {
            stop.set(true);
            signaller.join();
        }
        assertThat(lostWakeUps).as("pending polls that were never woken although the source signalled").isZero();
        assertThat(sawItAtOnce).as("the rounds must cover both orders").isBetween(1, ROUNDS - 1);
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }
}
