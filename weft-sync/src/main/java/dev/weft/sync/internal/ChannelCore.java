package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.sync.ClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 *       is held for a few instructions, never across a wait and never across user code (a sink's
 *       {@code add} runs after it is released); uncontended it costs one CAS.</li>
 *   <li><b>Cancel safety</b> comes from the shape of every receive: a message is taken from the
 *       queue only by the poll that returns it. A pending receive holds nothing but its node in
 *       {@code receivers}, so cancelling it loses nothing ({@link WakeQueue#retire} passes on any
 *       wake it was given). A pending send holds its message in the future, not in the queue.</li>
 *   <li><b>Given-back messages</b> ({@code Future.release} of a receive whose value a combinator
 *       discards). A receive future remembers the message its ready poll returned and the
 *       position it was taken at (the queue's consumer index, or the position it had if it came
 *       from here); {@link #giveBack} puts it into {@code returned}, a small list sorted by
 *       position. Every consumer path takes from {@code returned} first while it is non-null
 *       ({@link #pollMessage}: {@code recv}, {@code tryRecv}, {@code recvFuture}, the stream;
 *       {@link #takeMany}: {@code recvManyFuture} and {@link #drainTo}, which move what they took
 *       into the user's sink outside the lock and give back what a throwing sink refused), so given-back messages are
 *       received before anything still in the queue (they were all taken before it) and among
 *       themselves in position order: their original order. The end (END, a closed channel) is
 *       answered only once {@code returned} is empty too. They do not count against a bounded
 *       channel's capacity: their slots were freed when they were taken, so the channel may hold
 *       capacity + (messages given back) for a while.
 *       <br><b>Ordering.</b> {@code returned} is read and written only under the consumer lock,
 *       so the receive path pays one plain read of it (null when empty) inside the lock it takes
 *       anyway, and needs no ordering of its own. Waking: the giver stores under the consumer lock
 *       and then reads {@code receivers.hasWaiters()} (volatile); a receive registers (a volatile
 *       store) and then takes the consumer lock to look again. Taking the lock is a volatile CAS
 *       of {@code consuming} on both sides, so those two CASes are ordered: if the giver's comes
 *       first the receive's look sees the message; if the receive's comes first the giver's read
 *       of the waiter count, after its own CAS, sees the registration and wakes it. Checked by
 *       {@code ReleaseReceivesTest.aMessageGivenBackWhileAReceiveRegistersWakesIt} (two threads,
 *       20,000 rounds) and {@code UnboundedLincheckTest} ({@code recvGiveBackThenTryRecv}).</li>
 * </ul>
 *
 * @param <T> the message type
 */
public final class ChannelCore<T> {
    /** {@link #pollMessage} found nothing visible. */
    static final Object EMPTY = new Object();
    /** {@link #pollMessage} found the channel closed and drained. */
    static final Object END = new Object();

    private static final VarHandle CONSUMING;
    private static final VarHandle SENDER_COUNT;

    static {
        dev.weft.internal.Diagnostics.registerLibrary(ChannelCore.class);   // its frames are Weft's in dumps
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CONSUMING = l.findVarHandle(ChannelCore.class, "consuming", int.class);
            SENDER_COUNT = l.findVarHandle(ChannelCore.class, "senderCount", int.class);
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
    /** Messages {@link #drainTo} takes under one hold of the consumer lock. */
    static final int DRAIN_BATCH = 64;
    /** Given-back messages, received first; guarded by the consumer lock; null when empty (see notes). */
    private ReturnedMessages returned;
    /** How many {@code returned} holds; written under the consumer lock; read by {@link #size()}. */
    private volatile int returnedCount;

    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    /** A number unique in the process: dumps name the channel {@code mpsc#id}. */
    final long id = IDS.incrementAndGet();

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

    /**
     * The next message, {@link #EMPTY} or {@link #END}, under the consumer lock. With
     * {@code strict}, a slot a producer has claimed but not yet written is waited for (a few
     * instructions), so a non-blocking receive is linearizable; without it, such a slot answers
     * EMPTY and the producer's wake comes after it publishes.
     */
    Object pollMessage(boolean strict) {
        return pollMessage(strict, null);
    }

    /**
     * {@link #pollMessage(boolean)} for a receive that may give its message back: the position of
     * the message taken is written to {@code taker} (if not null).
     */
    Object pollMessage(boolean strict, ReceiveNode taker) {
        T m;
        boolean finished = false;
        lockConsumer();
        try {
            if (returned != null) {                     // plain: guarded by the consumer lock (see notes)
                return takeReturnedLocked(taker);       // no ring slot freed: no sender to wake
            }
            m = queue.poll();
            if (m == null && strict) {
                int spins = 0;
                while (m == null && queue.claimedAhead()) {
                    spins = backOff(spins);
                    m = queue.poll();
                }
            }
            if (m == null) {
                finished = queue.finished();
            } else if (taker != null) {
                taker.takenPosition = queue.position() - 1;
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

    /** Under the consumer lock, {@code returned} not null: takes its oldest message. */
    private Object takeReturnedLocked(ReceiveNode taker) {
        ReturnedMessages r = returned;
        if (taker != null) {
            taker.takenPosition = r.firstPosition();
        }
        Object m = r.pollFirst();
        if (r.isEmpty()) {
            returned = null;
        }
        returnedCount = r.size();
        return m;
    }

    /**
     * Gives back {@code message}, which a receive took at {@code position} and whose consumer
     * discards it ({@code Future.release}): the next receive gets it first. Any thread; takes the
     * consumer lock for a few instructions; wakes a waiting receive (see notes).
     */
    void giveBack(long position, T message) {
        ReturnedMessages spare = new ReturnedMessages();        // allocated outside the lock
        lockConsumer();
        try {
            addReturnedLocked(position, message, spare);
        } finally {
            unlockConsumer();
        }
        if (receivers.hasWaiters()) {                   // volatile read after our CAS of the lock: see notes
            receivers.wakeOne();
        }
    }

    /** {@link #giveBack} of the messages of {@code batch} whose {@code back} flag is set. */
    void giveBack(TakenBatch<T> batch, boolean[] back) {
        ReturnedMessages spare = new ReturnedMessages();
        boolean any = false;
        lockConsumer();
        try {
            for (int i = 0; i < batch.size(); i++) {
                if (back[i]) {
                    addReturnedLocked(batch.position(i), batch.message(i), spare);
                    any = true;
                }
            }
        } finally {
            unlockConsumer();
        }
        if (any && receivers.hasWaiters()) {
            receivers.wakeOne();
        }
    }

    private void addReturnedLocked(long position, T message, ReturnedMessages spare) {
        ReturnedMessages r = returned;
        if (r == null) {
            r = spare;
            returned = r;
        }
        r.add(position, message);
        returnedCount = r.size();
    }

    /**
     * Moves up to {@code max} messages into {@code sink}, in order; never waits. Messages are
     * taken in batches of up to {@value #DRAIN_BATCH} under the consumer lock (given-back ones
     * first) and added to {@code sink} after the lock is released: the sink is user code, which
     * never runs under a Weft spin lock. If {@code sink.add} throws, the message it refused and the
     * rest of its batch are given back, in order, for the next receive (those added before stay in
     * the sink), and the exception propagates.
     *
     * @return how many were moved
     */
    public int drainTo(Collection<? super T> sink, int max) {
        int n = 0;
        while (n < max) {
            int want = Math.min(max - n, DRAIN_BATCH);
            TakenBatch<T> batch = new TakenBatch<>(want);
            int got = takeMany(batch, want);
            if (got <= 0) {
                break;
            }
            moveToSink(batch, got, sink);
            n += got;
            if (got < want) {
                break;                                  // nothing more was visible
            }
        }
        return n;
    }

    /**
     * Adds the first {@code n} messages of {@code batch} to the user's {@code sink}, with no lock
     * held. If {@code add} throws, the message it refused and the rest of the batch are given
     * back (received first, in order) and the exception propagates.
     */
    void moveToSink(TakenBatch<T> batch, int n, Collection<? super T> sink) {
        int added = 0;
        try {
            for (; added < n; added++) {
                sink.add(batch.message(added));
            }
        } catch (RuntimeException | Error e) {
            boolean[] back = new boolean[n];
            java.util.Arrays.fill(back, added, n, true);
            giveBack(batch, back);
            throw e;
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
     * is retired whenever the answer is not EMPTY. A message's position is left in the node.
     */
    Object pollReceive(ReceiveNode node, Context cx) {
        Object r = pollMessage(false, node);
        if (r == EMPTY) {
            receivers.register(node, cx.waker());
            r = pollMessage(false, node);
            if (r == EMPTY) {
                return EMPTY;
            }
        }
        receivers.retire(node, true);
        return r;
    }

    /**
     * One poll of a batch receive owned by {@code node}: takes up to {@code max} messages into
     * {@code batch}, or registers and looks again. Returns the number taken (&gt; 0), {@code 0} at
     * the end of the channel, or {@code -1} (pending; the node is registered). Messages are taken
     * only when the answer is not pending, so cancelling a pending batch receive takes nothing.
     * The caller moves them into the user's sink, outside the consumer lock.
     */
    int pollReceiveMany(ReceiveNode node, Context cx, TakenBatch<T> batch, int max) {
        int n = takeMany(batch, max);
        if (n == 0) {
            receivers.register(node, cx.waker());
            n = takeMany(batch, max);
            if (n == 0) {
                return -1;
            }
        }
        receivers.retire(node, true);
        return Math.max(n, 0);
    }

    /**
     * Takes up to {@code max} messages into {@code batch} under one consumer lock, given-back ones
     * first; never waits, runs no user code. Returns the number taken, 0 if none is there now, or
     * -1 at the end of the channel.
     */
    private int takeMany(TakenBatch<T> batch, int max) {
        int n = 0;
        boolean fromQueue = false;
        boolean finished = false;
        lockConsumer();
        try {
            while (n < max && returned != null) {
                long position = returned.firstPosition();
                @SuppressWarnings("unchecked")
                T m = (T) takeReturnedLocked(null);
                batch.add(position, m);
                n++;
            }
            while (n < max) {
                long position = queue.position();
                T m = queue.poll();
                if (m == null) {
                    break;
                }
                batch.add(position, m);
                n++;
                fromQueue = true;
            }
            if (n == 0) {
                finished = queue.finished();
            }
        } finally {
            unlockConsumer();
        }
        if (fromQueue) {
            afterTake();
        }
        return n > 0 ? n : finished ? -1 : 0;
    }

    /** The messages held, approximately: in the queue, plus given back. Any thread. */
    long size() {
        return queue.size() + returnedCount;
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

    /** {@code mpsc#3 [empty, 1 sender]}: what task dumps show of the channel. */
    @Override
    public String toString() {
        long n = size();
        int senders = senderCount;
        return "mpsc#" + id + " [" + (n == 0 ? "empty" : n + " buffered")
                + ", " + (senders <= 0 ? "every sender closed" : senders + (senders == 1 ? " sender" : " senders"))
                + (receiverClosed ? ", receiver closed" : "") + "]";
    }
}
