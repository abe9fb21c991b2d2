package dev.weft.sync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An unbounded multi-producer, single-consumer queue made of linked blocks of
 * {@value #BLOCK_SIZE} slots: the buffer of {@code Channels.unbounded()}. One allocation per
 * block, not per message. Tests may shrink the blocks (to 2 slots) so that Lincheck's short
 * scenarios cross block boundaries, as tokio shrinks its queues under loom.
 *
 * <h2>Implementation notes</h2>
 * The layout follows the "list of blocks" channels of tokio ({@code sync/mpsc/block.rs}) and
 * crossbeam-channel ({@code flavors/list.rs}), and JCTools' {@code MpscUnboundedArrayQueue}; the
 * protocol below is Weft's own.
 * <ul>
 *   <li>{@code tail} = (next producer position &lt;&lt; 1) | CLOSED. A producer reads the
 *       {@code tailBlock} hint <em>before</em> claiming a position by CAS of {@code tail}; the hint
 *       only ever points at the block of a position claimed earlier, so it is at or before the
 *       producer's block, and the producer walks forward through {@code next}, linking a new block
 *       by CAS where there is none (the loser of that CAS uses the winner's block). It then
 *       publishes its message with a volatile store into the slot (volatile for the
 *       store-then-load handshake with a waiting receiver; see {@link WakeQueue}; tested by
 *       {@code ChannelWakeupRace.Unbounded} and {@code UnboundedLincheckTest}), and moves the
 *       hint forward by a best-effort CAS.</li>
 *   <li>A slot holds null until its message is published; messages are never null, so the value
 *       is its own "ready" flag.</li>
 *   <li>{@code head} and {@code headBlock} belong to the consumer (under the channel's consumer
 *       lock). The consumer reads {@code next} (volatile) to step into a block a producer linked.
 *       Consumed slots are cleared so a slow consumer does not retain messages; a block becomes
 *       garbage once both the consumer and the hint have moved past it.</li>
 *   <li>As in {@link BoundedRing}, a claimed but unwritten slot looks empty;
 *       {@link #claimedAhead()} tells the two apart.</li>
 * </ul>
 *
 * @param <T> the message type
 */
public final class LinkedBlocks<T> implements MessageQueue<T> {
    /** Slots per block by default. */
    public static final int BLOCK_SIZE = 32;
    private static final long CLOSED_BIT = 1L;
    private static final VarHandle TAIL;
    private static final VarHandle TAIL_BLOCK;
    private static final VarHandle HEAD;
    private static final VarHandle NEXT;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(LinkedBlocks.class, "tail", long.class);
            TAIL_BLOCK = l.findVarHandle(LinkedBlocks.class, "tailBlock", Block.class);
            HEAD = l.findVarHandle(LinkedBlocks.class, "head", long.class);
            NEXT = l.findVarHandle(Block.class, "next", Block.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A block of slots for positions [id·size, (id+1)·size). */
    static final class Block {
        final long id;
        final Object[] slots;
        volatile Block next;

        Block(long id, int size) {
            this.id = id;
            this.slots = new Object[size];
        }
    }

    private final int shift;
    private final int mask;

    private volatile long tail;
    private volatile Block tailBlock;
    /** Consumer-owned: plain reads by the consumer, release writes (read by size()). */
    private long head;
    private Block headBlock;

    public LinkedBlocks() {
        this(BLOCK_SIZE);
    }

    /** Blocks of {@code slotsPerBlock} slots, a power of two of at least 2 (tests shrink it). */
    public LinkedBlocks(int slotsPerBlock) {
        if (slotsPerBlock < 2 || Integer.bitCount(slotsPerBlock) != 1) {
            throw new IllegalArgumentException("slots per block must be a power of two >= 2: " + slotsPerBlock);
        }
        this.shift = Integer.numberOfTrailingZeros(slotsPerBlock);
        this.mask = slotsPerBlock - 1;
        Block first = new Block(0, slotsPerBlock);
        this.headBlock = first;
        this.tailBlock = first;
    }

    @Override
    public int offer(T message) {
        Block b = tailBlock;                        // read before the claim: see notes
        long t = tail;
        for (;;) {
            if ((t & CLOSED_BIT) != 0) {
                return CLOSED;
            }
            if (TAIL.compareAndSet(this, t, t + 2)) {
                break;
            }
            t = tail;
        }
        long pos = t >>> 1;
        long id = pos >>> shift;
        while (b.id < id) {
            Block n = b.next;
            if (n == null) {
                Block fresh = new Block(b.id + 1, mask + 1);
                if (NEXT.compareAndSet(b, null, fresh)) {
                    n = fresh;
                } else {
                    n = b.next;
                }
            }
            b = n;
        }
        SLOT.setVolatile(b.slots, (int) pos & mask, message);
        Block hint = tailBlock;
        if (hint.id < b.id) {
            TAIL_BLOCK.compareAndSet(this, hint, b);   // best effort: a later producer may move it further
        }
        return OK;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T poll() {
        long pos = head;
        Block b = headBlock;
        if (b.id != pos >>> shift) {
            Block n = b.next;
            if (n == null) {
                return null;                            // the producer of pos has not linked it yet
            }
            headBlock = n;
            b = n;
        }
        int i = (int) pos & mask;
        Object m = SLOT.getVolatile(b.slots, i);
        if (m == null) {
            return null;
        }
        b.slots[i] = null;                              // consumer-only slot from now on: plain
        HEAD.setRelease(this, pos + 1);
        return (T) m;
    }

    @Override
    public long position() {
        return head;                                            // consumer-owned: plain read
    }

    @Override
    public boolean claimedAhead() {
        return (tail >>> 1) != head;
    }

    @Override
    public boolean finished() {
        long t = tail;
        return (t & CLOSED_BIT) != 0 && (t >>> 1) == head;
    }

    @Override
    public boolean close() {
        for (;;) {
            long t = tail;
            if ((t & CLOSED_BIT) != 0) {
                return false;
            }
            if (TAIL.compareAndSet(this, t, t | CLOSED_BIT)) {
                return true;
            }
        }
    }

    @Override
    public boolean isClosed() {
        return (tail & CLOSED_BIT) != 0;
    }

    @Override
    public long size() {
        long h = (long) HEAD.getVolatile(this);
        return Math.max(0, (tail >>> 1) - h);
    }
}
