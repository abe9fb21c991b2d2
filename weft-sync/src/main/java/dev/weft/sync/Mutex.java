package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Weft;
import dev.weft.spi.Coop;
import dev.weft.sync.internal.AcquireFuture;
import dev.weft.sync.internal.FairSemaphore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * A mutual-exclusion lock for Weft tasks that guards a value: the value is reachable only through
 * the {@link Guard} that holding the lock gives, and the guard releases the lock when closed
 * (try-with-resources). Thread-safe; first-come-first-served.
 *
 * {@snippet class="dev.weft.sync.snippets.SyncSnippets" region="mutex"}
 *
 * <p><b>Across awaits.</b> A task may hold the guard while it awaits (a sleep, a receive, a call to
 * another service): other tasks that want the lock wait in line without holding a thread.
 * Contenders are served in arrival order, so no task is stuck behind a stream of newcomers.
 *
 * <p><b>Cancellation.</b> Cancelling a pending {@link #lockFuture()} (or the task parked in
 * {@link #lock()}) leaves the lock as if that task had never asked, also when the cancellation
 * races with the unlock that handed it the lock: the lock then passes to the next in line. It never
 * ends up held by nobody-in-particular.
 *
 * <p><b>A discarded guard is released.</b> If a combinator obtains the guard but will not deliver
 * it (a {@link Future#join(java.util.List) join} whose other branch failed, or that lost a select
 * or timed out after this branch was granted), it calls the future's
 * {@link Future#release(Object) release}, which closes the guard: the lock passes to the next in
 * line. Closing that guard again later is harmless (close is idempotent).
 *
 * <p><b>Instead of {@link java.util.concurrent.locks.ReentrantLock} or {@code synchronized}</b>:
 * use those for short critical sections with no await inside (they are cheaper, and on JDK 24+
 * they do not pin virtual threads). Use this mutex when the critical section awaits, or from a poll
 * task, which must never block its worker on a JDK lock. It is not reentrant: locking it again
 * from the task that holds it waits forever.
 *
 * @param <T> the type of the guarded value
 */
public final class Mutex<T> {
    private final FairSemaphore permit = new FairSemaphore(1);
    private T value;            // guarded: accessed only by the holder of the one permit

    /** A mutex guarding {@code initial} (which may be null). */
    public Mutex(T initial) {
        this.value = initial;
    }

    /**
     * Locks, parking the calling task until the lock is free; close the guard to unlock.
     *
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked: it then
     *         holds nothing (a hand-over that raced with the cancellation goes to the next in line)
     */
    public Guard<T> lock() {
        Coop.proceedBlocking();
        if (permit.tryAcquire(1)) {
            return new Guard<>(this);
        }
        return Weft.await(lockFuture());
    }

    /**
     * A future of the lock, in arrival order. Cancel-safe (see the class notes); its
     * {@link Future#release(Object) release} closes the guard it returned.
     */
    public Future<Guard<T>> lockFuture() {
        return new AcquireFuture<>(permit, 1, () -> new Guard<>(this), Guard::close);
    }

    /** The lock if it is free now and nobody waits for it; never waits. */
    public Optional<Guard<T>> tryLock() {
        return permit.tryAcquire(1) ? Optional.of(new Guard<>(this)) : Optional.empty();
    }

    /** True if the lock is held now (a snapshot, for diagnostics). */
    public boolean isLocked() {
        return permit.available() == 0;
    }

    @Override
    public String toString() {
        return "Mutex[" + (isLocked() ? "locked" : "unlocked") + "]";
    }

    /**
     * The held lock and access to the value. Used by the task that locked; {@link #close()} unlocks
     * (once; from any thread). Reading or writing the value after close throws.
     *
     * @param <T> the type of the guarded value
     */
    public static final class Guard<T> implements AutoCloseable {
        private static final VarHandle CLOSED;

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(Guard.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Mutex<T> mutex;
        private volatile boolean closed;

        private Guard(Mutex<T> mutex) {
            this.mutex = mutex;
        }

        /** The guarded value. */
        public T get() {
            ensureOpen();
            return mutex.value;
        }

        /** Replaces the guarded value. */
        public void set(T value) {
            ensureOpen();
            mutex.value = value;
        }

        /**
         * Unlocks; idempotent (a CAS makes exactly one call unlock, also when the lock future's
         * {@code release} closed this guard first). The next task in line gets the lock.
         */
        @Override
        public void close() {
            if (CLOSED.compareAndSet(this, false, true)) {
                mutex.permit.release(1);
            }
        }

        private void ensureOpen() {
            if (closed) {
                throw new IllegalStateException("this guard was closed: the mutex is no longer held");
            }
        }

        @Override
        public String toString() {
            return "Mutex.Guard[" + (closed ? "released" : "held") + "]";
        }
    }
}
