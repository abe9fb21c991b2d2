package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.Weft;
import dev.weft.spi.Coop;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Oneshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A oneshot channel: one state word, the value, and the receiver's waker. The object is both
 * halves' shared state; {@link #sender()} and {@link #receiver()} are views. It is also the future
 * a sequential {@code recv()} awaits (never handed out: the value goes straight to the caller, so
 * nothing can discard it), which saves an idle receiver a future object.
 *
 * <h2>Implementation notes</h2>
 * State bits, changed only by CAS (the state machine of tokio's {@code sync/oneshot.rs}, written
 * anew):
 * <pre>
 *   SENDING    a send (or sender close) has claimed the sender: only one can; a send that
 *              fails because the receiver closed gives the claim back
 *   VALUE      the value is written and visible
 *   TX_CLOSED  the sender is done: with VALUE it sent, without VALUE it closed empty-handed
 *   RX_CLOSED  the receiver was closed: sends fail
 *   TAKEN      the receiver took the value
 *   WAKER      {@code rxWaker} holds the receiver's waker and may be read by the sender
 * </pre>
 * <ul>
 *   <li>The sender claims SENDING, writes {@code value} (plain), then sets VALUE|TX_CLOSED by CAS:
 *       the CAS publishes the value. If the state it replaced had WAKER, it wakes
 *       {@code rxWaker}.</li>
 *   <li>{@code rxWaker} is plain: the receiver writes it only while WAKER is clear, then sets
 *       WAKER by CAS (publishing it); to replace it, the receiver first clears WAKER by CAS, which
 *       fails once VALUE or TX_CLOSED is set, so the waker the sender reads is stable. No wake-up
 *       is lost: either the sender's CAS sees WAKER and wakes, or the receiver's CAS that sets
 *       WAKER fails because VALUE/TX_CLOSED arrived, and the receiver takes the value at once.
 *       Checked by {@code OneshotLincheckTest} and {@code OneshotWakeupRace} (jcstress).</li>
 *   <li>A receive takes the value only in the poll that returns it (TAKEN by CAS, so two
 *       receives cannot both get it): cancelling a receive loses nothing.</li>
 *   <li><b>Giving the value back</b> ({@code Future.release} of a receive future whose value a
 *       combinator discards): the future that returned it (and only it, once: a CAS on its own
 *       field) writes {@code value} again (plain) and clears TAKEN with a volatile read-modify-write,
 *       which publishes the write: the next receive's read of {@code state} sees TAKEN clear and
 *       VALUE set and reads {@code value} after it. The plain write races with nobody: while
 *       TAKEN is set no receive reads {@code value} (they fail with "already received") and the
 *       sender is done with it (VALUE is set). Nobody can be waiting then either (a receive that
 *       finds TAKEN fails), so nobody is woken. Checked by {@code OneshotLincheckTest}
 *       ({@code recvGiveBackThenTryRecv}) and {@code ReleaseReceivesTest}.</li>
 * </ul>
 *
 * @param <T> the value type
 */
public final class OneshotCore<T> implements Future<T> {
    static final int SENDING = 1;
    static final int VALUE = 2;
    static final int TX_CLOSED = 4;
    static final int RX_CLOSED = 8;
    static final int TAKEN = 16;
    static final int WAKER = 32;
    private static final VarHandle STATE;
    private static final VarHandle DELIVERED;

