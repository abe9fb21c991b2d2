package dev.weft.sync.internal;

import dev.weft.internal.SpinLock;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Weft;
import dev.weft.spi.Coop;
import dev.weft.sync.Broadcast;
import dev.weft.sync.ClosedException;
import dev.weft.sync.LaggedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A broadcast channel: a ring of the last {@code capacity} messages, shared by every receiver,
 * each of which keeps its own position.
 *
 * <h2>Implementation notes</h2>
 * Shaped like tokio's {@code sync/broadcast.rs} (a ring, per-receiver positions, lag detection by
 * position), but simpler: slots hold immutable {@link Entry} objects (position + message), so a
 * receiver reads a slot with one volatile load and never sees a torn pair, and nothing is counted
 * per slot. The price is an allocation per message and that the last {@code capacity} messages
 * stay reachable until overwritten.
 * <ul>
 *   <li>Senders serialize on {@code this} lock: write the entry (volatile), then {@code tail}
 *       (volatile), then, after unlocking, read {@code waiters.hasWaiters()} (volatile) and wake
 *       them all. A receiver registers and re-reads its slot: the {@link WakeQueue} handshake,
 *       so no wake-up is lost (the handshake is checked by {@code ChannelWakeupRace}; here it is
 *       exercised by {@code BroadcastTest}, which has no dedicated jcstress test yet).</li>
 *   <li>A receiver at position {@code next} reads slot {@code next % capacity}: an entry for
 *       {@code next} is its message; an older one (or none) means nothing new; a newer one (at
 *       {@code e.pos}, so {@code e.pos >= next + capacity}) means it was overwritten: the receiver
 *       missed {@code oldest - next} messages and jumps to {@code oldest = max(tail, e.pos + 1) -
 *       capacity}, the oldest retained as far as it can tell. The {@code max} matters: the sender
 *       stores the entry before it advances {@code tail}, so a receiver can see the entry and
 *       still read the old {@code tail}; with {@code tail} alone it then reported a lag of 0 and
 *       did not move on (issue 12). With it, {@code oldest >= next + 1}: a lag always skips at
 *       least one message, and never past a retained one ({@code e.pos + 1} and the {@code tail}
 *       read are both at most the real tail). Caught by
 *       {@code BroadcastTest.aLagRacingTheSenderCountsEveryMissedMessageExactlyOnce}.</li>
 *   <li>{@code next} is the receiver's own (plain): a receiver is used by one task at a time.</li>
 *   <li><b>Given-back messages</b> ({@code Future.release} of a receive whose value a combinator
 *       discards): the receive future remembers the message and its position; {@code release}
 *       puts them into the receiver's own {@code returned} list (sorted by position), which
 *       every receive of that receiver reads first (one plain read: null when empty), so the
 *       message is received next, in its original order, even if the ring has overwritten it
 *       since, and before the end. {@code returned} is the receiver's own, like {@code next}
 *       (release comes from the combinator in the owning task), so it needs no ordering. A
 *       give-back wakes the channel's waiters in case a receive of this receiver is registered
 *       (harmless spurious wakes for the others; releases are rare). Tested by
 *       {@code ReleaseReceivesTest}.</li>
 *   <li>Counts of senders and receivers are under the lock; {@code closed} (every sender closed)
 *       is volatile and set once, after the last send, so a receiver that sees it and
 *       {@code tail == next} has seen everything.</li>
 * </ul>
 *
 * @param <T> the message type
 */
