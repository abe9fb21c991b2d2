package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Runtime;
import dev.weft.Sink;
import dev.weft.Stream;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A channel's sender as a {@link Sink} (issue 17): forward, with, back-pressure, close, a receiver gone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelSinkTest {
    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    /** forward: every item in order, the channel ends with the stream, and the stream runs at most a buffer ahead. */
    @ParameterizedTest
    @MethodSource("runtimes")
    void forwardPoursAStreamIntoABoundedChannelWithItsBackPressureThenEndsIt(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            List<Integer> got = rt.run(() -> {
                Channel<Integer> ch = Channels.mpsc(2);
                AtomicInteger produced = new AtomicInteger();
                AtomicInteger received = new AtomicInteger();
                AtomicInteger worstLead = new AtomicInteger();
                Stream<Integer> numbers = Stream.fromIterable(() -> new java.util.Iterator<>() {
                    int next;

                    @Override
                    public boolean hasNext() {
                        return next < 500;
                    }

                    @Override
                    public Integer next() {
                        worstLead.accumulateAndGet(produced.incrementAndGet() - received.get(), Math::max);
                        return next++;
                    }
                });
                Task<Void> pour = Weft.spawnFuture(numbers.forward(ch.sender()));
                List<Integer> out = new ArrayList<>();
                for (Integer n : Weft.iterate(ch.receiver().stream())) {
                    out.add(n);
                    received.incrementAndGet();
                    if (n % 50 == 0) {
                        Weft.sleep(Duration.ofMillis(1));          // a slow consumer now and then
                    }
                }
                pour.join();
                // at most: the channel's 2, a batch of 2 the receiver's stream took in one go, the
                // item in forward's hand, and one taken while the consumer counts (threads race)
                assertThat(worstLead.get()).as("items taken from the stream ahead of the consumer").isLessThanOrEqualTo(2 + 2 + 1 + 1);
                return out;
            });
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                expected.add(i);
            }
            assertThat(got).isEqualTo(expected);
        }
    }

    @Test
    void withMapsEachItemOnTheWayIn() {
        try (Runtime rt = Harness.runtimes().findFirst().orElseThrow().open()) {
            List<String> got = rt.run(() -> {
                Channel<String> ch = Channels.mpsc(4);
                Sink<Integer> numbers = ch.sender().with(n -> "#" + n);
                Weft.spawnFuture(Stream.of(1, 2, 3).forward(numbers));
                return Weft.await(ch.receiver().stream().toList());
            });
            assertThat(got).containsExactly("#1", "#2", "#3");
        }
    }

    /** The poll protocol on a full channel: the message is held, flush waits for room, and nothing is lost. */
    @Test
    void onAFullChannelStartSendHoldsTheMessageUntilAFlushGetsItIn() {
        try (Runtime rt = Harness.runtimes().findFirst().orElseThrow().open()) {
            rt.run(() -> {
                Channel<String> ch = Channels.mpsc(1);
                Sender<String> tx = ch.sender();
                Harness.CountingWaker waker = new Harness.CountingWaker();
                Context cx = new Context(waker);
                assertThat(tx.pollReady(cx).isReady()).isTrue();
                tx.startSend("a");                                  // in the channel
                assertThat(tx.pollReady(cx).isReady()).isTrue();
                tx.startSend("b");                                  // full: held
                assertThat(tx.pollFlush(cx).isReady()).isFalse();
                assertThat(tx.pollReady(cx).isReady()).isFalse();
                assertThatThrownBy(() -> tx.startSend("c")).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("pollReady");
                assertThatThrownBy(tx::close).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("flush the sink");
                assertThat(ch.receiver().recv()).isEqualTo("a");    // room: the held message goes in on the next flush
                assertThat(waker.wakes.get()).as("the freed slot woke the sink's waker").isPositive();
                assertThat(tx.pollFlush(cx).isReady()).isTrue();
                assertThat(tx.pollClose(cx).isReady()).isTrue();   // flushed and closed: the channel ends
                assertThat(ch.receiver().recv()).isEqualTo("b");
                assertThat(Weft.await(ch.receiver().stream().toList())).isEmpty();
                return null;
            });
        }
    }

    /** The receiver gone: forward fails with ClosedException carrying the item, nothing silently dropped. */
    @Test
    void aClosedReceiverFailsTheForwardWithTheItemInHand() {
        try (Runtime rt = Harness.runtimes().findFirst().orElseThrow().open()) {
            Object lost = rt.run(() -> {
                Channel<String> ch = Channels.mpsc(4);
                ch.receiver().close();
                try {
                    Weft.await(Stream.of("x", "y").forward(ch.sender()));
                    return null;
                } catch (ClosedException e) {
                    return e.value();
                }
            });
            assertThat(lost).isEqualTo("x");
        }
    }

    @Test
    void aSinkIsPolledLikeAnyOtherFromAPollTask() {
        try (Runtime rt = Harness.runtimes().findFirst().orElseThrow().open()) {
            Channel<Integer> ch = Channels.mpsc(1);
            Sender<Integer> tx = ch.sender();
            Task<Void> sending = rt.spawnFuture(tx.sendFuture(1).then(v -> tx.sendFuture(2)).then(v -> tx.closeFuture()));
            List<Integer> got = rt.run(() -> Weft.await(ch.receiver().stream().toList()));
            rt.run(sending::join);
            assertThat(got).containsExactly(1, 2);
        }
    }
}
