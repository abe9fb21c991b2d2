package dev.weft.sync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded multi-producer, single-consumer ring of messages: the buffer of
 * {@code Channels.mpsc(capacity)}. Lock-free for producers, wait-free for the consumer, no
 * allocation per message.
 *
 * <h2>Implementation notes</h2>
 * The algorithm is Dmitry Vyukov's bounded MPMC queue (1024cores.net, "Bounded MPMC queue"),
 * with the consumer side simplified for one consumer and a CLOSED bit added to the producer index.
 * Every slot has a sequence number next to its message. Vyukov's encoding ({@code pos} free,
 * {@code pos + 1} full) is doubled here so that a ring of capacity 1 is unambiguous:
 * <pre>
 *   seq == 2·pos                 slot is free for the producer of position pos
 *   seq == 2·pos + 1             slot holds the message of position pos, for the consumer
 *   seq == 2·(pos + capacity)    consumer took it: free for the producer of the next lap
 * </pre>
 * <ul>
 *   <li>{@code tail} = (next producer position &lt;&lt; 1) | CLOSED. A producer claims position
 *       {@code pos} by CAS of {@code tail} (which fails once CLOSED is set, so no message can slip
 *       in after {@link #close()}), writes the message (plain) and publishes it with a volatile
 *       store of the slot's sequence. That store is volatile, not just release, because the
 *       channel reads "is a receiver waiting?" right after it (store-then-load; see
 *       {@link WakeQueue}). Tested by {@code ChannelWakeupRace} (jcstress) and
 *       {@code MpscLincheckTest}.</li>
 *   <li>{@code head} is written only by the consumer (under the channel's consumer lock) with
 *       release stores; other threads read it only for {@link #size()}, an estimate.</li>
 *   <li>The consumer reads the slot's sequence (volatile), then the message (plain: ordered by that
 *       read), clears the message, and frees the slot with a volatile store of {@code pos +
 *       capacity}: volatile because the channel then reads "is a sender waiting?" (the same
 *       store-then-load handshake, for back-pressure).</li>
 *   <li>A claimed slot whose message is not written yet looks empty to the consumer;
 *       {@link #claimedAhead()} tells the two apart (tail ahead of head), so a non-blocking receive
 *       can wait the few instructions until the producer publishes (linearizability), and a
 *       pending receive can rely on that producer's wake.</li>
 *   <li>Head and tail sit on different cache lines (padding superclasses, as JCTools does), so
 *       producers and the consumer do not false-share.</li>
 * </ul>
 *
 * @param <T> the message type
 */
public final class BoundedRing<T> extends BoundedRingFields implements MessageQueue<T> {
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

    private final int capacity;
    private final int mask;             // capacity - 1 when capacity is a power of two, else -1
    private final long[] sequence;
    private final Object[] items;

    /** A ring of exactly {@code capacity} slots. */
    public BoundedRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.mask = Integer.bitCount(capacity) == 1 ? capacity - 1 : -1;
        this.sequence = new long[capacity];
        this.items = new Object[capacity];
        for (int i = 0; i < capacity; i++) {
            sequence[i] = 2L * i;
        }
    }

    /** The number of messages the ring holds at most. */
    public int capacity() {
        return capacity;
    }

    /** The slot of position {@code pos}: a mask for power-of-two capacities, else a remainder. */
    private int index(long pos) {
        return mask >= 0 ? (int) pos & mask : (int) (pos % capacity);
    }

    @Override
    public int offer(T message) {
        long t = tailVolatile();
        for (;;) {
            if ((t & CLOSED_BIT) != 0) {
                return CLOSED;
            }
            long pos = t >>> 1;
            int i = index(pos);
            long seq = (long) SEQ.getVolatile(sequence, i);
            long dif = seq - 2 * pos;
            if (dif == 0) {
                if (casTail(t, t + 2)) {
                    items[i] = message;                        // published by the volatile store below
                    SEQ.setVolatile(sequence, i, 2 * pos + 1);
                    return OK;
                }
                t = tailVolatile();
            } else if (dif < 0) {
                // The consumer has not freed this slot since the last lap: full, unless tail moved.
                long again = tailVolatile();
                if (again == t) {
                    return FULL;
                }
                t = again;
            } else {
                t = tailVolatile();                             // another producer took pos
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T poll() {
        long pos = head;                                        // consumer-owned: plain read
        int i = index(pos);
        long seq = (long) SEQ.getVolatile(sequence, i);
        if (seq != 2 * pos + 1) {
            return null;
        }
        T message = (T) items[i];                               // ordered after the volatile read of seq
        items[i] = null;
        setHeadRelease(pos + 1);
        SEQ.setVolatile(sequence, i, 2 * (pos + capacity));           // free for the next lap (see notes)
        return message;
    }

    @Override
    public long position() {
        return head;                                            // consumer-owned: plain read
    }

    @Override
    public boolean claimedAhead() {
        return (tailVolatile() >>> 1) != head;
    }

    @Override
    public boolean finished() {
        long t = tailVolatile();
        return (t & CLOSED_BIT) != 0 && (t >>> 1) == head;
    }

    @Override
    public boolean close() {
        for (;;) {
            long t = tailVolatile();
            if ((t & CLOSED_BIT) != 0) {
                return false;
            }
            if (casTail(t, t | CLOSED_BIT)) {
                return true;
            }
        }
    }

    @Override
    public boolean isClosed() {
        return (tailVolatile() & CLOSED_BIT) != 0;
    }

    @Override
    public long size() {
        long h = headVolatile();
        long t = tailVolatile() >>> 1;
        return Math.max(0, Math.min(capacity, t - h));
    }
}

/** Padding, then the producers' index, then padding, then the consumer's index (see BoundedRing). */
abstract class BoundedRingPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

abstract class BoundedRingTail extends BoundedRingPad0 {
    static final long CLOSED_BIT = 1L;
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(BoundedRingTail.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** (next producer position << 1) | CLOSED_BIT; changed only by CAS. */
    private volatile long tail;

    final long tailVolatile() {
        return tail;
    }

    final boolean casTail(long expected, long next) {
        return TAIL.compareAndSet(this, expected, next);
    }
}

abstract class BoundedRingPad1 extends BoundedRingTail {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36, p37;
}

abstract class BoundedRingFields extends BoundedRingPad1 {
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(BoundedRingFields.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Next consumer position. Written by the consumer only; plain reads by the consumer. */
    long head;
    long p40, p41, p42, p43, p44, p45, p46, p47;

    final void setHeadRelease(long h) {
        HEAD.setRelease(this, h);
    }

    final long headVolatile() {
        return (long) HEAD.getVolatile(this);
    }
}
