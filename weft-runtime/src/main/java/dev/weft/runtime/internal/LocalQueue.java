package dev.weft.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's bounded run queue: only its owner pushes and pops; any thread may
 * {@link #stealHalfInto steal half} of it.
 *
 * <h2>Implementation notes</h2>
 * A ring of {@code capacity} (a power of two) slots indexed by two ever-growing {@code long}
 * counters (no wrap, no ABA):
 * <ul>
 *   <li>{@link #tail} — written only by the owner. A push writes the slot, then publishes it with a
 *       release store of {@code tail}; readers load {@code tail} with acquire, so a slot below the
 *       tail they saw is fully written.</li>
 *   <li>{@link #head} — advanced by CAS, by the owner (pop one) and by stealers (take a batch).
 *       The owner pops from the head too (FIFO), so a task pushed first runs first; the "run next"
 *       LIFO behaviour lives in the worker's separate LIFO slot, not here.</li>
 * </ul>
 * A stealer reads the slots {@code [h, h+n)} <em>before</em> its CAS of {@code head} from
 * {@code h} to {@code h+n}: once the CAS succeeds the owner may reuse those slots. If the owner (or
 * another stealer) moved {@code head} meanwhile, the CAS fails and the copies are discarded; a slot
 * read that raced with the owner's reuse can only be discarded that way (a reference read never
 * tears). The owner only writes slot {@code t} when {@code t - head < capacity}, so it never writes
 * a slot in {@code [head, tail)}.
 *
 * <p>This is the bounded ring of tokio's work-stealing scheduler (tokio
 * {@code runtime/scheduler/multi_thread/queue.rs}), simplified to one CAS'd head, as in the
 * Chase–Lev deque (Chase &amp; Lev, "Dynamic Circular Work-Stealing Deque", SPAA 2005) but with a
 * FIFO owner end. Memory-ordering claims are checked by the jcstress tests {@code LocalQueueStress}
 * and by {@code LocalQueueTest}'s multi-thread exactly-once test.
 */
public final class LocalQueue {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Runnable[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(LocalQueue.class, "head", long.class);
            TAIL = l.findVarHandle(LocalQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Runnable[] slots;
    private final int mask;
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile long head;
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile long tail;

    /** A queue of {@code capacity} slots, a power of two (tests shrink it to reach the edges). */
    public LocalQueue(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 2) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, got " + capacity);
        }
        this.slots = new Runnable[capacity];
        this.mask = capacity - 1;
    }

    public int capacity() {
        return slots.length;
    }

    private long headAcquire() {
        return (long) HEAD.getAcquire(this);
    }

    private long tailAcquire() {
        return (long) TAIL.getAcquire(this);
    }

    /** Owner's view of its own tail: only the owner writes it, so a plain read is current. */
    private long tailOwner() {
        return (long) TAIL.get(this);
    }

    private void setTailRelease(long t) {
        TAIL.setRelease(this, t);
    }

    /** Tasks queued now (a snapshot). */
    public int size() {
        long t = tailAcquire();
        long h = headAcquire();
        return (int) Math.max(0, t - h);
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Owner only. Pushes {@code task} at the tail; if the queue is full, moves half of it (the
     * oldest) plus {@code task} to {@code overflow} instead.
     */
    public void push(Runnable task, Overflow overflow) {
        for (;;) {
            long t = tailOwner();
            long h = headAcquire();
            if (t - h < slots.length) {
                SLOTS.set(slots, (int) (t & mask), task);   // plain: published by the release below
                setTailRelease(t + 1);
                return;
            }
            if (moveHalfToOverflow(h, t, task, overflow)) {
                return;
            }
            // a stealer took some meanwhile: there is room now
        }
    }

    private boolean moveHalfToOverflow(long h, long t, Runnable task, Overflow overflow) {
        int n = (int) ((t - h) / 2);
        Runnable[] batch = new Runnable[n + 1];
        for (int i = 0; i < n; i++) {
            batch[i] = (Runnable) SLOTS.get(slots, (int) ((h + i) & mask));
        }
        if (!HEAD.compareAndSet(this, h, h + n)) {
            return false;
        }
        batch[n] = task;
        overflow.pushBatch(batch);
        return true;
    }

    /** Owner only. The oldest task, or null if empty. */
    public Runnable pop() {
        for (;;) {
            long h = headAcquire();
            long t = tailOwner();
            if (h == t) {
                return null;
            }
            Runnable task = (Runnable) SLOTS.get(slots, (int) (h & mask));
            if (HEAD.compareAndSet(this, h, h + 1)) {
                return task;
            }
        }
    }

    /**
     * Any thread except {@code into}'s owner's competitors: steals half of this queue (rounded
     * up) into {@code into}, which must be the calling worker's own (empty) queue, and returns one
     * of the stolen tasks to run now, or null if there was nothing to steal.
     */
    public Runnable stealHalfInto(LocalQueue into) {
        for (;;) {
            long h = headAcquire();
            long t = tailAcquire();
            long available = t - h;
            if (available <= 0) {
                return null;
            }
            int n = (int) (available - available / 2);
            int room = into.slots.length - into.size();
            n = Math.min(n, room + 1);
            Runnable first = (Runnable) SLOTS.get(slots, (int) (h & mask));
            long dstTail = into.tailOwner();
            for (int i = 1; i < n; i++) {
                Runnable r = (Runnable) SLOTS.get(slots, (int) ((h + i) & mask));
                SLOTS.set(into.slots, (int) ((dstTail + i - 1) & into.mask), r);
            }
            if (HEAD.compareAndSet(this, h, h + n)) {
                if (n > 1) {
                    into.setTailRelease(dstTail + n - 1);
                }
                return first;
            }
        }
    }

    /** Where a full queue sends half of its tasks. */
    @FunctionalInterface
    public interface Overflow {
        /** Takes a batch of tasks (oldest first) that no longer fit. */
        void pushBatch(Runnable[] batch);
    }
}
