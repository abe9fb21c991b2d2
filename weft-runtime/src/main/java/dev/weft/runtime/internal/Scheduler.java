package dev.weft.runtime.internal;

import dev.weft.Cancellable;
import dev.weft.Waker;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.Driver;
import dev.weft.spi.Faults;
import dev.weft.internal.SpinLock;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The work-stealing scheduler behind the multi-thread runtime: N {@link Worker}s, each with a
 * bounded {@link LocalQueue} and a LIFO slot; a global injector for work submitted from outside
 * the workers; {@link Idle} to wake parked workers without a thundering herd; and one timer,
 * driven by whichever worker parks holding the timer lock.
 *
 * <p>As an {@link Executor} it is both the poll executor and the virtual-thread scheduler: every
 * runnable it gets is one poll of a poll task or one mount of a virtual thread.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Where work goes.</b> {@link #execute} asks which platform thread runs the caller
 *       ({@link CarrierHook#currentCarrier()}: the thread itself, or a virtual thread's carrier).
 *       On one of our workers the work stays local ({@link Worker#scheduleLocal}); elsewhere it goes
 *       to the injector and a parked worker is notified.</li>
 *   <li><b>No lost wake-up when parking.</b> A worker registers as a sleeper in {@link Idle}
 *       (synchronized), then re-checks the injector and all local queues ({@link #hasWork()}); a
 *       submitter enqueues first and then asks {@link Idle#workerToNotify()}. Either the re-check
 *       sees the work or the notifier sees the sleeper (jcstress {@code ParkingHandshakeStress}).</li>
 *   <li><b>Waking a worker out of the driver.</b> The worker that waits on the driver sets
 *       {@code Worker.inDriver} (volatile) before its last look for work in {@link #parkWorker};
 *       a waker publishes its work before {@link Worker#unpark} reads {@code inDriver} and, if it
 *       is set, calls {@code driver.wakeup()} instead of {@code LockSupport.unpark} (which would
 *       not end a select). Either the look sees the work or the wake-up reaches the driver
 *       (jcstress {@code InDriverWakeStress.MultiThread}, which fails with the flag set after the
 *       look).</li>
 *   <li><b>Timers.</b> One {@link WheelTimer}. A worker that parks while holding {@link #timerLock}
 *       parks until the next deadline and fires due timers when it wakes; an earlier insert
 *       unparks it ({@link #timerDriver} is set before it reads the wheel). Busy workers also fire
 *       due timers every {@value Worker#GLOBAL_INTERVAL} ticks ({@link #maintenance}).</li>
 * </ul>
 */
public final class Scheduler implements RuntimeScheduler, LocalQueue.Overflow {
    /** The most tasks a worker moves from the injector to its local queue at once. */
    static final int INJECT_BATCH = 64;
    /** Maintenance passes in a row that may skip polling the driver while older work waits. */
    static final int MAX_DRIVER_SKIPS = 3;
    private final Worker[] workers;
    private final ConcurrentLinkedQueue<Runnable> injector = new ConcurrentLinkedQueue<>();
    final Idle idle;
    private final WheelTimer timer;
    /** Taken only with tryLock (never waited for): a spin lock, not a queued lock (decision 12). */
    private final SpinLock timerLock = new SpinLock();
    private volatile Worker timerDriver;
    private volatile Driver driver;
    /** Guarded by {@link #timerLock}: see {@link #maintenance}. */
    private int driverSkips;
    private volatile boolean shutdown;
    private final String name;
    private final AbstractRuntime runtime;

    public Scheduler(AbstractRuntime runtime, String name, int workerCount, int queueCapacity) {
        this.runtime = runtime;
        if (workerCount < 1) {
            throw new IllegalArgumentException("a multi-thread runtime needs at least one worker, got " + workerCount);
        }
        this.name = name;
        this.timer = new WheelTimer(name, this::timerInsertedEarlier);
        this.idle = new Idle(workerCount);
        this.workers = new Worker[workerCount];
        for (int i = 0; i < workerCount; i++) {
            workers[i] = new Worker(this, runtime, i, queueCapacity, name + "-worker-" + i);
        }
    }

    public void start() {
        for (Worker w : workers) {
            w.start();
        }
    }

    public Worker[] workers() {
        return workers.clone();
    }

    @Override
    public AbstractRuntime runtime() {
        return runtime;
    }

    boolean isShutdown() {
        return shutdown;
    }

    // ------------------------------------------------------------------ submission

    /**
     * Schedules one poll or one virtual-thread mount. After shutdown the runnable goes to
     * {@link AfterClose}, neither dropped (a plain virtual thread started inside a task would never
     * finish) nor rejected (the JDK rethrows a rejection in the thread that unparks a virtual
     * thread, so a wake after close would throw into the waker).
     */
    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            AfterClose.execute(task);   // finish threads it carried elsewhere, never drop them (issue 18, fault 5)
            return;
        }
        Thread carrier = CarrierHook.currentCarrier();
        if (carrier instanceof Worker w && w.scheduler == this) {
            w.scheduleLocal(task);
            return;
        }
        injector.offer(task);
        notifyParked();
    }

    @Override
    public void pushBatch(Runnable[] batch) {
        for (Runnable r : batch) {
            injector.offer(r);
        }
        notifyParked();
    }

    /** Counters summed over the workers (racy reads: diagnostics). */
    public dev.weft.spi.SchedulerStats stats() {
        long runs = 0;
        long steals = 0;
        long parks = 0;
        int queued = injector.size();
        for (Worker w : workers) {
            runs += w.runCountOpaque();
            steals += w.steals;
            parks += w.parks;
            queued += w.local.size();
        }
        return new dev.weft.spi.SchedulerStats(workers.length, runs, steals, parks, queued);
    }

    Runnable pollInjector() {
        return injector.poll();
    }

    /**
     * For a worker with nothing local to run: takes the injector's oldest task to run now and
     * moves up to {@value #INJECT_BATCH} more into {@code w}'s local queue (no more than fills it
     * halfway), or returns null if the injector is empty. Tokio's workers take a batch from their
     * inject queue the same way: the next ones run without another trip to the shared queue.
     */
    Runnable pollInjectorInto(Worker w) {
        Runnable first = injector.poll();
        if (first == null) {
            return null;
        }
        int room = Math.min(INJECT_BATCH, w.local.capacity() / 2 - w.local.size());
        for (int i = 0; i < room; i++) {
            Runnable r = injector.poll();
            if (r == null) {
                break;
            }
            w.local.push(r, this);
        }
        return first;
    }

    /** Wakes one parked worker if work is waiting and nobody is searching for it. */
    void notifyParked() {
        int index = idle.workerToNotify();
        if (index >= 0) {
            workers[index].unpark();
        }
    }

    /**
     * Work stranded on {@code w}, which has been in one run since the monitor's previous sample
     * (issue 18, fault 3): the task in its LIFO slot, which thieves never take, moves to the
     * injector; and a parked worker is woken for it or for what waits in {@code w}'s local queue
     * (a single queued task wakes nobody when it is pushed). Called by the monitor thread only.
     */
    void rescueFrom(Worker w) {
        if (shutdown) {
            return;
        }
        Runnable stranded = w.rescueLifo();
        if (stranded != null) {
            injector.offer(stranded);
            notifyParked();
        } else if (!w.local.isEmpty()) {
            notifyParked();
        }
    }

    /** Steals half of a random other worker's queue into {@code thief}'s; returns a task to run, or null. */
    Runnable stealFor(Worker thief) {
        int n = workers.length;
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            Worker victim = workers[(start + i) % n];
            if (victim == thief) {
                continue;
            }
            Runnable r = victim.local.stealHalfInto(thief.local);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    boolean hasWork() {
        if (!injector.isEmpty()) {
            return true;
        }
        for (Worker w : workers) {
            if (!w.local.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A runnable threw out of its run (a task's cleanup hook, say): reported, and the worker goes on. */
    void uncaught(Worker w, Runnable task, Throwable t) {
        Faults.report("worker " + w.getName() + " of runtime '" + name + "' running a task", task, t);
    }

    /** Polls or waits on the driver; a driver that throws is reported and the worker goes on. */
    private void parkDriver(Driver d, long timeoutNanos) {
        try {
            d.park(timeoutNanos);
        } catch (Throwable t) {
            Faults.report("driver of runtime '" + name + "' (park)", d, t);
            if (timeoutNanos > 0) {
                LockSupport.parkNanos(Math.min(timeoutNanos, 10_000_000));   // wait anyway: no hot loop on a broken driver
            }
        }
    }

    /**
     * Ends worker {@code w}'s turn on the driver ({@link Driver#flush}): the operations its tasks
     * started go to the kernel together. A driver that throws is reported and the worker goes on.
     */
    void flushDriver(Worker w) {
        Driver d = driver;
        if (d != null) {
            try {
                d.flush();
            } catch (Throwable t) {
                Faults.report("driver of runtime '" + name + "' (flush, " + w.getName() + ")", d, t);
            }
        }
    }

    // ------------------------------------------------------------------ timers and parking

    public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
        if (shutdown) {
            throw new IllegalStateException("runtime '" + name + "' is closed: its timer fires no more. "
                    + "Wait on a runtime that is still open.");
        }
        return timer.schedule(deadlineNanos, waker);
    }

    private void timerInsertedEarlier() {
        Worker parked = timerDriver;
        if (parked != null) {
            parked.unpark();
        }
    }

    /**
     * Takes {@code d} as the driver the timer-holding worker waits on; false if there is one
     * already. The worker parked now (without it) is unparked to re-park in it.
     */
    public boolean attachDriver(Driver d) {
        if (driver != null) {
            return false;
        }
        driver = d;      // one attach at a time: AbstractRuntime installs drivers one by one (CAS)
        timerInsertedEarlier();
        return true;
    }

    /** The attached driver, or null. */
    Driver driver() {
        return driver;
    }

    /**
     * Every {@value Worker#GLOBAL_INTERVAL} ticks: fires due timers and polls the driver for ready
     * I/O. The poll is skipped while older work waits (the injector is not empty, or {@code w}'s
     * local queue is over half full), at most {@value #MAX_DRIVER_SKIPS} times in a row: new
     * readiness stays in the kernel until the backlog ran, rather than pushing that backlog out of
     * the local queue, and a worker busy with yielding tasks still polls I/O every
     * {@value #MAX_DRIVER_SKIPS}+1 passes. With no driver and no timer pending it returns at once
     * (two volatile reads): otherwise every worker, every {@value Worker#GLOBAL_INTERVAL} ticks,
     * moves the timer lock's and the wheel's cache lines to its core for nothing. (Issue 13: 200
     * plain virtual threads yielding on 2 workers, 8 interleaved launches, median 164 against 178
     * ns/op; inside the launches' spread, so a small gain at best, but no cost.)
     */
    void maintenance(Worker w) {
        if (driver == null && !timer.hasPending()) {
            return;     // nothing to maintain: no shared lock or timer line touched (issue 13)
        }
        if (timerLock.tryLock()) {
            try {
                timer.fireExpired();
                Driver d = driver;
                if (d != null) {
                    boolean backlog = !injector.isEmpty() || w.local.size() > w.local.capacity() / 2;
                    if (backlog && driverSkips < MAX_DRIVER_SKIPS) {
                        driverSkips++;
                    } else {
                        driverSkips = 0;
                        parkDriver(d, 0);
                    }
                }
            } finally {
                timerLock.unlock();
            }
        }
    }

    /**
     * Parks {@code w}, which found no work. The worker that gets {@link #timerLock} waits on the
     * driver (or parks) until the next timer deadline and then fires the timers; the others park.
     */
    void parkWorker(Worker w) {
        if (!timerLock.tryLock()) {
            LockSupport.park(this);
            return;
        }
        try {
            timerDriver = w;
            Driver d = driver;
            if (d != null) {
                w.inDriver = true;    // before the re-checks below: pairs with Worker.unpark (Dekker)
            }
            long wakeAt = timer.planWake();
            if (!w.scheduler.hasWork() && !shutdown) {
                long delay = wakeAt == Long.MAX_VALUE ? Long.MAX_VALUE : wakeAt - System.nanoTime();
                if (d != null) {
                    parkDriver(d, Math.max(0, delay));
                } else if (delay == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else if (delay > 0) {
                    LockSupport.parkNanos(this, delay);
                }
            }
            w.inDriver = false;
            timerDriver = null;
            timer.clearPlan();
            timer.fireExpired();
        } finally {
            timerLock.unlock();
        }
        if (!injector.isEmpty()) {
            notifyParked();
        }
    }

    // ------------------------------------------------------------------ shutdown

    public void shutdown(long deadlineNanos) {
        shutdown = true;       // read by a worker after it sets inDriver, so unpark() below reaches it
        for (Worker w : workers) {
            w.unpark();
        }
        if (Thread.currentThread().isVirtual() && CarrierHook.currentCarrier() instanceof Worker mine && mine.scheduler == this) {
            // A sequential task of this runtime is closing it: a join would unmount it, its carrier
            // would then see the shutdown and exit, and nothing would ever resume it (issue 18,
            // fault 6). The workers stop on their own once their current run returns.
            return;
        }
        for (Worker w : workers) {
            long left = deadlineNanos - System.nanoTime();
            if (w == Thread.currentThread() || CarrierHook.currentCarrier() == w) {
                continue;
            }
            try {
                w.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Runnable left;
        while ((left = injector.poll()) != null) {
            AfterClose.execute(left);   // finished elsewhere, never dropped
        }
    }
}
