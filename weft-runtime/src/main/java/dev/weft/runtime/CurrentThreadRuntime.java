package dev.weft.runtime;

import dev.weft.Cancellable;
import dev.weft.CancelledException;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.internal.ExecutionContext;
import dev.weft.runtime.internal.RuntimeScheduler;
import dev.weft.runtime.internal.WheelTimer;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.Driver;
import dev.weft.spi.Faults;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A runtime that runs every task, poll and sequential, on one OS thread: the thread that drives
 * it through {@link #run}, {@link #blockOn}, {@link #turn()} or {@link #close()}. Nothing runs
 * while nobody drives it. It never spins: with nothing to run it parks until the next timer or
 * a wake.
 *
 * {@snippet class="dev.weft.snippets.RuntimeSnippets" region="currentThread"}
 *
 * <p><b>Interrupting the driver.</b> Interrupting the thread blocked in {@link #run} or
 * {@link #blockOn} cancels the task it waits for (see there). That thread is also the carrier of
 * the sequential tasks: an interrupt that lands while one of them is mounted on it is cleared by
 * the JDK when the virtual thread mounts or unmounts (the carrier's interrupt status is the
 * mounted thread's), so it may be lost; cancel the task through its {@link Task} handle to stop
 * it reliably.
 *
 * <p><b>Embedding.</b> A program with its own event loop calls {@link #turn()} from it: one bounded
 * round (due timers, then up to {@value #TASKS_PER_TURN} ready tasks), never parking.
 * {@link #nextTimerNanos()} says when the next timer is due, and a
 * {@linkplain #onReady(Runnable) ready listener} is told when a wake arrives from another thread,
 * so the foreign loop knows to call {@code turn()} again.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>{@link #ready} is a lock-free MPSC queue (any thread submits; only the driver takes) of
 *       runnables: one poll of a poll task, or one mount of a virtual thread.</li>
 *   <li>One driver at a time: {@link #driver} is CAS'd from null (never waited for: a second concurrent
 *       driver gets a clear error). The driver must be a platform thread: it becomes the carrier.</li>
 *   <li>No lost wake-up (Dekker): the driver writes {@link #parked}{@code = true} (volatile), then
 *       re-reads the queue and the timers, then parks; a submitter offers to the queue (a volatile
 *       CAS), then reads {@code parked} and unparks. One of the two sees the other's write.
 *       Tested by {@code CurrentThreadRuntimeTest#wakesFromOtherThreadsAreNeverLost}.</li>
 *   <li>Waiting on an I/O driver: the driver thread also writes {@link #inDriver}{@code = true}
 *       (volatile) before the re-check, and a submitter that sees it calls
 *       {@code ioDriver.wakeup()} instead of {@code LockSupport.unpark}, which would not end the
 *       driver's wait. jcstress {@code InDriverWakeStress.CurrentThread} fails with the flag set
 *       after the re-check.</li>
 * </ul>
 */
public final class CurrentThreadRuntime extends CarriedRuntime {
    /** At most this many ready tasks run in one {@link #turn()}. */
    public static final int TASKS_PER_TURN = 256;
    /** A busy driving thread fires due timers and polls the I/O driver (without waiting) after at most this many tasks. */
    static final int DRIVER_POLL_INTERVAL = 61;

    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    private final RuntimeScheduler executor = new RuntimeScheduler() {
        @Override
        public void execute(Runnable r) {
            submit(r);
        }

        @Override
        public AbstractRuntime runtime() {
            return CurrentThreadRuntime.this;
        }
    };
    private final WheelTimer timer;
    /** The thread driving the runtime, or null; CAS'd by {@link #enterDriver}. */
    private volatile Thread driver;
    /** Nested drives by {@link #driver} (its own thread only). */
    private int driveDepth;
    private static final java.lang.invoke.VarHandle DRIVER;

    static {
        try {
            DRIVER = java.lang.invoke.MethodHandles.lookup().findVarHandle(CurrentThreadRuntime.class, "driver", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile boolean parked;
    private volatile Driver ioDriver;
    /** True while the driver thread waits on {@link #ioDriver} (set before its last look for work). */
    private volatile boolean inDriver;
    /** Tasks run since the driver was last polled (driver thread only). */
    private int sinceDriverPoll;
    private volatile boolean stopped;
    private volatile Runnable readyListener;

    /**
     * Chooses the I/O driver of this runtime's I/O types (see
     * {@link MultiThreadRuntime.Builder#ioDriver}); call it before the runtime's first I/O.
     */
    public CurrentThreadRuntime ioDriver(String name) {
        setOption(IO_DRIVER, Objects.requireNonNull(name, "name"));
        return this;
    }

    CurrentThreadRuntime(String name) {
        super(name);
        this.timer = new WheelTimer(name, this::wakeDriver);
    }

    // ------------------------------------------------------------------ hooks

    @Override
    RuntimeScheduler scheduler() {
        return executor;
    }


    @Override
    public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
        if (stopped) {
            throw new IllegalStateException("runtime '" + name() + "' is closed: its timer fires no more. "
                    + "Wait on a runtime that is still open.");
        }
        return timer.schedule(deadlineNanos, waker);
    }

    /**
     * The driving thread waits on the driver instead of parking, and polls it every
     * {@value #DRIVER_POLL_INTERVAL} tasks and in every {@link #turn()}.
     */
    @Override
    protected boolean attachDriver(Driver d) {
        if (ioDriver != null) {
            return false;
        }
        ioDriver = d;     // AbstractRuntime installs drivers one at a time
        if (parked) {
            Thread t = driver;
            if (t != null) {
                LockSupport.unpark(t);    // re-park in the driver
            }
        }
        return true;
    }

    /**
     * Queues one poll or one virtual-thread mount. After close the runnable is dropped, not
     * rejected: the JDK rethrows a rejection in the thread that unparks a virtual thread, and a
     * wake after close must not throw into the waker (close completes the tasks left).
     */
    private void submit(Runnable r) {
        if (stopped) {
            dev.weft.runtime.internal.AfterClose.execute(r);   // finished elsewhere, never dropped (issue 18, fault 5)
            return;
        }
        ready.offer(r);
        wakeDriver();
    }

    private void wakeDriver() {
        if (parked) {
            Thread d = driver;
            if (d != null && d != Thread.currentThread()) {   // the driver itself (dispatching events) is awake
                if (!inDriver || !wakeIoDriver()) {
                    LockSupport.unpark(d);
                }
            }
        }
        Runnable listener = readyListener;
        if (listener != null && driver == null) {
            try {
                listener.run();
            } catch (Throwable t) {
                Faults.report("ready listener of runtime '" + name() + "'", listener, t);
            }
        }
    }

    /** Interrupts the driving thread's wait on the I/O driver; false if the driver threw. */
    private boolean wakeIoDriver() {
        Driver d = ioDriver;
        try {
            d.wakeup();
            return true;
        } catch (Throwable t) {
            Faults.report("driver of runtime '" + name() + "' (wakeup)", d, t);
            return false;
        }
    }

    /** Polls or waits on the I/O driver; a driver that throws is reported and the loop goes on. */
    private void parkIoDriver(Driver d, long timeoutNanos) {
        try {
            d.park(timeoutNanos);
        } catch (Throwable t) {
            Faults.report("driver of runtime '" + name() + "' (park)", d, t);
            if (timeoutNanos > 0) {
                LockSupport.parkNanos(Math.min(timeoutNanos, 10_000_000));   // wait anyway: no hot loop on a broken driver
            }
        }
    }

    // ------------------------------------------------------------------ driving

    /**
     * Runs one bounded round on the calling thread and returns without parking: fires due
     * timers, then runs up to {@value #TASKS_PER_TURN} ready tasks.
     *
     * @return true if tasks are still ready (call again soon)
     * @throws IllegalStateException if another thread is driving the runtime, or the caller is a
     *                               virtual thread
     */
    public boolean turn() {
        boolean more;
        enterDriver();
        try {
            sinceDriverPoll = DRIVER_POLL_INTERVAL;     // an embedding loop sees I/O only through turn()
            more = runRound();
        } finally {
            exitDriver();
        }
        // Work submitted after runRound's last look but before exitDriver cleared the driver was
        // not announced to the ready listener (a driver was set): say so here. The submitter
        // offers then reads the driver; exitDriver writes it then this reads the queue (Dekker).
        return more || !ready.isEmpty();
    }

    /** When the next timer is due, as a {@code System.nanoTime()} value, or {@code Long.MAX_VALUE}. */
    public long nextTimerNanos() {
        return timer.planWake();
    }

    /**
     * Sets a listener told (on the waking thread) when work becomes ready while nobody drives the
     * runtime; a foreign event loop uses it to schedule a {@link #turn()}. {@code null} removes it.
     */
    public void onReady(Runnable listener) {
        this.readyListener = listener;
    }

    @Override
    protected <T> T awaitFromOutside(Task<T> task) {
        if (ExecutionContext.currentRuntimeOrNull() == this) {
            return task.join();
        }
        boolean interrupted;
        enterDriver();
        try {
            interrupted = driveUntil(task::isDone, Long.MAX_VALUE, true);
            if (interrupted) {
                // Cancel the task, then drive it through its cleanup: on this runtime nothing else
                // would run it. Past the grace, the next drive (or close) goes on with it.
                task.cancel();
                driveUntil(task::isDone, System.nanoTime() + closeGrace().toNanos(), false);
            }
            flushDriver();
        } finally {
            exitDriver();
        }
        if (!interrupted) {
            return task.join();
        }
        String interruptedWhile = Thread.currentThread() + " was interrupted while awaiting task '" + task.name()
                + "' on runtime '" + name() + "'; the task was cancelled and ";
        if (!task.isDone()) {
            throw new CancelledException(interruptedWhile + "is still cleaning up");
        }
        try {
            return task.join();     // it may have finished anyway (a shielded body): its own outcome
        } catch (CancelledException ended) {
            throw new CancelledException(interruptedWhile + "its cleanup has run");
        }
    }

    @Override
    protected void drainUntil(long deadlineNanos) {
        Thread self = Thread.currentThread();
        if (self.isVirtual() || driver == self || !tryEnterDriver()) {
            // Inside a task, nested in a drive, or another thread drives (it runs the tasks): wait.
            super.drainUntil(deadlineNanos);
            return;
        }
        try {
            driveUntil(this::drained, deadlineNanos, false);   // an interrupt does not cut close() short
        } finally {
            exitDriver();
        }
    }

    /**
     * Runs rounds on the driving thread until {@code done} holds, {@code deadlineNanos} passes
     * ({@code Long.MAX_VALUE}: never) or, if {@code stopOnInterrupt}, the thread is interrupted.
     * The interrupt status is cleared while driving (a park would return at once and the loop
     * would spin) and restored on the way out; returns whether it was set.
     */
    private boolean driveUntil(java.util.function.BooleanSupplier done, long deadlineNanos, boolean stopOnInterrupt) {
        boolean interrupted = false;
        try {
            while (!done.getAsBoolean()
                    && (deadlineNanos == Long.MAX_VALUE || System.nanoTime() - deadlineNanos < 0)) {
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (stopOnInterrupt) {
                        break;
                    }
                }
                if (!runRound()) {
                    parkUntilWork(done, deadlineNanos);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return interrupted;
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        stopped = true;
        Runnable r;
        while ((r = ready.poll()) != null) {
            dev.weft.runtime.internal.AfterClose.execute(r);    // finished elsewhere, never dropped
        }
    }

    /**
     * Lets the driver apply what tasks left for it (a driver may defer work such as closing a
     * channel to the thread that waits on it) before the caller stops driving the runtime.
     */
    private void flushDriver() {
        Driver d = ioDriver;
        if (d != null) {
            parkIoDriver(d, 0);
        }
    }

    private boolean runRound() {
        timer.fireExpired();
        for (int i = 0; i < TASKS_PER_TURN; i++) {
            if (sinceDriverPoll >= DRIVER_POLL_INTERVAL) {
                // Inside the round too: tasks that yield go back into this same queue, so a round of
                // a few busy tasks is 256 runs of them, and a timer checked once per round fired
                // 125 ms late behind ten tasks reading files (a storm of 8 sleeps of <= 0.6 ms took 1 s).
                sinceDriverPoll = 0;
                timer.fireExpired();
                Driver d = ioDriver;
                if (d != null) {
                    parkIoDriver(d, 0);
                }
            }
            Runnable r = ready.poll();
            if (r == null) {
                return false;
            }
            sinceDriverPoll++;
            try {
                r.run();
            } catch (Throwable t) {
                Faults.report("runtime '" + name() + "' running a task", r, t);
            }
        }
        return !ready.isEmpty();
    }

    /** Parks until there is work, a timer is due, {@code done} holds, or {@code deadlineNanos} (MAX_VALUE: none). */
    private void parkUntilWork(java.util.function.BooleanSupplier done, long deadlineNanos) {
        parked = true;
        Driver d = ioDriver;
        if (d != null) {
            inDriver = true;     // before the re-checks below: pairs with wakeDriver (Dekker)
        }
        try {
            long wakeAt = timer.planWake();
            if (!ready.isEmpty() || done.getAsBoolean() || stopped) {
                return;
            }
            long until = Math.min(wakeAt, deadlineNanos);     // MAX_VALUE: neither
            long delay = until == Long.MAX_VALUE ? Long.MAX_VALUE : until - System.nanoTime();
            if (d != null) {
                sinceDriverPoll = 0;
                parkIoDriver(d, Math.max(0, delay));
            } else if (delay == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else if (delay > 0) {
                LockSupport.parkNanos(this, delay);
            }
        } finally {
            inDriver = false;
            parked = false;
            timer.clearPlan();
        }
    }

    private ExecutionContext previousContext;

    private void enterDriver() {
        Thread self = Thread.currentThread();
        if (self.isVirtual()) {
            throw new IllegalStateException("runtime '" + name() + "' must be driven from a platform thread, "
                    + "which becomes the carrier of its tasks; " + self + " is virtual. Spawn onto the runtime "
                    + "instead, or drive it from a platform thread.");
        }
        if (!tryEnterDriver()) {
            throw new IllegalStateException("runtime '" + name() + "' is already being driven by " + driver
                    + "; a current-thread runtime runs on one thread at a time");
        }
    }

    /** Becomes (or nests as) the driver, on a platform thread; false if another thread drives. */
    private boolean tryEnterDriver() {
        Thread self = Thread.currentThread();
        if (driver == self) {
            driveDepth++;
            return true;
        }
        if (!DRIVER.compareAndSet(this, null, self)) {
            return false;
        }
        driveDepth = 1;
        previousContext = ExecutionContext.enterWorker(this);
        return true;
    }

    private void exitDriver() {
        if (--driveDepth == 0) {
            ExecutionContext.restore(previousContext);
            previousContext = null;
            driver = null;
        }
    }

    @Override
    public String describe() {
        return "current-thread";
    }
}
