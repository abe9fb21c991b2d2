package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.sync.Harness.CountingWaker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Future.release} on receives (mpsc bounded and unbounded, oneshot, broadcast), driven by
 * hand: a message a discarded receive took goes back to its channel and is received next, by
 * every receive path, in its original order, before the end of a closed channel (issue 12, fault
 * 5).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReleaseReceivesTest {

    /** A named channel factory, so the mpsc tests run on both queues. */
    record Kind(String name, Supplier<Channel<String>> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> mpscKinds() {
        return Stream.of(new Kind("bounded", () -> Channels.mpsc(4)), new Kind("unbounded", Channels::unbounded));
    }

    private static final CountingWaker W = new CountingWaker();

    // ------------------------------------------------------------------ mpsc

    @ParameterizedTest
    @MethodSource("mpscKinds")
    void aMessageReceivedInADroppedJoinIsReceivedNext(Kind kind) {
        Channel<String> c1 = kind.make().get();
        Channel<String> c2 = kind.make().get();
        c1.sender().send("first");
        c1.sender().send("second");
        Poll<?> p = Harness.joinThenTimeout(c1.receiver().recvFuture(), c2.receiver().recvFuture());
        assertThat(p.value()).isInstanceOf(Either.Second.class);
        assertThat(c1.receiver().size()).isEqualTo(2);
        assertThat(c1.receiver().tryRecv()).isEqualTo("first");
        assertThat(c1.receiver().tryRecv()).isEqualTo("second");
        c2.sender().send("c2");
        assertThat(c2.receiver().tryRecv()).as("the dropped receive on c2 took nothing").isEqualTo("c2");
    }

    @ParameterizedTest
    @MethodSource("mpscKinds")
    void messagesGivenBackInAnyOrderAreReceivedInTheirOriginalOrder(Kind kind) {
        Channel<String> ch = kind.make().get();
        for (String m : List.of("a", "b", "c")) {
            ch.sender().send(m);
        }
        Future<String> fa = ch.receiver().recvFuture();
        Future<String> fb = ch.receiver().recvFuture();
        String a = fa.poll(W.cx).value();
        String b = fb.poll(W.cx).value();
        fb.release(b);                                          // the later one first
        fa.release(a);
        fa.release(a);                                          // at most once
        Future<String> again = ch.receiver().recvFuture();
        String a2 = again.poll(W.cx).value();                   // taken from the given-back ones
        assertThat(a2).isEqualTo("a");
        again.release(a2);                                      // and given back once more
        assertThat(drain(ch.receiver())).containsExactly("a", "b", "c");
    }

    /** One given-back message, then one in the queue: each way to receive gets them in that order. */
    @ParameterizedTest
    @MethodSource("mpscKinds")
    void everyReceivePathTakesTheGivenBackMessageFirst(Kind kind) {
        List<String> got = new ArrayList<>();
        for (int path = 0; path < 7; path++) {
            Channel<String> ch = kind.make().get();
            ch.sender().send("back");
            ch.sender().send("queued");
            Future<String> f = ch.receiver().recvFuture();
            f.release(f.poll(W.cx).value());
            Receiver<String> rx = ch.receiver();
            List<String> two = new ArrayList<>();
            switch (path) {
                case 0 -> { two.add(rx.tryRecv()); two.add(rx.tryRecv()); }
                case 1 -> { two.add(rx.recv()); two.add(rx.recv()); }       // from this plain thread
                case 2 -> { two.add(rx.recvFuture().poll(W.cx).value()); two.add(rx.recvFuture().poll(W.cx).value()); }
                case 3 -> {
                    dev.weft.Stream<String> s = rx.stream();
                    two.add(s.pollNext(W.cx).value());
                    two.add(s.pollNext(W.cx).value());
                }
                case 4 -> assertThat(rx.drainTo(two, 10)).isEqualTo(2);
                case 5 -> assertThat(rx.recvMany(two, 10)).isEqualTo(2);
                default -> assertThat(rx.recvManyFuture(two, 10).poll(W.cx).value()).isEqualTo(2);
            }
            assertThat(two).as("path %d", path).containsExactly("back", "queued");
            got.addAll(two);
        }
        assertThat(got).hasSize(14);
    }

    @ParameterizedTest
    @MethodSource("mpscKinds")
    void aClosedChannelDeliversGivenBackMessagesBeforeItsEnd(Kind kind) {
        Channel<String> ch = kind.make().get();
        ch.sender().send("last");
        ch.sender().close();
        Future<String> f = ch.receiver().recvFuture();
        String m = f.poll(W.cx).value();
        assertThatThrownBy(() -> ch.receiver().tryRecv()).isInstanceOf(ClosedException.class);
        f.release(m);
        dev.weft.Stream<String> s = ch.receiver().stream();
        assertThat(s.pollNext(W.cx).value()).isEqualTo("last");
        assertThat(s.pollNext(W.cx).isEnd()).isTrue();

        Channel<String> closedByReceiver = kind.make().get();
        closedByReceiver.sender().send("kept");
        Future<String> g = closedByReceiver.receiver().recvFuture();
        String k = g.poll(W.cx).value();
        closedByReceiver.receiver().close();
        g.release(k);
        assertThat(closedByReceiver.receiver().recv()).isEqualTo("kept");
        assertThatThrownBy(() -> closedByReceiver.receiver().recv()).isInstanceOf(ClosedException.class);
    }

    @ParameterizedTest
    @MethodSource("mpscKinds")
    void aBatchReceivedInADroppedJoinLeavesTheSinkAndIsReceivedNext(Kind kind) {
        Channel<String> ch = kind.make().get();
        Channel<String> other = kind.make().get();
        for (String m : List.of("a", "b", "c", "d")) {
            ch.sender().send(m);
        }
        List<String> sink = new ArrayList<>(List.of("mine"));
        Poll<?> p = Harness.joinThenTimeout(ch.receiver().recvManyFuture(sink, 3), other.receiver().recvFuture());
        assertThat(p.value()).isInstanceOf(Either.Second.class);
        assertThat(sink).as("the batch left the sink, what was there stays").containsExactly("mine");
        assertThat(drain(ch.receiver())).containsExactly("a", "b", "c", "d");

        for (String m : List.of("x", "y")) {                    // a sink that is not a List, and was touched
            ch.sender().send(m);
        }
        ArrayDeque<String> deque = new ArrayDeque<>();
        Future<Integer> many = ch.receiver().recvManyFuture(deque, 10);
        int n = many.poll(W.cx).value();
        deque.addFirst("added later");
        many.release(n);
        assertThat(deque).containsExactly("added later");
        assertThat(drain(ch.receiver())).containsExactly("x", "y");
    }

    @ParameterizedTest
    @MethodSource("mpscKinds")
    void aSinkThatThrowsMidBatchKeepsWhatItTookAndTheRestIsReceivedNext(Kind kind) {
        Channel<String> ch = kind.make().get();
        for (String m : List.of("a", "b", "c")) {
            ch.sender().send(m);
        }
        List<String> sink = new ArrayList<>() {
            @Override
            public boolean add(String s) {
                if (s.equals("b")) {
                    throw new IllegalStateException("full");
                }
                return super.add(s);
            }
        };
        assertThatThrownBy(() -> ch.receiver().recvManyFuture(sink, 10).poll(W.cx)).hasMessage("full");
        assertThat(sink).containsExactly("a");
        assertThat(drain(ch.receiver())).containsExactly("b", "c");
    }

    /**
     * drainTo moves given-back messages into the sink outside the consumer lock (decision 12: no
     * user code under a spin lock): a sink that receives from the same receiver does not spin
     * forever; a sink that refuses one keeps what it took and the rest is received next.
     */
    @ParameterizedTest
    @MethodSource("mpscKinds")
    void drainToHandsGivenBackMessagesToTheSinkOutsideTheLock(Kind kind) {
        Channel<String> ch = kind.make().get();
        ch.sender().send("a");
        Future<String> fa = ch.receiver().recvFuture();
        fa.release(fa.poll(W.cx).value());
        List<String> reentrant = new ArrayList<>() {
            @Override
            public boolean add(String s) {
                assertThat(ch.receiver().tryRecv()).as("takes the consumer lock: not held now").isNull();
                return super.add(s);
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(ch.receiver().drainTo(reentrant, 10)).isEqualTo(1));
        assertThat(reentrant).containsExactly("a");

        for (String m : List.of("a", "b", "c")) {
            ch.sender().send(m);
        }
        Future<String> first = ch.receiver().recvFuture();
        Future<String> second = ch.receiver().recvFuture();
        String a = first.poll(W.cx).value();
        String b = second.poll(W.cx).value();
        second.release(b);
        first.release(a);
        List<String> refusesB = new ArrayList<>() {
            @Override
            public boolean add(String s) {
                if (s.equals("b")) {
                    throw new IllegalStateException("no b");
                }
                return super.add(s);
            }
        };
        assertThatThrownBy(() -> ch.receiver().drainTo(refusesB, 10)).hasMessage("no b");
        assertThat(refusesB).containsExactly("a");
        assertThat(drain(ch.receiver())).containsExactly("b", "c");
    }

    @Test
    void aGivenBackMessageWakesAReceiveWaitingOnTheSameReceiver() {
        Channel<String> ch = Channels.mpsc(2);
        ch.sender().send("m");
        Future<String> taker = ch.receiver().recvFuture();
        String m = taker.poll(W.cx).value();
        CountingWaker w = new CountingWaker();
        Future<String> waiting = ch.receiver().recvFuture();
        assertThat(waiting.poll(w.cx).isPending()).isTrue();
        taker.release(m);
        assertThat(w.count()).isEqualTo(1);
        assertThat(waiting.poll(w.cx).value()).isEqualTo("m");
    }

    /**
     * The wake-up handshake of a given-back message (ChannelCore's notes, "Given-back messages"):
     * a receive registers and looks again while another thread gives a message back. Either the
     * receive's second look finds it, or the giver sees the registration and wakes it.
     */
    @Test
    void aMessageGivenBackWhileAReceiveRegistersWakesIt() {
        Channel<String> ch = Channels.unbounded();
        int foundAtOnce = 0;
        try (Race race = new Race()) {
            for (int round = 0; round < 20_000; round++) {
                ch.sender().send("m" + round);
                Future<String> taker = ch.receiver().recvFuture();
                String m = taker.poll(W.cx).value();
                CountingWaker w = new CountingWaker();
                Future<String> receive = ch.receiver().recvFuture();
                AtomicReference<Poll<String>> first = new AtomicReference<>();
                race.run(() -> first.set(receive.poll(w.cx)), () -> taker.release(m));
                if (first.get().isReady()) {
                    assertThat(first.get().value()).isEqualTo(m);
                    foundAtOnce++;
                } else {
                    assertThat(w.count()).as("round %d: the pending receive was woken", round).isPositive();
                    assertThat(receive.poll(w.cx).value()).isEqualTo(m);
                }
            }
        }
        assertThat(foundAtOnce).as("both orders must have happened").isBetween(1, 19_999);
    }

    // ------------------------------------------------------------------ oneshot

    @Test
    void aOneshotValueReceivedInADroppedJoinCanBeReceivedAgain() {
        Oneshot<String> o = Channels.oneshot();
        Oneshot<String> never = Channels.oneshot();
        o.sender().send("reply");
        assertThat(Harness.joinThenTimeout(o.receiver().recvFuture(), never.receiver().recvFuture()).value())
                .isInstanceOf(Either.Second.class);
        assertThat(o.receiver().tryRecv()).isEqualTo("reply");
        assertThatThrownBy(() -> o.receiver().tryRecv()).as("and only once").isInstanceOf(IllegalStateException.class);

        Oneshot<String> closed = Channels.oneshot();            // given back after the receiver closed
        closed.sender().send("v");
        Future<String> f = closed.receiver().recvFuture();
        String v = f.poll(W.cx).value();
        closed.receiver().close();
        f.release(v);
        f.release(v);
        assertThat(closed.receiver().recv()).isEqualTo("v");
    }

    // ------------------------------------------------------------------ broadcast

    @Test
    void aBroadcastMessageReceivedInADroppedJoinIsThatReceiversNextEvenIfOverwritten() {
        Broadcast<String> b = Channels.broadcast(2);
        Broadcast.Receiver<String> other = b.sender().subscribe();
        Broadcast<String> quiet = Channels.broadcast(2);
        b.sender().send("m0");
        assertThat(Harness.joinThenTimeout(b.receiver().recvFuture(), quiet.receiver().recvFuture()).value())
                .isInstanceOf(Either.Second.class);
        b.sender().send("m1");
        b.sender().send("m2");                                  // m0's slot is overwritten now
        assertThat(b.receiver().tryRecv()).as("the given-back message first").isEqualTo("m0");
        assertThat(b.receiver().tryRecv()).isEqualTo("m1");
        assertThat(b.receiver().tryRecv()).isEqualTo("m2");
        assertThatThrownBy(other::tryRecv).as("the other receiver did lag").isInstanceOf(LaggedException.class);
    }

    @Test
    void broadcastMessagesGivenBackInAnyOrderComeBackInOrderAndBeforeTheEnd() {
        Broadcast<String> b = Channels.broadcast(8);
        b.sender().send("a");
        b.sender().send("b");
        b.sender().send("c");
        b.sender().close();
        Future<String> fa = b.receiver().recvFuture();
        Future<String> fb = b.receiver().recvFuture();
        String a = fa.poll(W.cx).value();
        String x = fb.poll(W.cx).value();
        fb.release(x);
        fa.release(a);
        fa.release(a);
        assertThat(b.receiver().recv()).isEqualTo("a");
        assertThat(b.receiver().recvFuture().poll(W.cx).value()).isEqualTo("b");
        assertThat(b.receiver().tryRecv()).isEqualTo("c");
        assertThatThrownBy(() -> b.receiver().tryRecv()).isInstanceOf(ClosedException.class);
    }

    static List<String> drain(Receiver<String> rx) {
        List<String> all = new ArrayList<>();
        for (String m = rx.tryRecv(); m != null; m = rx.tryRecv()) {
            all.add(m);
        }
        return all;
    }
}
