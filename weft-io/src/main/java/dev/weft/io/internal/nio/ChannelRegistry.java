package dev.weft.io.internal.nio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * Every {@link Registration} of one {@link NioDriver}, so that closing the driver closes every
 * channel it made, including those no task ever waited on (they have no selection key, so the
 * selector does not know them).
 *
 * <h2>Implementation notes</h2>
 * An intrusive singly-linked list through {@link Registration#nextRegistered}, lock-free
 * (ARCHITECTURE.md decision 12):
 * <ul>
 *   <li><b>Add</b> (any thread): Treiber push, a CAS on {@link #head}. A registration is added
 *       once, and a pusher writes only its own node's link before publishing it.</li>
 *   <li><b>Sweep and walk</b>: only the thread that holds the driver's token (see
 *       {@code NioDriver}), so they never run at the same time. A sweep takes the whole list
 *       ({@code getAndSet(null)}), drops closed registrations (their channels are closed by the
 *       driver's queue, which every close goes through) and pushes the rest back as one chain;
 *       pushes that come meanwhile start a new list, which the chain is linked in front of. The
 *       walk of {@link NioDriver#close()} sees every registration, since a sweep, which holds the
 *       token too, has always pushed its chain back before the walk can start. ABA on
 *       {@link #head} is harmless: a push depends only on the head's identity, and a node pushed
 *       back by a sweep links to the list as it is now. {@code ChannelRegistryTest} races four
 *       adders with a sweeper (it fails if the chain is stored back instead of CAS'd in front).</li>
 *   <li>Sweeps are amortised: the driver sweeps only when at least {@link #SWEEP_MIN} closes
 *       happened since the last sweep and they are at least half of the registrations.</li>
 * </ul>
 */
final class ChannelRegistry {
    private static final VarHandle HEAD;
    private static final VarHandle SIZE;
    static final int SWEEP_MIN = 64;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(ChannelRegistry.class, "head", Registration.class);
            SIZE = l.findVarHandle(ChannelRegistry.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through HEAD
    private volatile Registration head;
    @SuppressWarnings("unused") // through SIZE
    private volatile int size;
    /** Token holder only: closes applied since the last sweep. */
    private int closedSinceSweep;

    /** Any thread: adds {@code r} (once). */
    void add(Registration r) {
        SIZE.getAndAdd(this, 1);
        for (;;) {
            Registration h = (Registration) HEAD.getVolatile(this);
            r.nextRegistered = h;
            if (HEAD.compareAndSet(this, h, r)) {
                return;
            }
        }
    }

    /** Token holder: a registration's channel was closed; sweeps when enough were. */
    void closed() {
        closedSinceSweep++;
        if (closedSinceSweep >= SWEEP_MIN && closedSinceSweep * 2 >= (int) SIZE.getVolatile(this)) {
            sweep();
        }
    }

    /** Token holder: drops closed registrations. */
    void sweep() {
        closedSinceSweep = 0;
        Registration r = (Registration) HEAD.getAndSet(this, null);
        Registration keepHead = null;
        Registration keepTail = null;
        int dropped = 0;
        while (r != null) {
            Registration next = r.nextRegistered;
            r.nextRegistered = null;
            if (r.isClosed()) {
                dropped++;
            } else if (keepTail == null) {
                keepHead = r;
                keepTail = r;
            } else {
                keepTail.nextRegistered = r;
                keepTail = r;
            }
            r = next;
        }
        SIZE.getAndAdd(this, -dropped);
        if (keepHead == null) {
            return;
        }
        for (;;) {
            Registration h = (Registration) HEAD.getVolatile(this);
            keepTail.nextRegistered = h;
            if (HEAD.compareAndSet(this, h, keepHead)) {
                return;
            }
        }
    }

    /** Token holder: every registration added and not swept. */
    void forEach(Consumer<Registration> action) {
        for (Registration r = (Registration) HEAD.getVolatile(this); r != null; r = r.nextRegistered) {
            action.accept(r);
        }
    }

    /** Registrations added and not swept (closed ones among them until the next sweep). */
    int size() {
        return (int) SIZE.getVolatile(this);
    }
}
