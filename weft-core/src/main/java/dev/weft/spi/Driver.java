package dev.weft.spi;

/**
 * An event source that a runtime waits on when it has nothing to run: an I/O selector, an
 * io_uring ring. The driver turns events into {@link dev.weft.Waker#wake() wakes}; the runtime
 * decides who waits on it and for how long.
 *
 * <p>A driver is made once per runtime, on first use, through
 * {@link dev.weft.Runtime#driver(Class, java.util.function.Function)}. Runtimes with their own
 * threads (multi-thread, current-thread) wait on it in place of parking: the thread that would
 * park calls {@link #park(long)} with the next timer deadline as its timeout, and a wake from
 * any other thread calls {@link #wakeup()}. Busy runtimes also call {@code park(0)} now and then,
 * so events are seen while no thread is idle. A runtime that cannot wait on it (the JDK-default
 * runtime) gives it a thread of its own. So blocking system calls are made only by threads the
 * runtime owns, never by a task's virtual thread (ARCHITECTURE.md, "drivers are driven by
 * workers").
 *
 * <p>{@link #park(long)} is called by one thread at a time; {@link #wakeup()} by any thread, any
 * time, also when nobody is parked (then the next {@code park} returns at once).
 */
public interface Driver {

    /**
     * Waits up to {@code timeoutNanos} for events and dispatches those that came: returns after
     * the first batch of events, after {@link #wakeup()}, or at the timeout. {@code 0} does not
     * wait (dispatches what is ready now); {@link Long#MAX_VALUE} waits without a timeout.
     */
    void park(long timeoutNanos);

    /** Makes a {@link #park} in progress return soon, or the next one return at once. Any thread. */
    void wakeup();

    /**
     * Ends the calling thread's turn: a driver that batches requests (the io_uring driver prepares
     * a submission per operation and enters the kernel once for many) hands the kernel what this
     * thread prepared, and dispatches what completed at once. A runtime thread that may have
     * started operations calls it before it parks without {@link #park} (another thread waits on
     * the driver), and at least every few dozen tasks; {@link #park} flushes too. Default: nothing
     * (the NIO driver starts each operation when it is asked).
     */
    default void flush() { }

    /**
     * An extra this driver offers through {@link dev.weft.Runtime#extension(Class)} (ring
     * statistics, fixed buffers, ...), or empty; the default offers the driver itself if it is of
     * that type.
     */
    default <E> java.util.Optional<E> extension(Class<E> type) {
        return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : java.util.Optional.empty();
    }

    /**
     * Releases the driver's resources. Called once by its runtime as it shuts down, after the
     * runtime's tasks have finished (or the close grace period ran out) and no thread parks in it.
     */
    void close();
}
