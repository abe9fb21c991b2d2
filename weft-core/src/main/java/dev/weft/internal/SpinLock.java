package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock for the short critical sections that both a runtime's worker threads and the virtual
 * threads they carry enter (the live-task registry, the idle set, a task's cancel state).
 *
 * <h2>Why not {@code synchronized} or {@code ReentrantLock}</h2>
 * Both wake <em>one</em> queued waiter on release. If that waiter is a virtual thread carried by
 * this runtime, it must be scheduled on a worker before it can take the lock; if every worker is
 * itself parked waiting for the same lock, nobody runs it and the runtime deadlocks (seen with
 * {@code synchronized}, which unmounts a contending virtual thread on JDK 24+). Here nobody is
 * queued: a waiter spins (a virtual thread yields its carrier after a while), and the holder never
 * parks inside the section, so the lock is always released by a running thread.
 *
 * <p>Rules: sections are a few field writes; never park, block, or take another lock inside.
 * Acquire is a CAS (volatile semantics); release is a release store, so the section's writes are
 * visible to the next holder. Exercised by {@code MultiThreadRuntimeTest}'s million-spawn test,
 * which deadlocked with a monitor.
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

    /** Takes the lock if it is free; never waits. */
    public boolean tryLock() {
        return (int) HELD.getOpaque(this) == 0 && HELD.compareAndSet(this, 0, 1);
    }

    public void unlock() {
        HELD.setRelease(this, 0);
    }
}
