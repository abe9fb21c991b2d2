package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.sync.ClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collection;

/**
 * The shared state of one mpsc channel: its {@link MessageQueue}, the tasks waiting to receive
 * and (bounded only) to send, the count of open sender handles, and the consumer lock.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Closing</b> is the queue's CLOSED bit, set when the last sender handle closes or when
 *       the receiver closes. Because it lives in the word producers CAS to claim a slot, a send
 *       either claimed its slot before the close (and the receiver will get the message) or fails
 *       with {@link ClosedException} carrying the message back: no message is ever accepted and
 *       then dropped. The receiver ends when the queue is closed and drained.</li>
 *   <li><b>Waking the receiver</b>: a send publishes its message (volatile) and then reads
 *       {@code receivers.hasWaiters()} (volatile), waking one waiting receive only if there is one:
 *       there is no wake, and no lock, per message while the receiver is busy. A receive that finds
 *       nothing registers in {@code receivers} and looks again. See {@link WakeQueue} for why no
 *       wake-up is lost; {@code ChannelWakeupRace} (jcstress) checks it.</li>
 *   <li><b>Back-pressure</b> (bounded): a send that finds the ring full registers in
 *       {@code senders} and tries again; the consumer frees a slot (volatile) and then reads
 *       {@code senders.hasWaiters()}. Same handshake, other direction.</li>
 *   <li><b>Consumer lock.</b> The queues are single-consumer. A {@code Receiver} may still be shared
 *       by several tasks (each message goes to one of them), so every consumer-side call runs
 *       under a tiny spin lock ({@code consuming}, CAS to take, release store to give back). It
 *       is held for a few instructions, never across a wait and never across user code;
 *       uncontended it costs one CAS.</li>
 *   <li><b>Batches and the user's sink.</b> {@link #drainTo} takes up to {@value #DRAIN_BATCH}
 *       messages under the consumer lock into an array (the channel's spare one, {@code drainBuffer},
 *       taken by getAndSet, so a concurrent drain on a shared receiver allocates its own), lets go
 *       of the lock, and only then calls {@code sink.add}. A message the sink refuses (its
 *       {@code add} throws) is not lost: it and the rest of its batch go, in order, to the front of
 *       {@code returned}, which every consumer-side call takes from before the queue. Such
 *       messages no longer occupy ring slots: a bounded channel holds them beyond its capacity
 *       until they are received.</li>
 *   <li><b>Cancel safety</b> comes from the shape of every receive: a message is taken from the
 *       queue only by the poll that returns it. A pending receive holds nothing but its node in
 *       {@code receivers}, so cancelling it loses nothing ({@link WakeQueue#retire} passes on any
 *       wake it was given). A pending send holds its message in the future, not in the queue.</li>
 * </ul>
 *
 * @param <T> the message type
 */
public final class ChannelCore<T> {
    /** {@link #pollMessage} found nothing visible. */
    static final Object EMPTY = new Object();
    /** {@link #pollMessage} found the channel closed and drained. */
    static final Object END = new Object();
    /** Messages {@link #drainTo} takes under one hold of the consumer lock. */
    static final int DRAIN_BATCH = 64;

