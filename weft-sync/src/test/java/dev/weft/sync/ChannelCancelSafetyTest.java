package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.sync.Harness.CountingWaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Cancelling a receive never loses a message", shown under real races: receives that lose a
 * {@code select} against a 0–1 ms sleep while other threads send, tasks cancelled while parked in
 * {@code recv}, and sends that time out and are retried (which must not duplicate).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChannelCancelSafetyTest {
    private static final int SENDERS = 2;
    private static final int PER_SENDER = 5_000;

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    /** Two platform threads send (sender id, sequence) pairs with small random pauses. */
    private static List<Thread> startSenders(Sender<Long> tx) {
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            long id = s;
            Sender<Long> mine = tx.clone();
            threads.add(Thread.ofPlatform().start(() -> {
                try (mine) {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (long seq = 0; seq < PER_SENDER; seq++) {
                        mine.send(id << 32 | seq);
                        if (rnd.nextInt(4) == 0) {
                            LockSupport.parkNanos(rnd.nextInt(100_000));
                        }
                    }
                }
            }));
        }
        tx.close();
        return threads;
    }

    /** Records one message; checks per-sender order. */
    private static final class Ledger {
        final long[] nextSeq = new long[SENDERS];
        long received;
        long timeouts;

        void record(long m) {
            int sender = (int) (m >>> 32);
            long seq = m & 0xffff_ffffL;
            assertThat(seq).as("sender %d's messages in order, none lost", sender).isEqualTo(nextSeq[sender]);
            nextSeq[sender]++;
            received++;
        }

        void check() {
            assertThat(received).isEqualTo((long) SENDERS * PER_SENDER);
            assertThat(timeouts).as("some selects must have been lost by the receive, or the test proves nothing")
                    .isPositive();
        }
    }

    private static Future<Void> shortSleep() {
        return Weft.sleepFuture(Duration.ofNanos(ThreadLocalRandom.current().nextLong(1_000_001)));
    }

    /** A select of receive against a sleep, in random order (so the receive is sometimes polled second). */
    private static Future<Long> selectOnce(Receiver<Long> rx, Ledger ledger) {
        boolean recvFirst = ThreadLocalRandom.current().nextBoolean();
        if (recvFirst) {
            return Future.select(rx.recvFuture(), shortSleep()).map(e -> switch (e) {
                case Either.First<Long, Void>(var m) -> m;
                case Either.Second<Long, Void> timedOut -> -1L;
            });
        }
        return Future.select(shortSleep(), rx.recvFuture()).map(e -> switch (e) {
            case Either.First<Void, Long> timedOut -> -1L;
            case Either.Second<Void, Long>(var m) -> m;
        });
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aReceiveThatLosesASelectKeepsItsMessage_sequentialTask(Harness.Rt kind) throws Exception {
        Channel<Long> ch = Channels.mpsc(16);
        Ledger ledger = new Ledger();
        try (Runtime rt = kind.open()) {
            List<Thread> senders = startSenders(ch.sender());
            rt.run(() -> {
                while (ledger.received < (long) SENDERS * PER_SENDER) {
                    long m = Weft.await(selectOnce(ch.receiver(), ledger));
                    if (m < 0) {
                        ledger.timeouts++;
                    } else {
                        ledger.record(m);
                    }
                }
            });
            for (Thread t : senders) {
                t.join();
            }
        }
        ledger.check();
        assertThatThrownBy(() -> ch.receiver().tryRecv()).as("drained and ended").isInstanceOf(ClosedException.class);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aReceiveThatLosesASelectKeepsItsMessage_pollTask(Harness.Rt kind) throws Exception {
        Channel<Long> ch = Channels.mpsc(16);
        Ledger ledger = new Ledger();
        try (Runtime rt = kind.open()) {
            List<Thread> senders = startSenders(ch.sender());
            rt.blockOn(Harness.pollLoop(() -> selectOnce(ch.receiver(), ledger), m -> {
                if (m < 0) {
                    ledger.timeouts++;
                } else {
                    ledger.record(m);
                }
                return ledger.received == (long) SENDERS * PER_SENDER ? Boolean.TRUE : null;
            }));
            for (Thread t : senders) {
                t.join();
            }
        }
        ledger.check();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void cancellingATaskParkedInRecvLosesNoMessage(Harness.Rt kind) {
        int rounds = 2_000;
        try (Runtime rt = kind.open()) {
            long[] outcome = rt.run(() -> {
                Channel<Integer> ch = Channels.mpsc(4);
                long byVictims = 0;
                long afterwards = 0;
                long cancelled = 0;
                for (int round = 0; round < rounds; round++) {
                    boolean asPollTask = (round & 1) == 0;
                    Task<Integer> victim = asPollTask
                            ? Weft.spawnFuture(ch.receiver().recvFuture())
                            : Weft.spawn(() -> ch.receiver().recv());
                    int message = round;
                    Task<Void> sender = Weft.spawn(() -> {
                        spin(ThreadLocalRandom.current().nextInt(2_000));
                        ch.sender().send(message);
                    });
                    spin(ThreadLocalRandom.current().nextInt(2_000));
                    victim.cancel();
                    sender.join();
                    try {
                        assertThat(victim.join()).isEqualTo(message);
                        byVictims++;
                    } catch (CancelledException e) {
                        cancelled++;
                        assertThat(ch.receiver().recv()).as("round %d: the cancelled receive left the message", message)
                                .isEqualTo(message);
                        afterwards++;
                    }
                }
                return new long[] {byVictims, afterwards, cancelled};
            });
            assertThat(outcome[0] + outcome[1]).isEqualTo(rounds);
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aSendThatTimesOutAndIsRetriedIsNeverDuplicatedNorLost(Harness.Rt kind) {
        int n = 5_000;
        try (Runtime rt = kind.open()) {
            AtomicLong timeouts = new AtomicLong();
            List<Integer> got = rt.run(() -> {
                Channel<Integer> ch = Channels.mpsc(2);
                Task<Void> producer = Weft.spawn(() -> {
                    for (int i = 0; i < n; i++) {
                        boolean sent = false;
                        while (!sent) {
                            Either<Void, Void> r = Weft.select(ch.sender().sendFuture(i), shortSleep());
                            sent = r instanceof Either.First;
                            if (!sent) {
                                timeouts.incrementAndGet();
                            }
                        }
                    }
                    ch.sender().close();
                });
                List<Integer> received = new ArrayList<>();
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int m : ch.receiver()) {
                    received.add(m);
                    if (rnd.nextInt(64) == 0) {
                        Weft.sleep(Duration.ofMillis(1));               // let the producer time out
                    }
                }
                producer.join();
                return received;
            });
            assertThat(got).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i)).isEqualTo(i);
            }
            assertThat(timeouts.get()).isPositive();
        }
    }

    @Test
    void aReceiveWokenButCancelledBeforeItsNextPollPassesTheWakeToTheNextReceiver() {
        Channel<String> ch = Channels.mpsc(4);
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<String> first = ch.receiver().recvFuture();
        Future<String> second = ch.receiver().recvFuture();
        assertThat(first.poll(a.cx).isPending()).isTrue();
        assertThat(second.poll(b.cx).isPending()).isTrue();
        ch.sender().send("m");
        assertThat(a.count()).isEqualTo(1);
        assertThat(b.count()).isZero();
        first.drop();                                         // woken, then lost a select before taking
        assertThat(b.count()).as("the wake moved on").isEqualTo(1);
        assertThat(second.poll(b.cx).value()).isEqualTo("m");
    }

    @Test
    void aSelectWhoseSleepWinsWhileTheMessageIsReadyLeavesTheMessage() {
        Channel<String> ch = Channels.mpsc(4);
        CountingWaker w = new CountingWaker();
        Future<Either<Void, String>> race = Future.select(Future.ready(null), ch.receiver().recvFuture());
        ch.sender().send("kept");
        assertThat(race.poll(w.cx).value()).isInstanceOf(Either.First.class);
        assertThat(ch.receiver().tryRecv()).isEqualTo("kept");
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }
}
