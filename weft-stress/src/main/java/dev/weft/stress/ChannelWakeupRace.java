package dev.weft.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Future;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The waker-registration race of an mpsc channel: one actor polls a receive (which finds nothing,
 * registers its waker, and looks again) while the other sends. The receive may be ready (it saw
 * the message) or pending; if it is pending, the send must have woken it. "Pending and never
 * woken" is a lost wake-up: the task would sleep forever with a message in the channel.
 *
 * <p>This is the store-then-load handshake of {@code WakeQueue}: the sender publishes the slot
 * (volatile) then reads the waiter count (volatile); the receiver raises the waiter count
 * (volatile, under the lock) then re-reads the slot (volatile). If either side's store could be
 * reordered after its load, the forbidden outcome would appear. Results: r1 = 1 if the receive
 * was ready, r2 = number of wakes.
 */
public final class ChannelWakeupRace {
    private ChannelWakeupRace() { }

    /** Bounded ring (Vyukov sequence numbers). */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the receive found the message")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "pending, and the send woke it")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "registered, then found the message on its second look; the send woke it too (spurious, harmless)")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: pending and never woken")
    @State
    public static class Bounded {
        final Channel<Integer> ch = Channels.mpsc(4);
        final Future<Integer> recv = ch.receiver().recvFuture();
        final CountingWaker waker = new CountingWaker();

        @Actor
        public void receiver(II_Result r) {
            r.r1 = recv.poll(waker.cx).isReady() ? 1 : 0;
        }

        @Actor
        public void sender() {
            ch.sender().trySend(42);
        }

        @Arbiter
        public void wakes(II_Result r) {
            r.r2 = waker.count();
        }
    }

    /** Linked blocks (unbounded). */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the receive found the message")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "pending, and the send woke it")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "found on the second look, and woken (spurious)")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: pending and never woken")
    @State
    public static class Unbounded {
        final Channel<Integer> ch = Channels.unbounded();
        final Future<Integer> recv = ch.receiver().recvFuture();
        final CountingWaker waker = new CountingWaker();

        @Actor
        public void receiver(II_Result r) {
            r.r1 = recv.poll(waker.cx).isReady() ? 1 : 0;
        }

        @Actor
        public void sender() {
            ch.sender().trySend(42);
        }

        @Arbiter
        public void wakes(II_Result r) {
            r.r2 = waker.count();
        }
    }

    /**
     * The same handshake in the other direction (back-pressure): a send polls a full channel and
     * registers while the receiver takes a message and frees a slot.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the send found the freed slot")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "pending, and the freed slot woke it")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "found the slot on its second look, and woken (spurious)")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: a free slot and a sender asleep forever")
    @State
    public static class BackPressure {
        final Channel<Integer> ch = Channels.mpsc(1);
        final Future<Void> send;
        final CountingWaker waker = new CountingWaker();

        public BackPressure() {
            ch.sender().trySend(1);                             // full
            send = ch.sender().sendFuture(2);
        }

        @Actor
        public void sender(II_Result r) {
            r.r1 = send.poll(waker.cx).isReady() ? 1 : 0;
        }

        @Actor
        public void receiver() {
            ch.receiver().tryRecv();
        }

        @Arbiter
        public void wakes(II_Result r) {
            r.r2 = waker.count();
        }
    }
}