    private static final VarHandle CONSUMING;
    private static final VarHandle SENDER_COUNT;
    private static final VarHandle DRAIN_BUFFER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CONSUMING = l.findVarHandle(ChannelCore.class, "consuming", int.class);
            SENDER_COUNT = l.findVarHandle(ChannelCore.class, "senderCount", int.class);
            DRAIN_BUFFER = l.findVarHandle(ChannelCore.class, "drainBuffer", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final MessageQueue<T> queue;
    final boolean bounded;
    final WakeQueue receivers = new WakeQueue();
    final WakeQueue senders = new WakeQueue();
    private volatile int senderCount = 1;
    private volatile int consuming;
    private volatile boolean receiverClosed;
    /** Messages a sink refused, with the rest of their batch, received before the queue's. Consumer lock; null when none. */
    private Object[] returned;
    /** Index of the next message in {@link #returned}. Consumer lock. */
    private int returnedHead;
    /** Messages left in {@link #returned}: written under the consumer lock, read by {@link #size()} without it. */
    private volatile int returnedCount;
    /** The spare batch array of {@link #drainTo}: null while a drain uses it (or before the first). */
    @SuppressWarnings("unused") // through DRAIN_BUFFER
    private volatile Object[] drainBuffer;

    ChannelCore(MessageQueue<T> queue, boolean bounded) {
        this.queue = queue;
        this.bounded = bounded;
    }

    /** A bounded channel (capacity ≥ 1). */
    public static <T> ChannelCore<T> bounded(int capacity) {
        return new ChannelCore<>(new BoundedRing<>(capacity), true);
    }

    /** An unbounded channel. */
    public static <T> ChannelCore<T> unbounded() {
        return new ChannelCore<>(new LinkedBlocks<>(), false);
    }

    /** An unbounded channel with small blocks, for tests that must cross block boundaries. */
    public static <T> ChannelCore<T> unbounded(int slotsPerBlock) {
        return new ChannelCore<>(new LinkedBlocks<>(slotsPerBlock), false);
    }

    // ------------------------------------------------------------------ send side

    /**
     * Stores {@code message} if there is room. Any thread, never waits.
     *
     * @return false if the (bounded) buffer is full
     * @throws ClosedException with the message if the channel is closed
     */
    public boolean trySend(T message) {
        int r = queue.offer(message);
        if (r == MessageQueue.OK) {
            if (receivers.hasWaiters()) {       // volatile read after the volatile publish: see notes
                receivers.wakeOne();
            }
            return true;
        }
        if (r == MessageQueue.FULL) {
            return false;
        }
        throw closedFor(message);
    }

    ClosedException closedFor(T message) {
        String why = receiverClosed ? "the receiver was closed" : "every sender was closed";
        return new ClosedException("channel closed (" + why + "): the message was not sent", message);
    }

    /** One more sender handle; false if the channel has no open sender left (it cannot reopen). */
    boolean addSender() {
        for (;;) {
            int c = senderCount;
            if (c == 0) {
                return false;
            }
            if (SENDER_COUNT.compareAndSet(this, c, c + 1)) {
                return true;
            }
        }
    }

    /** A sender handle closed; the last one closes the channel for sending. */
    void dropSender() {
        int left = (int) SENDER_COUNT.getAndAdd(this, -1) - 1;
        if (left == 0) {
            queue.close();
            receivers.wakeAll();
        }
    }

    int senderCount() {
        return senderCount;
    }

    // ------------------------------------------------------------------ receive side

    /** Closes the receiving side: sends fail from now on, buffered messages can still be received. */
    public void closeReceiver() {
        receiverClosed = true;
        queue.close();
        senders.wakeAll();
        receivers.wakeAll();
    }

    boolean receiverClosed() {
        return receiverClosed;
    }

    /** Any thread: the number of messages held, approximately (exact when quiescent). */
    public long size() {
        return queue.size() + returnedCount;
    }

    /**
     * The next message, {@link #EMPTY} or {@link #END}, under the consumer lock. With
     * {@code strict}, a slot a producer has claimed but not yet written is waited for (a few
     * instructions), so a non-blocking receive is linearizable; without it, such a slot answers
     * EMPTY and the producer's wake comes after it publishes.
     */
    Object pollMessage(boolean strict) {
        T m;
        boolean finished = false;
        lockConsumer();
        try {
            m = takeLocked();
            if (m == null && strict) {
                int spins = 0;
                while (m == null && queue.claimedAhead()) {
                    spins = backOff(spins);
                    m = queue.poll();
                }
            }
            if (m == null) {
                finished = queue.finished();
            }
        } finally {
            unlockConsumer();
        }
        if (m != null) {
            afterTake();
            return m;
        }
        return finished ? END : EMPTY;
    }

    /**
     * Moves up to {@code max} messages into {@code sink}, in order; never waits. Messages are
     * taken in batches under the consumer lock and added to {@code sink} outside it. If
     * {@code sink.add} throws, the message it refused and every later one stay in the channel,
     * in order, for the next receive; those added before stay in the sink; the exception
     * propagates.
     *
     * @return how many were moved
     */
    @SuppressWarnings("unchecked")
    public int drainTo(Collection<? super T> sink, int max) {
        int n = 0;
        Object[] batch = null;
        try {
            while (n < max) {
                if (batch == null) {
                    batch = takeDrainBuffer();
                }
                int want = Math.min(max - n, batch.length);
                int got = takeBatch(batch, want);
                if (got == 0) {
                    break;
                }
                afterTake();
                for (int i = 0; i < got; i++) {
                    T m = (T) batch[i];
                    batch[i] = null;
                    try {
                        sink.add(m);
                    } catch (Throwable t) {
                        handBack(m, batch, i + 1, got);
                        throw t;
                    }
                    n++;
                }
                if (got < want) {
                    break;                              // nothing more was visible
                }
            }
        } finally {
            if (batch != null) {
                DRAIN_BUFFER.setRelease(this, batch);   // cleared: every slot was added or handed back
            }
        }
        return n;
    }

    private Object[] takeDrainBuffer() {
        Object[] spare = (Object[]) DRAIN_BUFFER.getAndSet(this, null);
        return spare != null ? spare : new Object[DRAIN_BATCH];
    }

    /** Takes up to {@code want} messages into {@code batch} under one hold of the consumer lock. */
    private int takeBatch(Object[] batch, int want) {
        int got = 0;
        lockConsumer();
        try {
            while (got < want) {
                T m = takeLocked();
                if (m == null) {
                    break;
                }
                batch[got++] = m;
            }
        } finally {
            unlockConsumer();
        }
        return got;
    }

    /** Consumer lock held: the next message, from {@link #returned} first, else from the queue; null if none. */
    @SuppressWarnings("unchecked")
    private T takeLocked() {
        Object[] r = returned;
        if (r == null) {
            return queue.poll();
        }
        T m = (T) r[returnedHead];
        r[returnedHead++] = null;
        int left = r.length - returnedHead;
        if (left == 0) {
            returned = null;
            returnedHead = 0;
        }
        returnedCount = left;
        return m;
    }

    /**
     * A sink refused {@code refused}: it and {@code batch[from..to)} go back to the front of the
     * channel, before any messages handed back earlier and not yet received (they were taken
     * later). Then another task waiting on a shared receiver may take them: one is woken. No wake
     * is lost: a waiter registers before it looks again under the consumer lock, so either it
     * sees these messages or its registration happened before this hand-back and is seen here.
     */
    private void handBack(T refused, Object[] batch, int from, int to) {
        lockConsumer();
        try {
            int older = returned == null ? 0 : returned.length - returnedHead;
            Object[] r = new Object[1 + (to - from) + older];
            r[0] = refused;
            System.arraycopy(batch, from, r, 1, to - from);
            if (older > 0) {
                System.arraycopy(returned, returnedHead, r, 1 + (to - from), older);
            }
            returned = r;
            returnedHead = 0;
            returnedCount = r.length;
        } finally {
            unlockConsumer();
        }
        Arrays.fill(batch, from, to, null);
        if (receivers.hasWaiters()) {
            receivers.wakeOne();
        }
    }

    /** After freeing slots (volatile stores in the ring): let a waiting sender retry. */
    private void afterTake() {
        if (bounded && senders.hasWaiters()) {
            senders.wakeOne();
        }
    }

    /**
     * One poll of a receive owned by {@code node}: take a message, or register and look again.
     * Returns a message, {@link #EMPTY} (pending; the node is registered) or {@link #END}; the node
     * is retired whenever the answer is not EMPTY.
     */
    Object pollReceive(WaitNode node, Context cx) {
        Object r = pollMessage(false);
        if (r == EMPTY) {
            receivers.register(node, cx.waker());
            r = pollMessage(false);
            if (r == EMPTY) {
                return EMPTY;
            }
        }
        receivers.retire(node, true);
        return r;
    }

    /**
     * One poll of a batch receive owned by {@code node}: moves up to {@code max} messages into
     * {@code sink}, or registers and looks again. Returns the number moved (&gt; 0), {@code 0} at
     * the end of the channel, or {@code -1} (pending; the node is registered). Messages move only
     * when the answer is not pending, so cancelling a pending batch receive moves nothing.
     */
    int pollReceiveMany(WaitNode node, Context cx, Collection<? super T> sink, int max) {
        int n;
        try {
            n = drainTo(sink, max);
            if (n == 0 && !finished()) {
                receivers.register(node, cx.waker());
                n = drainTo(sink, max);
                if (n == 0 && !finished()) {
                    return -1;
                }
            }
        } catch (Throwable t) {
            receivers.retire(node, true);               // the sink failed: this receive is over (drainTo kept the messages)
            throw t;
        }
        receivers.retire(node, true);
        return n;
    }

    /** Whether {@link #pollMessage} would answer END now (consumer lock taken). */
    boolean finished() {
        lockConsumer();
        try {
            return returned == null && queue.finished();
        } finally {
            unlockConsumer();
        }
    }

    private void lockConsumer() {
        int spins = 0;
        while (!CONSUMING.compareAndSet(this, 0, 1)) {
            spins = backOff(spins);
        }
    }

    private void unlockConsumer() {
        CONSUMING.setRelease(this, 0);
    }

    /** Spin politely: a few hundred spin-waits, then yield the thread (or virtual thread). */
    private static int backOff(int spins) {
        if (spins < 256) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return spins + 1;
    }
}