public final class BroadcastCore<T> {
    /** Guards this object's mutable state; a {@link SpinLock}, never a monitor (see SpinLock for why). */
    private final SpinLock lock = new SpinLock();
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);
    static final Object EMPTY = new Object();
    static final Object END = new Object();

    /** One retained message and its position. Immutable. */
    static final class Entry {
        final long pos;
        final Object message;

        Entry(long pos, Object message) {
            this.pos = pos;
            this.message = message;
        }
    }

    private final int capacity;
    private final Entry[] ring;
    private final WakeQueue waiters = new WakeQueue();
    private volatile long tail;
    private volatile boolean closed;
    private int senders = 1;                           // guarded by this
    private int receivers;                             // guarded by this

    public BroadcastCore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.ring = new Entry[capacity];
    }

    public Broadcast.Sender<T> newSender() {
        return new SenderHandle();
    }

    public Broadcast.Receiver<T> subscribe() {
        lock.lock();
        try {
            receivers++;
            return new ReceiverHandle(tail);
        } finally {
            lock.unlock();
        }
    }

    void send(T message) {
        Objects.requireNonNull(message, "message");
        lock.lock();
        try {
            if (receivers == 0) {
                throw new ClosedException("no broadcast receiver is open: the message was not sent", message);
            }
            long pos = tail;
            SLOT.setVolatile(ring, (int) (pos % capacity), new Entry(pos, message));
            tail = pos + 1;
        } finally {
            lock.unlock();
        }
        if (waiters.hasWaiters()) {
            waiters.wakeAll();
        }
    }

    /**
     * A message, EMPTY, END; throws LaggedException after moving the receiver on. The position of
     * a message returned is left in {@code r.takenPosition}.
     */
    private Object pollMessage(ReceiverHandle r) {
        ReturnedMessages back = r.returned;             // the receiver's own: plain (see notes)
        if (back != null) {
            r.takenPosition = back.firstPosition();
            Object m = back.pollFirst();
            if (back.isEmpty()) {
                r.returned = null;
            }
            return m;
        }
        long next = r.next;
        Entry e = (Entry) SLOT.getVolatile(ring, (int) (next % capacity));
        if (e != null && e.pos == next) {
            r.next = next + 1;
            r.takenPosition = next;
            return e.message;
        }
        if (e != null && e.pos > next) {
            // Overwritten. The sender stores the entry before it advances tail, so tail may still
            // be e.pos here: the entry itself proves tail >= e.pos + 1 (see notes).
            long oldest = Math.max(tail, e.pos + 1) - capacity;
            r.next = oldest;
            throw new LaggedException(oldest - next);
        }
        if (closed && tail == next) {
            return END;
        }
        return EMPTY;
    }

    private Object pollReceive(ReceiverHandle r, WaitNode node, Context cx) {
        Object m;
        try {
            m = pollMessage(r);
            if (m == EMPTY) {
                waiters.register(node, cx.waker());
                m = pollMessage(r);
            }
        } catch (LaggedException e) {
            waiters.retire(node, false);
            throw e;
        }
        if (m != EMPTY) {
            waiters.retire(node, false);
        }
        return m;
    }

    private static ClosedException ended() {
        return new ClosedException("every broadcast sender was closed and every message was received");
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Broadcast[tail=" + tail + ", senders=" + senders + ", receivers=" + receivers + "]";
        } finally {
            lock.unlock();
        }
    }

    private final class SenderHandle implements Broadcast.Sender<T> {
        private boolean handleClosed;                  // guarded by the core's lock

        @Override
        public void send(T message) {
            lock.lock();
            try {
                if (handleClosed) {
                    throw new IllegalStateException("this broadcast sender handle was closed");
                }
            } finally {
                lock.unlock();
            }
            BroadcastCore.this.send(message);
        }

        @Override
        public Broadcast.Receiver<T> subscribe() {
            return BroadcastCore.this.subscribe();
        }

        @Override
        public Broadcast.Sender<T> clone() {
            lock.lock();
            try {
                if (handleClosed) {
                    throw new IllegalStateException("this broadcast sender handle was closed");
                }
                senders++;
            } finally {
                lock.unlock();
            }
            return new SenderHandle();
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (handleClosed) {
                    return;
                }
                handleClosed = true;
                senders--;
                if (senders > 0) {
                    return;
                }
                closed = true;
            } finally {
                lock.unlock();
            }
            waiters.wakeAll();
        }

        @Override
        public int receiverCount() {
            lock.lock();
            try {
                return receivers;
            } finally {
                lock.unlock();
            }
        }
    }

    private final class ReceiverHandle implements Broadcast.Receiver<T> {
        long next;                                     // owned by the task using this receiver
        /** Given-back messages, received first; owned like {@code next}; null when empty. */
        ReturnedMessages returned;
        /** The position of the message the last receive returned; owned like {@code next}. */
        long takenPosition;
        private boolean handleClosed;                  // guarded by the core's lock

        ReceiverHandle(long next) {
            this.next = next;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T recv() {
            Coop.proceedBlocking();
            Object m = pollMessage(this);
            if (m == END) {
                throw ended();
            }
            if (m != EMPTY) {
                return (T) m;
            }
            return Weft.await(recvFuture());
        }

        @Override
        public Future<T> recvFuture() {
            return new Recv();
        }

        @Override
        @SuppressWarnings("unchecked")
        public T tryRecv() {
            Object m = pollMessage(this);
            if (m == END) {
                throw ended();
            }
            return m == EMPTY ? null : (T) m;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!handleClosed) {
                    handleClosed = true;
                    receivers--;
                }
            } finally {
                lock.unlock();
            }
        }

        /** {@code message}, taken at {@code position}, is discarded by its receive: received next. */
        void giveBack(long position, Object message) {
            ReturnedMessages back = returned;
            if (back == null) {
                back = new ReturnedMessages();
                returned = back;
            }
            back.add(position, message);
            if (waiters.hasWaiters()) {
                waiters.wakeAll();                     // a receive of this receiver may be registered
            }
        }

        /** One receive; its own wait node. One poller at a time; drop and release from the owning task. */
        private final class Recv extends WaitNode implements Future<T> {
            private Object delivered;                  // what the ready poll returned, until given back
            private long deliveredPosition;

            @Override
            @SuppressWarnings("unchecked")
            public Poll<T> poll(Context cx) {
                if (!Coop.proceed(cx)) {
                    return Poll.pending();
                }
                Object m = pollReceive(ReceiverHandle.this, this, cx);
                if (m == EMPTY) {
                    return Poll.pending();
                }
                if (m == END) {
                    throw ended();
                }
                delivered = m;
                deliveredPosition = takenPosition;
                return Poll.ready((T) m);
            }

            @Override
            public void drop() {
                waiters.retire(this, false);
            }

            /** The message is discarded unused: this receiver receives it next (once). */
            @Override
            public void release(T value) {
                if (value != null && value == delivered) {
                    delivered = null;
                    giveBack(deliveredPosition, value);
                }
            }
        }
    }
}
