package dev.weft.rules;

/**
 * The kinds of queued lock that {@link QueuedLockScanner} finds (ARCHITECTURE.md decision 12). An
 * {@link Exemption} names one kind, so an exemption for one never hides another.
 */
enum Rule {
    /** A {@code synchronized} method (ACC_SYNCHRONIZED) or block ({@code monitorenter}). */
    MONITOR,
    /** {@code Object.wait}, {@code notify} or {@code notifyAll}: the monitor's wait set. */
    WAIT_NOTIFY,
    /**
     * A {@code java.util.concurrent} type whose waiters queue and are woken one by one: the locks
     * ({@code ReentrantLock}, {@code ReentrantReadWriteLock}, {@code StampedLock}, the {@code Lock}
     * and {@code Condition} interfaces) and the synchronizers and queues built on
     * {@code AbstractQueuedSynchronizer} or on a {@code ReentrantLock}.
     */
    QUEUED_LOCK,
    /**
     * {@code Throwable.addSuppressed}, which is {@code synchronized} on the throwable; a throwable
     * shared between tasks (a scope's failure) is a shared monitor. The call javac generates for
     * try-with-resources is not counted (see {@link QueuedLockScanner}).
     */
    ADD_SUPPRESSED,
    /**
     * {@code java.lang.ref.Cleaner.register}, and {@code Arena.ofAuto()} which calls it: inserts
     * into the cleaner's list under a monitor.
     */
    CLEANER,
    /**
     * Logging and console output: {@code System.Logger.log} (its default backend,
     * {@code java.util.logging}, publishes under a handler lock), any {@code java.util.logging}
     * call, a read of {@code System.out} or {@code System.err} (every {@code PrintStream} write
     * takes the stream's lock) and {@code Throwable.printStackTrace()} (to {@code System.err},
     * under its lock).
     */
    LOGGING
}
