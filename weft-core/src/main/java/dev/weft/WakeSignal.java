package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A "something may be ready" signal from a source to the one task that polls it: the wake kind
 * of {@link PollTrigger}. The source calls {@link #signal()} whenever it has produced something
 * (from any thread: a listener, a native callback through an FFM upcall); the task that polls the
 * source is woken and calls its poll function again. {@code weft-native}'s
 * {@code NativeWake.upcall} makes one whose {@code signal()} is a C function pointer.
 *
 * {@snippet class="dev.weft.snippets.PollTriggerSnippets" region="signal"}
 *
 * <p><b>Contract.</b> No signal is lost: a signal that arrives at any moment after the poller
 * started looking at the source — even between an empty look and the poller's registration —
 * makes the poller look again. Signals are not counted: several signals before the next look
 * cause one look, so the poll function must drain or return what is there. A signal with nobody
 * registered (before the first poll, after the stream ended or was cancelled, after the task
 * finished) only sets the flag and is otherwise harmless. {@link #signal()} never blocks and
 * never throws because of the poller.
 *
 * <p><b>Writing a poller by hand</b> (what {@code fromPoll} does):
 * <ol>
 *   <li>{@link #clear()} — forget signals already seen;</li>
 *   <li>look at the source; if it has something, take it;</li>
 *   <li>otherwise {@link #register(Waker)} the context's waker; if that returns {@code true} a
 *       signal arrived since step 1: look again (or wake yourself and return pending);</li>
 *   <li>{@link #deregister()} when done for good, so later signals wake nobody.</li>
 * </ol>
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>Two volatile fields: {@link #signalled}, written by signallers and cleared by the poller;
 *       {@link #waker}, written by the poller only.</li>
 *   <li>Dekker handshake (store, then load the other side's field; volatile accesses are
 *       sequentially consistent): the signaller sets {@code signalled}, then reads {@code waker};
 *       the poller writes {@code waker}, then reads {@code signalled}. In any interleaving at
 *       least one of them sees the other's store, so either the signaller wakes the registered
 *       waker or the poller sees the flag and looks again. {@code WakeSignalRaceTest} loses a
 *       wake-up within seconds if either side's re-read is removed.</li>
 *   <li>{@link #clear()} is an atomic {@code getAndSet(false)} guarded by a plain volatile read:
 *       a signal stored after the read stays set (so it is seen by step 3), and a signal the
 *       swap consumes happened-before it, so the source's item, published before the signal, is
 *       visible to the look that follows. A blind {@code signalled = false} could erase a signal
 *       whose item the look then misses.</li>
 *   <li>{@link #signal()} reads {@code waker} once and wakes that waker; a poller that changes
 *       or removes it concurrently at worst gets one spurious wake, which the {@link Waker}
 *       contract makes harmless.</li>
 * </ul>
 */
public final class WakeSignal implements PollTrigger {
    private static final VarHandle SIGNALLED;

    static {
        try {
            SIGNALLED = MethodHandles.lookup().findVarHandle(WakeSignal.class, "signalled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Set by {@link #signal()}, consumed by {@link #clear()}. */
    private volatile boolean signalled;
    /** The poller's waker, or null when nobody waits (written by the poller only). */
    private volatile Waker waker;

    /** A signal with nobody registered and no signal pending. */
    public WakeSignal() { }

    /**
     * Tells the poller that the source may have something: wakes the registered waker, or, if
     * none is registered, makes the poller's next {@link #register} answer {@code true}. Any
     * thread, never blocks; harmless when nobody polls any more.
     */
    public void signal() {
        signalled = true;            // store, then load: pairs with register()
        Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }

    /**
     * Poller only: forgets the signals received so far, before the poller looks at the source.
     *
     * @return true if a signal was pending
     */
    public boolean clear() {
        if (!signalled) {
            return false;            // nothing to consume; a later signal stays set
        }
        return (boolean) SIGNALLED.getAndSet(this, false);
    }

    /**
     * Poller only: after an empty look, asks for {@code waker} to be woken by the next signal.
     *
     * @return true if a signal arrived since the last {@link #clear()}: the source may already
     *         have something, so the poller must look again instead of waiting
     */
    public boolean register(Waker waker) {
        this.waker = java.util.Objects.requireNonNull(waker, "waker");   // store, then load: pairs with signal()
        return signalled;
    }

    /** Poller only: nobody waits any more; later signals wake nothing. Idempotent. */
    public void deregister() {
        waker = null;
    }

    @Override
    public String toString() {
        return "WakeSignal[" + (signalled ? "signalled" : "quiet") + (waker != null ? ", registered]" : "]");
    }
}
