package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Future;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Harness.CountingWaker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch receive whose sink fails or calls back into the channel: the user's {@code add} runs
 * outside the channel's consumer lock, and a message taken for a sink that refuses it is not lost.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelSinkFailureTest {

    /** An ArrayList whose n-th add (1-based) throws {@link #BOOM}. */
    private static final class FailingSink extends ArrayList<Integer> {
        static final IllegalStateException BOOM = new IllegalStateException("sink full");
        private final int failAt;
        private int calls;

        FailingSink(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public boolean add(Integer m) {
            if (++calls == failAt) {
                throw BOOM;
            }
            return super.add(m);
        }
    }

    private static Channel<Integer> channel(String kind) {
        return switch (kind) {
            case "bounded" -> Channels.mpsc(16);
            case "unbounded" -> Channels.unbounded();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"bounded", "unbounded"})
    void aSinkThatThrowsOnTheThirdElementLosesNothingTheNextRecvGetsThatElementAndTheRest(String kind) {
        Channel<Integer> ch = channel(kind);
        for (int i = 0; i < 10; i++) {
            ch.sender().send(i);
        }
        FailingSink sink = new FailingSink(3);
        assertThatThrownBy(() -> ch.receiver().drainTo(sink, 100)).isSameAs(FailingSink.BOOM);
        assertThat(sink).containsExactly(0, 1);
        assertThat(ch.receiver().size()).isEqualTo(8);

        List<Integer> rest = Runtimes.currentThread().run(() -> {
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(ch.receiver().recv());
            }
            return got;
        });
        assertThat(rest).as("the refused element first, then everything after it, in order")
                .containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(ch.receiver().tryRecv()).isNull();
        assertThat(ch.receiver().size()).isZero();
    }

    @Test
    void aFailureInALaterBatchKeepsTheRestOfThatBatchAndOfTheChannelInOrder() {
        Channel<Integer> ch = Channels.unbounded();
        for (int i = 0; i < 200; i++) {
            ch.sender().send(i);
        }
        FailingSink sink = new FailingSink(100);                  // in the second batch of 64
        assertThatThrownBy(() -> ch.receiver().drainTo(sink, Integer.MAX_VALUE)).isSameAs(FailingSink.BOOM);
        assertThat(sink).containsExactlyElementsOf(IntStream.range(0, 99).boxed().toList());

        FailingSink again = new FailingSink(3);                  // fails while handed-back ones are still there
        assertThatThrownBy(() -> ch.receiver().drainTo(again, Integer.MAX_VALUE)).isSameAs(FailingSink.BOOM);
        assertThat(again).containsExactly(99, 100);

        List<Integer> rest = new ArrayList<>();
        assertThat(ch.receiver().drainTo(rest, Integer.MAX_VALUE)).isEqualTo(99);
        assertThat(rest).containsExactlyElementsOf(IntStream.range(101, 200).boxed().toList());
    }

    @Test
    void aFailingBatchFutureThrowsFromItsPollAndTheNextReceiveGetsTheRefusedMessage() {
        Channel<Integer> ch = Channels.unbounded();
        CountingWaker w = new CountingWaker();
        Future<Integer> batch = ch.receiver().recvManyFuture(new FailingSink(3), 10);
        assertThat(batch.poll(w.cx).isPending()).isTrue();
        for (int i = 0; i < 5; i++) {
            ch.sender().send(i);
        }
        assertThat(w.count()).isEqualTo(1);
        assertThatThrownBy(() -> batch.poll(w.cx)).isSameAs(FailingSink.BOOM);

        CountingWaker w2 = new CountingWaker();
        assertThat(ch.receiver().recvFuture().poll(w2.cx).value()).isEqualTo(2);
        assertThat(ch.receiver().tryRecv()).isEqualTo(3);
        assertThat(ch.receiver().tryRecv()).isEqualTo(4);
        Future<Integer> next = ch.receiver().recvFuture();
        assertThat(next.poll(w2.cx).isPending()).isTrue();
        ch.sender().send(5);
        assertThat(w2.count()).as("the next receive is woken; the failed one kept no wake").isEqualTo(1);
        assertThat(next.poll(w2.cx).value()).isEqualTo(5);
    }

    @Test
    void theBlockingBatchReceiveThrowsTheSinksExceptionAndLosesNothing() {
        Channel<Integer> ch = Channels.mpsc(4);
        List<Integer> after = Runtimes.currentThread().run(() -> {
            Task<Integer> consumer = Weft.spawn(() -> ch.receiver().recvMany(new FailingSink(2), 10));
            for (int i = 0; i < 4; i++) {
                ch.sender().send(i);
            }
            assertThatThrownBy(consumer::join).isInstanceOf(TaskFailedException.class).cause().isSameAs(FailingSink.BOOM);
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(ch.receiver().recv());
            }
            return got;
        });
        assertThat(after).containsExactly(1, 2, 3);
    }

    @Test
    void refusedMessagesDoNotHoldBoundedSlots() {
        Channel<Integer> ch = Channels.mpsc(4);
        for (int i = 0; i < 4; i++) {
            ch.sender().send(i);
        }
        assertThatThrownBy(() -> ch.receiver().drainTo(new FailingSink(1), 4)).isSameAs(FailingSink.BOOM);
        for (int i = 4; i < 8; i++) {
            assertThat(ch.sender().trySend(i)).as("slot for %d", i).isTrue();
        }
        assertThat(ch.sender().trySend(8)).as("the ring itself is full again").isFalse();
        List<Integer> all = new ArrayList<>();
        assertThat(ch.receiver().drainTo(all, 100)).isEqualTo(8);
        assertThat(all).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // a regression spins
    void aSinkMayReceiveFromTheSameChannelInsideAdd() {
        Channel<Integer> ch = Channels.unbounded();
        for (int i = 0; i < 10; i++) {
            ch.sender().send(i);
        }
        List<Integer> side = new ArrayList<>();
        List<Integer> sink = new ArrayList<>() {
            @Override
            public boolean add(Integer m) {
                Integer extra = ch.receiver().tryRecv();          // took the consumer lock: spun forever before
                if (extra != null) {
                    side.add(extra);
                }
                return super.add(m);
            }
        };
        assertThat(ch.receiver().drainTo(sink, 4)).isEqualTo(4);
        List<Integer> everything = new ArrayList<>(sink);
        everything.addAll(side);
        Supplier<Integer> next = () -> ch.receiver().tryRecv();
        for (Integer m = next.get(); m != null; m = next.get()) {
            everything.add(m);
        }
        assertThat(everything).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).boxed().toList());
    }
}
