package dev.weft.io.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock for the short critical sections of weft-io that both runtime workers and the virtual
 * threads they carry enter (a pool's free list, a pipe's ring).
 *
 * <p>Same design and rules as {@code dev.weft.internal.SpinLock} (ARCHITECTURE.md decision 12:
 * a lock that queues waiters, {@code synchronized} or {@code ReentrantLock}, can deadlock a Weft
 * scheduler), which {@code dev.weft.core} does not export to this module. Sections are a few field
 * writes or one bounded copy; never park, block or take another lock inside. Acquire is a CAS
 * (volatile semantics); release is a release store, so the section's writes are visible to the
 * next holder.
 */
public final class SpinLock {
    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(SpinLock.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through HELD
    private volatile int held;

    /** Takes the lock, spinning (then yielding) while another thread holds it. */
    public void lock() {
        if (HELD.compareAndSet(this, 0, 1)) {
            return;
        }
        int spins = 0;
        for (;;) {
            if ((int) HELD.getOpaque(this) == 0 && HELD.compareAndSet(this, 0, 1)) {
                return;
            }
            spins++;
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                Thread.yield();     // a virtual thread frees its carrier; a platform thread lets the holder run
            }
        }
    }

    /** Releases the lock (a release store). */
    public void unlock() {
        HELD.setRelease(this, 0);
    }
}
