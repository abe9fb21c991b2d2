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
 * A counting semaphore for Weft tasks: strictly first-come-first-served, able to acquire several
 * permits at once, and safe under cancellation. Thread-safe.
 *
 * {@snippet class="dev.weft.sync.snippets.SyncSnippets" region="semaphore"}
 *
 * <p><b>Fairness.</b> Acquisitions are served in arrival order. A large request at the head of the
 * line is served before smaller ones behind it (permits released meanwhile are set aside for it),
 * so it cannot starve; {@link #tryAcquire} never overtakes a waiter.
 *
 * <p><b>Cancellation.</b> Cancelling a pending {@link #acquireFuture} (or the sequential task
 * parked in {@link #acquire}) gives back every permit it had been assigned, also when the
 * cancellation races with the release that granted it: no permit leaks, and the next waiter is
 * served. Permits that a combinator obtained but discards (a dropped or failed
 * {@link Future#join(java.util.List) join}) are given back by the future's
 * {@link Future#release(Object) release}, which closes the {@link Permit}; closing it again is
 * harmless.
 *
 * <p><b>Instead of {@link java.util.concurrent.Semaphore}</b>: the JDK's semaphore blocks the
 * thread, so in a poll task it blocks a worker of the runtime; its {@code acquire} is interruptible
 * but a thread interrupted just as permits are handed over has to be handled by the caller. This
 * one is pending instead of blocking, and the permit comes back as a {@link Permit} for
 * try-with-resources, so it is released on every path.
 */
public final class Semaphore {
    private final FairSemaphore permits;

    /** A semaphore with {@code permits} free permits (0 or more). */
    public Semaphore(int permits) {
        this.permits = new FairSemaphore(permits);
    }

    /**
     * Acquires one permit, parking the calling task until it is free.
     *
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked (nothing is
     *         held then)
     */
    public Permit acquire() {
        return acquire(1);
    }

    /**
     * Acquires {@code n} permits at once, parking the calling task until they are all free.
     *
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked (nothing is
     *         held then)
     */
    public Permit acquire(int n) {
        checkRequest(n);
        Coop.proceedBlocking();
        if (permits.tryAcquire(n)) {
            return new Permit(permits, n);
        }
        return Weft.await(acquireFuture(n));
    }

    /** {@link #acquireFuture(int)} of one permit. */
    public Future<Permit> acquireFuture() {
        return acquireFuture(1);
    }

    /**
     * A future of {@code n} permits: pending until they are all assigned, in arrival order.
     * Cancel-safe: cancelling it gives back whatever it was assigned; its
     * {@link Future#release(Object) release} closes the {@link Permit} it returned.
     */
    public Future<Permit> acquireFuture(int n) {
        checkRequest(n);
        return new AcquireFuture<>(permits, n, () -> new Permit(permits, n), Permit::close);
    }

    /** One permit if it is free now and nobody waits; never waits. */
    public Optional<Permit> tryAcquire() {
        return tryAcquire(1);
    }

    /** {@code n} permits if they are free now and nobody waits; never waits. */
    public Optional<Permit> tryAcquire(int n) {
        checkRequest(n);
        return permits.tryAcquire(n) ? Optional.of(new Permit(permits, n)) : Optional.empty();
    }

    /**
     * Adds {@code n} permits (serving waiters first). For permits obtained without a {@link Permit},
     * or to grow the semaphore.
     */
    public void release(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot release a negative number of permits: " + n);
        }
        permits.release(n);
    }

    /** The permits free now: 0 while any acquisition waits. */
    public int availablePermits() {
        return permits.available();
    }

    private static void checkRequest(int n) {
        if (n < 1 || n > FairSemaphore.MAX_PERMITS) {
            throw new IllegalArgumentException("permits to acquire must be in [1, " + FairSemaphore.MAX_PERMITS + "]: " + n);
        }
    }

    @Override
    public String toString() {
        return "Semaphore[" + permits + "]";
    }

    /**
     * Permits held; {@link #close()} gives them back (once, from any thread). Use it with
     * try-with-resources.
     */
    public static final class Permit implements AutoCloseable {
        private static final VarHandle DONE;

        static {
            try {
                DONE = MethodHandles.lookup().findVarHandle(Permit.class, "done", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final FairSemaphore semaphore;
        private final int count;
        private volatile boolean done;

        private Permit(FairSemaphore semaphore, int count) {
            this.semaphore = semaphore;
            this.count = count;
        }

        /** How many permits this holds. */
        public int permits() {
            return count;
        }

        /** Releases the permits; idempotent. */
        @Override
        public void close() {
            if (DONE.compareAndSet(this, false, true)) {
                semaphore.release(count);
            }
        }

        /**
         * Drops the permits without giving them back: the semaphore has that many fewer from now
         * on (until someone {@linkplain Semaphore#release(int) releases} more). Idempotent; a no-op
         * after {@link #close()}.
         */
        public void forget() {
            DONE.compareAndSet(this, false, true);
        }

        @Override
        public String toString() {
            return "Permit[" + count + (done ? ", released" : "") + "]";
        }
    }
}
