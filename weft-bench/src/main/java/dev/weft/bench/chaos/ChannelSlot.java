package dev.weft.bench.chaos;

import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Receiver;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A place where producers and consumers meet: the current mpsc channel (bounded or unbounded),
 * replaced by a fresh one when an actor retires it (closes its receiver and its sender while
 * others are sending and receiving). Messages are unique longs.
 *
 * <p>{@code channel-messages}: for each slot, the messages whose send succeeded equal the
 * messages received plus those still in its channels when the run ends (drained then), by count
 * and by sum of values, so a lost or duplicated message shows. A send refused because the
 * receiver closed must hand back the very message it was given.
 */
final class ChannelSlot {
    final String name;
    private final boolean bounded;
    private final AtomicReference<Channel<Long>> current = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Channel<Long>> retired = new ConcurrentLinkedQueue<>();
    final Tally sent = new Tally();
    final Tally received = new Tally();
    final Tally refused = new Tally();
    final Tally drained = new Tally();

    ChannelSlot(String name, boolean bounded) {
        this.name = name;
        this.bounded = bounded;
        current.set(fresh());
    }

    private Channel<Long> fresh() {
        return bounded ? Channels.mpsc(16) : Channels.unbounded();
    }

    Channel<Long> current() {
        return current.get();
    }

    /** Closes the current channel's receiver and sender and puts a fresh channel in its place. */
    void retire() {
        Channel<Long> old = current.get();
        if (current.compareAndSet(old, fresh())) {
            old.receiver().close();
            old.sender().close();
            retired.add(old);
        }
    }

    /** After the run: moves every message left in this slot's channels to {@link #drained}. */
    void drainAll() {
        retire();
        for (Channel<Long> c : retired) {
            Receiver<Long> rx = c.receiver();
            for (;;) {
                Long m;
                try {
                    m = rx.tryRecv();
                } catch (ClosedException end) {
                    break;
                }
                if (m == null) {
                    break;
                }
                drained.add(m);
            }
        }
    }

    boolean balanced() {
        return sent.sameAs(received.count() + drained.count(), received.sum() + drained.sum());
    }

    String account() {
        return name + ": sent " + sent + ", received " + received + ", left in the channel " + drained + ", refused "
                + refused + "; " + (sent.count() - received.count() - drained.count()) + " unaccounted";
    }
}
