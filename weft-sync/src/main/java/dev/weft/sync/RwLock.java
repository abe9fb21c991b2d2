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
 * A reader-writer lock for Weft tasks that guards a value: many readers at once, or one writer.
 * Thread-safe; first-come-first-served, so a waiting writer is not starved by a stream of readers
 * (readers that arrive after it wait behind it).
 *
 * {@snippet class="dev.weft.sync.snippets.SyncSnippets" region="rwlock"}
 *
 * <p>Built as tokio's is: a fair {@link Semaphore} of {@value #MAX_READERS} permits; a read takes
 * one, a write takes them all. <b>Cancellation</b> is the semaphore's: a cancelled pending read or
 * write gives back everything it was assigned, also when it races with the release that granted
 * it. A guard that a combinator obtained but discards (a dropped or failed
 * {@link Future#join(java.util.List) join}) is closed by the future's
 * {@link Future#release(Object) release}; closing it again is harmless.
 *
 * <p><b>Instead of {@link java.util.concurrent.locks.ReentrantReadWriteLock}</b>: use this one when
 * a reader or the writer awaits while holding it, or from a poll task; the JDK lock blocks threads
 * and is not fair by default. Not reentrant, and a read guard cannot be upgraded.
 *
 * @param <T> the type of the guarded value
 */
public final class RwLock<T> {
    /** The most readers that may hold the lock at once. */
    public static final int MAX_READERS = FairSemaphore.MAX_PERMITS;

    private final FairSemaphore permits = new FairSemaphore(MAX_READERS);
    private T value;            // guarded: written only with all permits held

    /** A lock guarding {@code initial} (which may be null). */
    public RwLock(T initial) {
        this.value = initial;
    }

    /**
     * Locks for reading, parking the calling task while a writer holds or waits for the lock.
     *
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked (it then
     *         holds nothing)
     */
    public ReadGuard<T> read() {
        Coop.proceedBlocking();
        if (permits.tryAcquire(1)) {
            return new ReadGuard<>(this);
        }
        return Weft.await(readFuture());
    }

    /** A future of a read lock, in arrival order. Cancel-safe; {@code release} closes its guard. */
    public Future<ReadGuard<T>> readFuture() {
        return new AcquireFuture<>(permits, 1, () -> new ReadGuard<>(this), ReadGuard::close);
    }

    /** A read lock if one is available now and nobody waits; never waits. */
    public Optional<ReadGuard<T>> tryRead() {
        return permits.tryAcquire(1) ? Optional.of(new ReadGuard<>(this)) : Optional.empty();
    }

    /**
     * Locks for writing, parking the calling task until every earlier holder has released.
     *
     * @throws dev.weft.CancelledException if the calling task is cancelled while parked (it then
     *         holds nothing, and readers queued behind it are let in)
     */
    public WriteGuard<T> write() {
        Coop.proceedBlocking();
        if (permits.tryAcquire(MAX_READERS)) {
            return new WriteGuard<>(this);
        }
        return Weft.await(writeFuture());
    }

    /** A future of the write lock, in arrival order. Cancel-safe; {@code release} closes its guard. */
    public Future<WriteGuard<T>> writeFuture() {
        return new AcquireFuture<>(permits, MAX_READERS, () -> new WriteGuard<>(this), WriteGuard::close);
    }

    /** The write lock if it is free now and nobody waits; never waits. */
    public Optional<WriteGuard<T>> tryWrite() {
        return permits.tryAcquire(MAX_READERS) ? Optional.of(new WriteGuard<>(this)) : Optional.empty();
    }

    @Override
    public String toString() {
        int free = permits.available();
        String s = free == MAX_READERS ? "unlocked" : free == 0 ? "locked" : (MAX_READERS - free) + " readers";
        return "RwLock[" + s + "]";
    }

    /**
     * A held read lock: {@link #get()} the value; {@link #close()} releases (once, any thread).
     *
     * @param <T> the type of the guarded value
     */
    public static final class ReadGuard<T> implements AutoCloseable {
        private final Release release;
        private final RwLock<T> lock;

        private ReadGuard(RwLock<T> lock) {
            this.lock = lock;
            this.release = new Release(lock.permits, 1);
        }

        /** The guarded value. */
        public T get() {
            release.ensureHeld();
            return lock.value;
        }

        /** Releases the read lock; idempotent. */
        @Override
        public void close() {
            release.run();
        }
    }

    /**
     * The held write lock: {@link #get()} and {@link #set} the value; {@link #close()} releases.
     *
     * @param <T> the type of the guarded value
     */
    public static final class WriteGuard<T> implements AutoCloseable {
        private final Release release;
        private final RwLock<T> lock;

        private WriteGuard(RwLock<T> lock) {
            this.lock = lock;
            this.release = new Release(lock.permits, MAX_READERS);
        }

        /** The guarded value. */
        public T get() {
            release.ensureHeld();
            return lock.value;
        }

        /** Replaces the guarded value. */
        public void set(T value) {
            release.ensureHeld();
            lock.value = value;
        }

        /** Releases the write lock; idempotent. */
        @Override
        public void close() {
            release.run();
        }
    }

    /** Releases a guard's permits exactly once (CAS), from any thread. */
    private static final class Release {
        private static final VarHandle DONE;

        static {
            try {
                DONE = MethodHandles.lookup().findVarHandle(Release.class, "done", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final FairSemaphore permits;
        private final int count;
        private volatile boolean done;

        Release(FairSemaphore permits, int count) {
            this.permits = permits;
            this.count = count;
        }

        void ensureHeld() {
            if (done) {
                throw new IllegalStateException("this guard was closed: the lock is no longer held");
            }
        }

        void run() {
            if (DONE.compareAndSet(this, false, true)) {
                permits.release(count);
            }
        }
    }
}
