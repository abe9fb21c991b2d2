package dev.weft.runtime.internal;

import dev.weft.internal.ExecutionContext;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.Driver;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker thread of a {@link Scheduler}: runs poll-task polls and virtual-thread mounts from
 * its LIFO slot, its {@link LocalQueue}, the scheduler's injector, and other workers' queues.
 *
 * <h2>Implementation notes</h2>
 * Fields without a memory-mode note are touched only by this worker's own thread (or by a
 * virtual thread while it is mounted on this worker, which is the same OS thread and cannot be
 * preempted inside the scheduler's code). {@link #runCount} and {@link #current} are published
 * with opaque stores for the watchdog, which tolerates stale reads (it samples twice).
 *
 * <p>Order of work (after tokio's multi-thread scheduler): the LIFO slot holds the task most
 * recently woken by the running task, run next for message-passing locality, at most
 * {@value #MAX_LIFO_POLLS} times in a row; every {@value #GLOBAL_INTERVAL} ticks the injector is
 * checked first, so injected work is not starved by a busy local queue.
 *
 * <p>When the local queue is full, its older half moves to the injector (tokio's overflow). Those
 * tasks are older than everything left in the local queue, so the worker then takes from the
 * injector first, as many as it moved there ({@link #overflowed}); taking one per
 * {@value #GLOBAL_INTERVAL} ticks would leave them behind every newer wake-up (measured: a 90 ms
 * 99th percentile on the 500-connection echo with one worker, against 7 ms without overflow).
 * A worker whose local queue is empty takes a batch from the injector
 * ({@link Scheduler#pollInjectorInto}).
 */
public final class Worker extends Thread implements LocalQueue.Overflow {
    static final int MAX_LIFO_POLLS = 3;
    static final int GLOBAL_INTERVAL = 61;
    private static final VarHandle RUN_COUNT;
    private static final VarHandle CURRENT;
    private static final VarHandle LIFO;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RUN_COUNT = l.findVarHandle(Worker.class, "runCount", long.class);
            CURRENT = l.findVarHandle(Worker.class, "current", Runnable.class);
            LIFO = l.findVarHandle(Worker.class, "lifo", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Scheduler scheduler;
    final int index;
    final LocalQueue local;
    private final AbstractRuntime runtime;
    /**
     * The LIFO slot. Written and taken by this worker with atomic exchanges, and taken by the
     * scheduler's monitor ({@link #rescueLifo}) from a worker held in one run, so that a task
     * spawned by a long-running parent is not stranded behind it (issue 18, fault 3). Reads that
     * only test for emptiness are opaque.
     */
    @SuppressWarnings("unused") // through LIFO
    private Runnable lifo;
    private int tick;
    private boolean searching;
    /**
     * True while this worker is in {@link Scheduler#parkWorker}, where the driver and the timers
     * wake tasks onto it. It still counts as a sleeper in {@link Idle} then, so notifying from
     * there could pick this very worker (a wasted selector wake-up, and the worker that should
     * help stays asleep): the notification waits until it counts as awake again.
     */
    private boolean inPark;
    /** Tasks this worker's local queue overflowed to the injector, to be taken back first. */
    private int overflowed;
    @SuppressWarnings("unused") // through RUN_COUNT
    private long runCount;
    @SuppressWarnings("unused") // through CURRENT
    private Runnable current;
    /** Tasks stolen and parks, for {@link Scheduler#stats()}: written by this worker only, read racily (diagnostics). */
    long steals;
    long parks;
    /** True while this worker waits on the scheduler's driver; written by itself, read by unparkers. */
    volatile boolean inDriver;

    Worker(Scheduler scheduler, AbstractRuntime runtime, int index, int queueCapacity, String name) {
        super(null, null, name, 0, false);
        this.scheduler = scheduler;
        this.runtime = runtime;
        this.index = index;
        this.local = new LocalQueue(queueCapacity);
        setDaemon(true);
    }

    /** Watchdog: how many runs this worker has started (opaque). */
    long runCountOpaque() {
        return (long) RUN_COUNT.getOpaque(this);
    }

    /** Watchdog: what this worker is running, or null when idle (opaque). */
    Runnable currentOpaque() {
        return (Runnable) CURRENT.getOpaque(this);
    }

    /**
     * Schedules {@code task} from code running on this worker. A task re-queued by itself (a
     * yield, a wake during its own poll) goes to the back of the local queue; any other goes to
     * the LIFO slot, displacing its previous occupant to the local queue.
     */
    void scheduleLocal(Runnable task) {
        if (task == currentOpaque()) {
            local.push(task, this);
        } else {
            Runnable previous = (Runnable) LIFO.getAndSet(this, task);
            if (previous == null) {
                return;
            }
            local.push(previous, this);
        }
        // Wake a parked worker only if there is something for it to steal besides what this worker
        // runs next (tokio's should_notify_others): a lone re-queued task is not worth an unpark.
        if (!searching && !inPark && hasWorkToShare()) {
            scheduler.notifyParked();
        }
    }

    /** The local queue is full: its older half goes to the injector, and is taken back first. */
    @Override
    public void pushBatch(Runnable[] batch) {
        overflowed += batch.length;
        scheduler.pushBatch(batch);
    }

    @Override
    public void run() {
        ExecutionContext.enterWorker(runtime);
        while (!scheduler.isShutdown()) {
            Runnable task = nextTask();
            if (task == null) {
                task = search();
            }
            if (task == null) {
                park();
                continue;
            }
            runTask(task);
        }
        CURRENT.setOpaque(this, null);
    }

    private Runnable nextTask() {
        Runnable next = takeLifo();
        if (next != null) {
            // Woken while no task was running (a timer fired in maintenance or while parked).
            return next;
        }
        tick++;
        if (tick % GLOBAL_INTERVAL == 0) {
            scheduler.flushDriver(this);
            scheduler.maintenance(this);
            Runnable injected = scheduler.pollInjector();
            if (injected != null) {
                return injected;
            }
        }
        if (overflowed > 0) {
            // The oldest half of the local queue went to the injector: it runs before the rest.
            Runnable injected = scheduler.pollInjector();
            if (injected != null) {
                overflowed--;
                return injected;
            }
            overflowed = 0;
        }
        Runnable task = local.pop();
        if (task != null) {
            return task;
        }
        return scheduler.pollInjectorInto(this);
    }

    private Runnable search() {
        if (!searching) {
            if (!scheduler.idle.tryStartSearching()) {
                return null;
            }
            searching = true;
        }
        Runnable stolen = scheduler.stealFor(this);
        if (stolen != null) {
            steals++;
            return stolen;
        }
        return scheduler.pollInjectorInto(this);
    }

    private void runTask(Runnable task) {
        if (searching) {
            searching = false;
            if (scheduler.idle.stopSearching() && scheduler.hasWork()) {
                // The last searcher found work and more is queued (its notification may have been
                // skipped because this worker was searching): keep the search going. Tokio wakes
                // another worker here unconditionally; when nothing else is queued that is a
                // wasted wake-up and park, two context switches (3 per round of the micro suite).
                scheduler.notifyParked();
            }
        }
        runOne(task);
        for (int polls = 0; ; polls++) {
            Runnable next = takeLifo();
            if (next == null) {
                return;
            }
            if (polls >= MAX_LIFO_POLLS) {
                local.push(next, this);     // enough locality: let the queue have its turn
                return;
            }
            runOne(next);
        }
    }

    private void runOne(Runnable task) {
        RUN_COUNT.setOpaque(this, runCountOpaque() + 1);
        CURRENT.setOpaque(this, task);
        try {
            task.run();
        } catch (Throwable t) {
            scheduler.uncaught(this, task, t);
        } finally {
            CURRENT.setOpaque(this, null);
        }
    }

    private void park() {
        scheduler.flushDriver(this);    // what this worker's tasks started goes to the kernel before it waits
        if (hasLifo() || !local.isEmpty()) {
            return;     // operations that completed in the flush woke their tasks here
        }
        scheduler.idle.parking(index, searching);
        searching = false;
        if (scheduler.hasWork()) {
            // Work arrived after this worker looked (perhaps while nobody was searching): look again.
            if (!scheduler.idle.unparked(index)) {
                return;
            }
            searching = true;
            return;
        }
        if (!hasLifo() && local.isEmpty() && !scheduler.isShutdown()) {
            inPark = true;
            parks++;
            try {
                scheduler.parkWorker(this);
            } finally {
                inPark = false;
            }
        }
        searching = scheduler.idle.unparked(index);
        if (!searching && hasWorkToShare()) {
            scheduler.notifyParked();   // what the driver and the timers woke while this worker was parked
        }
    }

    /** More queued here than the one task this worker runs next: worth waking a worker to steal. */
    private boolean hasWorkToShare() {
        return local.size() + (hasLifo() ? 1 : 0) > 1;
    }

    private boolean hasLifo() {
        return LIFO.getOpaque(this) != null;
    }

    /** Empties the LIFO slot: its task, or null. The opaque test first keeps the empty case free of an atomic. */
    private Runnable takeLifo() {
        return hasLifo() ? (Runnable) LIFO.getAndSet(this, null) : null;
    }

    /**
     * The monitor found this worker held in one run: takes the task waiting in its LIFO slot (which
     * no thief takes), or null. Any thread may call it; the worker's own take and this one are
     * atomic exchanges, so the task runs exactly once.
     */
    Runnable rescueLifo() {
        return takeLifo();
    }

    /**
     * Wakes this worker if it is parked: interrupts its wait on the driver, or unparks it. The
     * worker sets {@link #inDriver} before its last look for work, and a waker publishes its work
     * before calling this, so a worker that is about to wait on the driver either sees the work or
     * is woken out of the driver (jcstress {@code InDriverWakeStress.MultiThread}).
     */
    void unpark() {
        if (inDriver) {
            Driver d = scheduler.driver();
            if (d != null) {
                try {
                    d.wakeup();
                    return;
                } catch (Throwable t) {
                    dev.weft.spi.Faults.report("driver of " + getName() + " (wakeup)", d, t);
                }
            }
        }
        LockSupport.unpark(this);
    }
}