    static {
        dev.weft.internal.Diagnostics.registerLibrary(OneshotCore.class);   // its frames are Weft's in dumps
        try {
            STATE = MethodHandles.lookup().findVarHandle(OneshotCore.class, "state", int.class);
            DELIVERED = MethodHandles.lookup().findVarHandle(OneshotCore.Recv.class, "delivered", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;
    private T value;            // written before VALUE is set by CAS; read after VALUE is seen
    private Waker rxWaker;      // see notes: guarded by the WAKER bit protocol

    private final Oneshot.Sender<T> sender = new OneshotSenderView();
    private final Oneshot.Receiver<T> receiver = new OneshotReceiverView();

    public Oneshot.Sender<T> sender() {
        return sender;
    }

    public Oneshot.Receiver<T> receiver() {
        return receiver;
    }

    // ------------------------------------------------------------------ sender

    void send(T v) {
        Objects.requireNonNull(v, "value");
        int s = state;
        for (;;) {
            if ((s & (SENDING | TX_CLOSED)) != 0) {
                throw new IllegalStateException("this oneshot was already sent or its sender closed");
            }
            if ((s & RX_CLOSED) != 0) {
                throw new ClosedException("the oneshot's receiver was closed: the value was not sent", v);
            }
            if (STATE.compareAndSet(this, s, s | SENDING)) {
                break;
            }
            s = state;
        }
        value = v;
        s = state;
        for (;;) {
            if ((s & RX_CLOSED) != 0) {
                // Give the claim back: this send had no effect, so a retry fails the same way
                // ("closed", not "already sent"). Found by OneshotLincheckTest.
                value = null;
                STATE.getAndBitwiseAnd(this, ~SENDING);
                throw new ClosedException("the oneshot's receiver was closed: the value was not sent", v);
            }
            if (STATE.compareAndSet(this, s, s | VALUE | TX_CLOSED)) {
                break;
            }
            s = state;
        }
        if ((s & WAKER) != 0) {
            rxWaker.wake();
        }
    }

    void closeSender() {
        int s = state;
        for (;;) {
            if ((s & (SENDING | TX_CLOSED)) != 0) {
                return;                         // already sent, or closed
            }
            if (STATE.compareAndSet(this, s, s | SENDING | TX_CLOSED)) {
                break;
            }
            s = state;
        }
        if ((s & WAKER) != 0) {
            rxWaker.wake();
        }
    }

    // ------------------------------------------------------------------ receiver

    /** The value, null if not there yet; throws at the end. Takes it (TAKEN) when returning it. */
    T tryTake() {
        int s = state;
        if ((s & TAKEN) != 0) {
            throw new IllegalStateException("the oneshot's value was already received");
        }
        if ((s & VALUE) != 0) {
            return take();
        }
        if ((s & TX_CLOSED) != 0) {
            throw closedEmpty();
        }
        return null;
    }

    private T take() {
        int before = (int) STATE.getAndBitwiseOr(this, TAKEN);
        if ((before & TAKEN) != 0) {
            throw new IllegalStateException("the oneshot's value was already received");
        }
        T v = value;
        value = null;
        return v;
    }

    /** The receive that took {@code v} gives it back: receivable again (see notes). */
    void giveBack(T v) {
        value = v;                                  // TAKEN is set: nobody else touches value now
        STATE.getAndBitwiseAnd(this, ~TAKEN);       // volatile RMW: publishes value to the next receive
    }

    private static ClosedException closedEmpty() {
        return new ClosedException("the oneshot's sender was closed without sending a value");
    }

    /**
     * Takes the value, or registers the waker and answers pending. Every CAS is preceded by a
     * check for VALUE/TX_CLOSED in the same state it expects, so the waker is never registered on
     * a state that already holds the value (that would be a lost wake-up; the first version of this
     * method had exactly that bug, caught by {@code OneshotTest}'s register-versus-send race).
     */
    Poll<T> pollRecv(Context cx) {
        Waker w = cx.waker();
        int s = state;
        for (;;) {
            if ((s & (VALUE | TX_CLOSED | TAKEN)) != 0) {
                return Poll.ready(tryTake());           // the value, or throws: closed / already taken
            }
            if ((s & WAKER) != 0) {
                if (rxWaker.willWake(w)) {
                    return Poll.pending();
                }
                if (STATE.compareAndSet(this, s, s & ~WAKER)) {
                    s = s & ~WAKER;                     // the sender no longer reads rxWaker
                } else {
                    s = state;
                }
                continue;
            }
            rxWaker = w;                                // WAKER is clear: the sender does not read it now
            if (STATE.compareAndSet(this, s, s | WAKER)) {
                return Poll.pending();
            }
            s = state;
        }
    }

    void closeReceiver() {
        STATE.getAndBitwiseOr(this, RX_CLOSED);
    }

    boolean receiverClosed() {
        return (state & RX_CLOSED) != 0;
    }

    @Override
    public String toString() {
        int s = state;
        String what = (s & TAKEN) != 0 ? "received" : (s & VALUE) != 0 ? "sent" : (s & TX_CLOSED) != 0 ? "closed" : "empty";
        return "recv(oneshot@" + Integer.toHexString(System.identityHashCode(this)) + ", " + what + ((s & RX_CLOSED) != 0 ? ", receiver closed" : "") + ")";
    }

    /** The sequential receive's future (see the class notes); {@link #recvFuture()} makes the others. */
    @Override
    public Poll<T> poll(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        return pollRecv(cx);
    }

    private final class OneshotSenderView implements Oneshot.Sender<T> {
        @Override
        public void send(T v) {
            OneshotCore.this.send(v);
        }

        @Override
        public void close() {
            closeSender();
        }

        @Override
        public boolean isClosed() {
            return receiverClosed();
        }

        @Override
        public String toString() {
            return OneshotCore.this.toString();
        }
    }

    /** One receive as a future. One poller at a time; drop and release from any thread. */
    private final class Recv implements Future<T> {
        /** The value the ready poll returned, until given back (release store; CAS to give back once). */
        @SuppressWarnings("unused") // through DELIVERED
        private Object delivered;

        @Override
        public Poll<T> poll(Context cx) {
            Poll<T> p = OneshotCore.this.poll(cx);
            if (p.isReady()) {
                DELIVERED.setRelease(this, p.value());
            }
            return p;
        }

        @Override
        public void drop() {
            // Nothing was taken; a stale registered waker at worst wakes its task once.
        }

        /** The value is discarded unused: it becomes receivable again (once). */
        @Override
        public void release(T v) {
            if (v != null && DELIVERED.compareAndSet(this, v, null)) {
                giveBack(v);
            }
        }
    }

    private final class OneshotReceiverView implements Oneshot.Receiver<T> {
        @Override
        public T recv() {
            Coop.proceedBlocking();
            T v = tryTake();
            if (v != null) {
                return v;
            }
            return Weft.await(OneshotCore.this);
        }

        @Override
        public Future<T> recvFuture() {
            return new Recv();
        }

        @Override
        public T tryRecv() {
            return tryTake();
        }

        @Override
        public void close() {
            closeReceiver();
        }

        @Override
        public String toString() {
            return OneshotCore.this.toString();
        }
    }
}
