package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.sync.Harness.CountingWaker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a user of an mpsc channel sees: order, back-pressure, ends, and the three ways to read. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MpscChannelTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 1024})
    void messagesArriveInOrderAndTheBufferHoldsExactlyItsCapacity(int capacity) {
        Channel<Integer> ch = Channels.mpsc(capacity);
        for (int i = 0; i < capacity; i++) {
            assertThat(ch.sender().trySend(i)).isTrue();
        }
        assertThat(ch.sender().trySend(-1)).as("full at exactly capacity").isFalse();
        assertThat(ch.receiver().size()).isEqualTo(capacity);
        for (int lap = 0; lap < 3; lap++) {                     // wrap around the ring a few times
            for (int i = 0; i < capacity; i++) {
                assertThat(ch.receiver().tryRecv()).isEqualTo(lap * capacity + i);
                assertThat(ch.sender().trySend((lap + 1) * capacity + i)).isTrue();
            }
        }
        assertThat(ch.sender().trySend(-1)).isFalse();
    }

    @Test
    void unboundedAcceptsManyMessagesAcrossBlocks() {
        Channel<Integer> ch = Channels.unbounded();
        for (int i = 0; i < 10_000; i++) {
            assertThat(ch.sender().trySend(i)).isTrue();
        }
        List<Integer> got = new ArrayList<>();
        assertThat(ch.receiver().drainTo(got, 7)).isEqualTo(7);
        assertThat(ch.receiver().drainTo(got, Integer.MAX_VALUE)).isEqualTo(10_000 - 7);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
        assertThat(ch.receiver().tryRecv()).isNull();
    }

    @Test
    void theReceiverSeesTheEndOnlyAfterEveryBufferedMessageAndEverySenderHandle() {
        Channel<String> ch = Channels.mpsc(4);
        Sender<String> second = ch.sender().clone();
        ch.sender().send("a");
        second.send("b");
        ch.sender().close();
        ch.sender().close();                                    // idempotent per handle
        assertThat(ch.receiver().tryRecv()).isEqualTo("a");
        second.send("c");                                       // the other handle still sends
        second.close();
        assertThat(ch.sender().isClosed()).isTrue();
        assertThat(ch.receiver().tryRecv()).isEqualTo("b");
        assertThat(ch.receiver().recv()).isEqualTo("c");
        assertThatThrownBy(() -> ch.receiver().recv()).isInstanceOf(ClosedException.class)
                .satisfies(e -> assertThat(((ClosedException) e).hasValue()).isFalse());
        assertThatThrownBy(() -> ch.receiver().tryRecv()).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> second.send("d")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(second::clone).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSendAfterTheReceiverClosedHandsTheMessageBack() {
        Channel<String> ch = Channels.mpsc(4);
        ch.sender().send("kept");
        ch.receiver().close();
        assertThatThrownBy(() -> ch.sender().send("job-7"))
                .isInstanceOfSatisfying(ClosedException.class, e -> assertThat(e.<String>value()).isEqualTo("job-7"));
        assertThatThrownBy(() -> ch.sender().trySend("job-8"))
                .isInstanceOfSatisfying(ClosedException.class, e -> assertThat(e.<String>value()).isEqualTo("job-8"));
        assertThat(ch.receiver().tryRecv()).as("buffered before the close: still receivable").isEqualTo("kept");
        assertThatThrownBy(() -> ch.receiver().tryRecv()).isInstanceOf(ClosedException.class);
    }

    @Test
    void aSenderWaitingOnAFullChannelGetsItsMessageBackWhenTheReceiverCloses() {
        Channel<String> ch = Channels.mpsc(1);
        ch.sender().send("first");
        Future<Void> blocked = ch.sender().sendFuture("second");
        CountingWaker w = new CountingWaker();
        assertThat(blocked.poll(w.cx).isPending()).isTrue();
        ch.receiver().close();
        assertThat(w.count()).as("woken by the close").isEqualTo(1);
        assertThatThrownBy(() -> blocked.poll(w.cx))
                .isInstanceOfSatisfying(ClosedException.class, e -> assertThat(e.<String>value()).isEqualTo("second"));
    }

    @Test
    void aPendingReceiveIsWokenOnceBySendsAndTheReceiverNotOnEverySend() {
        Channel<Integer> ch = Channels.mpsc(64);
        Future<Integer> recv = ch.receiver().recvFuture();
        CountingWaker w = new CountingWaker();
        assertThat(recv.poll(w.cx).isPending()).isTrue();
        for (int i = 0; i < 10; i++) {
            ch.sender().send(i);
        }
        assertThat(w.count()).as("one wake for a burst of sends").isEqualTo(1);
        assertThat(recv.poll(w.cx).value()).isEqualTo(0);
    }

    @Test
    void backPressureParksTheSenderUntilTheReceiverMakesRoom() {
        Channel<Integer> ch = Channels.mpsc(2);
        ch.sender().send(1);
        ch.sender().send(2);
        Future<Void> third = ch.sender().sendFuture(3);
        CountingWaker w = new CountingWaker();
        assertThat(third.poll(w.cx).isPending()).isTrue();
        assertThat(ch.receiver().tryRecv()).isEqualTo(1);
        assertThat(w.count()).as("a freed slot wakes the waiting sender").isEqualTo(1);
        assertThat(third.poll(w.cx).isReady()).isTrue();
        assertThat(ch.receiver().tryRecv()).isEqualTo(2);
        assertThat(ch.receiver().tryRecv()).isEqualTo(3);
    }

    @Test
    void aCancelledPendingSendWasNotSentAndPassesItsWakeOn() {
        Channel<Integer> ch = Channels.mpsc(1);
        ch.sender().send(1);
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Void> sendA = ch.sender().sendFuture(2);
        Future<Void> sendB = ch.sender().sendFuture(3);
        assertThat(sendA.poll(a.cx).isPending()).isTrue();
        assertThat(sendB.poll(b.cx).isPending()).isTrue();
        assertThat(ch.receiver().tryRecv()).isEqualTo(1);       // frees a slot: wakes A (first in line)
        assertThat(a.count()).isEqualTo(1);
        sendA.drop();                                         // A gives up after being woken…
        assertThat(b.count()).as("…so B is woken instead").isEqualTo(1);
        assertThat(sendB.poll(b.cx).isReady()).isTrue();
        assertThat(ch.receiver().tryRecv()).isEqualTo(3);
        assertThat(ch.receiver().tryRecv()).as("the cancelled send never entered the channel").isNull();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aProducerAndAConsumerTaskOfEachKindMoveAHundredThousandMessages(Harness.Rt kind) {
        int n = 100_000;
        try (Runtime rt = kind.open()) {
            long sum = rt.run(() -> {
                Channel<Long> ch = Channels.mpsc(1024);
                Task<Void> producer = Weft.spawn(() -> {
                    try (Sender<Long> tx = ch.sender()) {
                        for (long i = 0; i < n; i++) {
                            tx.send(i);
                        }
                    }
                });
                long total = 0;
                long expected = 0;
                for (long m : ch.receiver()) {
                    assertThat(m).isEqualTo(expected++);
                    total += m;
                }
                producer.join();
                return total;
            });
            assertThat(sum).isEqualTo((long) n * (n - 1) / 2);
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void pollTasksSendAndReceiveThroughFuturesAndStreams(Harness.Rt kind) {
        int n = 20_000;
        try (Runtime rt = kind.open()) {
            long sum = rt.run(() -> {
                Channel<Integer> ch = Channels.mpsc(16);
                int[] next = {0};
                Task<Void> producer = Weft.spawnFuture(Harness.pollLoop(
                        () -> ch.sender().sendFuture(next[0]),
                        ignored -> {
                            next[0]++;
                            if (next[0] == n) {
                                ch.sender().close();
                                return true;
                            }
                            return null;
                        }).map(x -> null));
                Task<Long> consumer = Weft.spawnFuture(ch.receiver().stream().fold(0L, (acc, m) -> acc + m));
                producer.join();
                return consumer.join();
            });
            assertThat(sum).isEqualTo((long) n * (n - 1) / 2);
        }
    }

    @Test
    void severalTasksMayShareOneReceiverAndEachMessageGoesToExactlyOne() {
        try (Runtime rt = dev.weft.runtime.Runtimes.jdkDefault()) {
            int n = 20_000;
            List<Integer> all = rt.run(() -> {
                Channel<Integer> ch = Channels.mpsc(8);
                List<Task<List<Integer>>> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    workers.add(Weft.spawn(() -> {
                        List<Integer> mine = new ArrayList<>();
                        for (int m : ch.receiver()) {
                            mine.add(m);
                        }
                        return mine;
                    }));
                }
                for (int i = 0; i < n; i++) {
                    ch.sender().send(i);
                }
                ch.sender().close();
                List<Integer> merged = new ArrayList<>();
                for (Task<List<Integer>> w : workers) {
                    merged.addAll(w.join());
                }
                return merged;
            });
            assertThat(all).hasSize(n).doesNotHaveDuplicates();
        }
    }

    @Test
    void aBatchReceiveWaitsForOneMessageTakesUpToMaxAndMovesNothingWhenCancelled() {
        Channel<Integer> ch = Channels.mpsc(16);
        List<Integer> sink = new ArrayList<>();
        CountingWaker w = new CountingWaker();
        Future<Integer> cancelled = ch.receiver().recvManyFuture(sink, 4);
        assertThat(cancelled.poll(w.cx).isPending()).isTrue();
        ch.sender().send(0);
        assertThat(w.count()).isEqualTo(1);
        cancelled.drop();                                     // woken, then cancelled: moved nothing
        assertThat(sink).isEmpty();
        for (int i = 1; i < 6; i++) {
            ch.sender().send(i);
        }
        Future<Integer> batch = ch.receiver().recvManyFuture(sink, 4);
        assertThat(batch.poll(w.cx).value()).isEqualTo(4);
        assertThat(ch.receiver().recvMany(sink, 10)).isEqualTo(2);
        assertThat(sink).containsExactly(0, 1, 2, 3, 4, 5);
        ch.sender().close();
        assertThat(ch.receiver().recvMany(sink, 10)).as("0 only at the end").isZero();
        assertThat(ch.receiver().recvManyFuture(sink, 10).poll(w.cx).value()).isZero();
        assertThatThrownBy(() -> ch.receiver().recvMany(sink, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aPollTaskReceivesInBatchesFromASequentialProducer(Harness.Rt kind) {
        int n = 100_000;
        try (Runtime rt = kind.open()) {
            long sum = rt.run(() -> {
                Channel<Long> ch = Channels.mpsc(1024);
                Weft.spawn(() -> {
                    try (Sender<Long> tx = ch.sender()) {
                        for (long i = 0; i < n; i++) {
                            tx.send(i);
                        }
                    }
                });
                List<Long> batch = new ArrayList<>(256);
                long[] total = {0};
                return Weft.spawnFuture(Harness.pollLoop(() -> {
                    batch.clear();
                    return ch.receiver().recvManyFuture(batch, 256);
                }, moved -> {
                    for (long v : batch) {
                        total[0] += v;
                    }
                    return moved == 0 ? total[0] : null;
                })).join();
            });
            assertThat(sum).isEqualTo((long) n * (n - 1) / 2);
        }
    }

    @Test
    void nullMessagesAreRejected() {
        Channel<String> ch = Channels.unbounded();
        assertThatThrownBy(() -> ch.sender().send(null)).isInstanceOf(NullPointerException.class);
    }
}
