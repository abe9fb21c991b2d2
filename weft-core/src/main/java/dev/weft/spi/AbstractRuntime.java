package dev.weft.spi;

import dev.weft.Action;
import dev.weft.CancelledException;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.internal.Spawner;
import dev.weft.internal.TaskCore;
import dev.weft.internal.TaskRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The base of every runtime: Weft's task machinery (sequential and poll tasks, scopes,
 * cancellation, the live-task record) on top of four hooks a runtime supplies:
 * <ul>
 *   <li>{@link #pollExecutor()} runs poll tasks: each {@code Runnable} it is given is one poll;</li>
 *   <li>{@link #virtualThreadFactory()} makes the virtual threads of sequential tasks, carried by
 *       the runtime;</li>
 *   <li>{@link #carries(Thread)} says whether a virtual thread runs on this runtime;</li>
 *   <li>{@link #scheduleWake} is the timer.</li>
 * </ul>
 * A runtime whose threads are driven by a caller (a current-thread runtime) overrides
 * {@link #awaitFromOutside(Task)} to drive itself while it waits, and {@link #shutdown(long)} to
 * stop its threads.
 *
 * <h2>Implementation notes</h2>
 * {@link #live} is a sharded registry of the tasks started and not finished; close() cancels a
 * snapshot of it and then waits (bounded) for it to drain. {@link #closeState} is CAS'd by the one
 * closer; the others wait for {@code CLOSED}. A spawn registers its task and then reads the close
 * state; close writes the state and later sweeps the registry (after the grace, completing every
 * task still there as cancelled): either the sweep finds the task or the spawn sees the close
 * and completes its task as cancelled itself, so no task is stranded.
 */
public abstract class AbstractRuntime implements Runtime {
    /** How long {@link #close()} waits for cancelled tasks to finish their cleanup, by default (5 s). */
    protected static final long CLOSE_GRACE_NANOS = 5_000_000_000L;
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private final String name;
    private final TaskRegistry live = new TaskRegistry();
    /** {@link #OPEN}, {@link #CLOSING} (one closer won the CAS), {@link #CLOSED} (close has returned). */
    private volatile int closeState;
    private final long registryId;
    /** The task of this runtime that is running {@link #close()}, if one is. */
    private volatile Task<?> closingTask;
    private volatile long closeGraceNanos = CLOSE_GRACE_NANOS;
    private int coopBudget = Coop.BUDGET;   // set in a subclass constructor, before any task runs
    private volatile BlockingPool blockingPool;
    private volatile DriverEntry[] drivers = new DriverEntry[0];
    private static final java.lang.invoke.VarHandle BLOCKING_POOL;
    private static final java.lang.invoke.VarHandle DRIVERS;
    private static final java.lang.invoke.VarHandle CLOSE_STATE;

    static {
        try {
            CLOSE_STATE = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(AbstractRuntime.class, "closeState", int.class);
            BLOCKING_POOL = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(AbstractRuntime.class, "blockingPool", BlockingPool.class);
            DRIVERS = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(AbstractRuntime.class, "drivers", DriverEntry[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        dev.weft.internal.RuntimeInternals.install(new dev.weft.internal.RuntimeInternals.Hooks() {
            @Override
            public boolean taskStarted(AbstractRuntime runtime, Task<?> task) {
                return runtime.taskStarted(task);
            }

            @Override
            public void taskFinished(AbstractRuntime runtime, Task<?> task) {
                runtime.taskFinished(task);
            }

            @Override
            public CarrierGate carrierGate(AbstractRuntime runtime) {
                return runtime.carrierGate;
            }

            @Override
            public List<Task<?>> liveTasks(AbstractRuntime runtime) {
                return runtime.liveTasks();
            }

            @Override
            public Task<?> liveTaskOn(AbstractRuntime runtime, Thread thread) {
                return runtime.liveTaskOn(thread);
            }
        });
    }

    private volatile CarrierGate carrierGate;

    private final java.util.Map<String, String> options = new java.util.concurrent.ConcurrentHashMap<>(4);

    protected AbstractRuntime(String name) {
        this.name = Objects.requireNonNull(name, "name");
        // Not getClass()'s code source: a runtime written outside Weft may share its jar with the
        // user's code, whose frames task dumps must keep. Weft's runtimes register their module.
        dev.weft.internal.CoarseClock.start();
        this.registryId = dev.weft.internal.RuntimeRegistry.register(this);
    }

    /**
     * A setting given to this runtime by its builder for the modules that build on it (for
     * example {@value #IO_DRIVER}, read by weft-io), or empty. Settings are fixed once the
     * runtime is built.
     */
    public final java.util.Optional<String> option(String key) {
        return java.util.Optional.ofNullable(options.get(key));
    }

    /** Called by a runtime's constructor, before the runtime is used: see {@link #option}. */
    protected final void setOption(String key, String value) {
        options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /**
     * The option naming the I/O driver the runtime's I/O types use ({@code nio}, {@code io_uring});
     * when a runtime has none, the system property of the same name decides, else NIO.
     */
    public static final String IO_DRIVER = "weft.io.driver";

    /** The name of the I/O driver this runtime's I/O types use: its option {@value #IO_DRIVER}, else that system property, else {@code nio}. */
    public final String ioDriverName() {
        return option(IO_DRIVER).orElseGet(() -> System.getProperty(IO_DRIVER, "nio"));
    }

    /** This runtime's number in the process (creation order), as task dumps show it. */
    public final long id() {
        return registryId;
    }

    /**
     * A one-line description for task dumps: the runtime's kind and, where it has them, its
     * workers and queues. The default is the class's simple name; runtimes add what they know.
     */
    public String describe() {
        return getClass().getSimpleName();
    }

    // ------------------------------------------------------------------ hooks

    /** Runs poll tasks: every runnable given to it is one poll of one task. Must not run it inline. */
    public abstract Executor pollExecutor();

    /**
     * Makes the virtual threads of this runtime's sequential tasks.
     *
     * @throws IllegalStateException if this runtime cannot carry virtual threads here, saying why
     *                               and what to do
     */
    public abstract ThreadFactory virtualThreadFactory();

    /** True if {@code virtualThread} is carried by this runtime's scheduler. */
    public abstract boolean carries(Thread virtualThread);

    /**
     * True if threads started inside this runtime's sequential tasks find the runtime by
     * inheriting a thread-local (the default; needed when the runtime cannot recognise its virtual
     * threads by their scheduler). A runtime whose scheduler the runtime module can recognise
     * returns false, saving a thread-local map per task.
     */
    public boolean inheritsContext() {
        return true;
    }

    /**
     * Offers a newly made {@link Driver} to the runtime's own threads: returns true if they will
     * wait on it when idle (see {@link Driver}); false, the default, gives the driver a thread of
     * its own. A runtime takes at most one driver this way. Called once per driver, before any
     * task uses it.
     */
    protected boolean attachDriver(Driver driver) {
        return false;
    }

    /**
     * Makes this runtime's sequential tasks hold their carrier except while they wait in Weft
     * (see {@link CarrierGate}): for a runtime carried by a UI toolkit's event thread. Call it in
     * the constructor, before any task is spawned; tasks spawned earlier keep the default (they
     * leave the carrier whenever they block).
     */
    protected final void holdCarriersOutsideAwaits(CarrierGate gate) {
        this.carrierGate = Objects.requireNonNull(gate, "gate");
    }

    /** Stops the runtime's threads; called by {@link #close()} after the tasks have finished. */
    protected abstract void shutdown(long deadlineNanos);

    /**
     * Waits on the calling (non-runtime) thread for {@code task}, which {@link #run} or
     * {@link #blockOn} spawned and therefore owns: if the caller is interrupted, the task is
     * cancelled (a join alone would only stop waiting, see {@link Task}). The default joins; a
     * runtime driven by its caller runs its loop here until the task is done.
     */
    protected <T> T awaitFromOutside(Task<T> task) {
        try {
            return task.join();
        } catch (CancelledException e) {
            task.cancel();      // the waiter was interrupted: abort what it owns (no-op if done)
            throw e;
        }
    }

    /**
     * The pool of platform threads for {@link #spawnBlocking}. The default is an elastic pool made
     * on first use with {@link #blockingPoolSettings()}.
     */
    public Executor blockingExecutor() {
        BlockingPool pool = blockingPool;
        if (pool == null) {
            BlockingPool.Settings s = blockingPoolSettings();
            BlockingPool made = new BlockingPool(name + "-blocking", s.maxThreads(), s.keepAliveNanos());
            // CAS, not a monitor: workers and the virtual threads they carry both get here (see SpinLock).
            pool = BLOCKING_POOL.compareAndExchange(this, null, made) instanceof BlockingPool won ? won : made;
        }
        return pool;
    }

    /** Cap and keep-alive of the default blocking pool; runtimes with a builder override it. */
    protected BlockingPool.Settings blockingPoolSettings() {
        return BlockingPool.Settings.DEFAULT;
    }

    /** Operations a task may complete without waiting per run ({@link Coop}). */
    public final int coopBudget() {
        return coopBudget;
    }

    /** Sets the cooperative budget for this runtime's tasks (from a builder). */
    protected final void setCoopBudget(int budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("the cooperative budget must be at least 1, got " + budget);
        }
        this.coopBudget = budget;
    }

    // ------------------------------------------------------------------ diagnostics

    /**
     * The scheduler's counters for the runtime's {@link WeftRuntimeMXBean}. The default counts
     * nothing ({@link SchedulerStats#NONE}); runtimes with workers override it.
     */
    public SchedulerStats schedulerStats() {
        return SchedulerStats.NONE;
    }

    /** The blocking pool if a blocking call has started it, else null (diagnostics: never starts it). */
    public final BlockingPool blockingPoolIfStarted() {
        return blockingPool;
    }

    private static final java.util.List<ExtensionProvider> EXTENSIONS = loadExtensions();

    private static java.util.List<ExtensionProvider> loadExtensions() {
        java.util.List<ExtensionProvider> found = new java.util.ArrayList<>();
        try {
            for (ExtensionProvider p : java.util.ServiceLoader.load(ExtensionProvider.class, AbstractRuntime.class.getClassLoader())) {
                found.add(p);
            }
        } catch (java.util.ServiceConfigurationError e) {
            Faults.report("loading runtime extension providers", ExtensionProvider.class, e);
        }
        return java.util.List.copyOf(found);
    }

    /**
     * The runtime itself if it is of {@code type}; else the first installed driver that offers
     * one ({@link Driver#extension}); else the first {@link ExtensionProvider} that does. Never
     * throws: a provider that fails is reported and skipped.
     */
    @Override
    public <E> java.util.Optional<E> extension(Class<E> type) {
        Objects.requireNonNull(type, "type");
        if (type.isInstance(this)) {
            return java.util.Optional.of(type.cast(this));
        }
        for (DriverEntry e : drivers) {
            try {
                java.util.Optional<E> x = e.driver.extension(type);
                if (x.isPresent()) {
                    return x;
                }
            } catch (RuntimeException | Error t) {
                Faults.report("driver " + e.driver.getClass().getSimpleName() + " of runtime '" + name + "' (extension)", e.driver, t);
            }
        }
        for (ExtensionProvider p : EXTENSIONS) {
            try {
                java.util.Optional<E> x = p.extension(this, type);
                if (x.isPresent()) {
                    return x;
                }
            } catch (RuntimeException | Error t) {
                Faults.report("extension provider " + p.getClass().getName() + " for runtime '" + name + "'", p, t);
            }
        }
        return java.util.Optional.empty();
    }

    /** The simple names of the drivers installed on this runtime, comma-separated (empty if none). */
    public final String driverNames() {
        StringBuilder sb = new StringBuilder();
        for (DriverEntry e : drivers) {
            sb.append(sb.isEmpty() ? "" : ", ").append(e.driver.getClass().getSimpleName());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ drivers

    @Override
    public final <D extends Driver> D driver(Class<D> type, java.util.function.Function<? super Runtime, ? extends D> factory) {
        for (DriverEntry e : drivers) {
            if (e.type == type) {
                return type.cast(e.driver);
            }
        }
        return installDriver(type, factory);
    }

    private <D extends Driver> D installDriver(Class<D> type, java.util.function.Function<? super Runtime, ? extends D> factory) {
        // Lock-free (a copy-on-write array and a CAS): workers and the virtual threads they carry
        // both get here (see SpinLock). A lost race closes the loser's driver.
        D made = null;
        for (;;) {
            DriverEntry[] current = drivers;
            for (DriverEntry e : current) {
                if (e.type == type) {
                    if (made != null) {
                        made.close();
                    }
                    return type.cast(e.driver);
                }
            }
            checkOpen();
            if (made == null) {
                made = Objects.requireNonNull(factory.apply(this), "the driver factory returned null");
                if (!type.isInstance(made)) {
                    made.close();
                    throw new IllegalStateException("the factory for driver " + type.getName() + " made a " + made.getClass().getName());
                }
            }
            DriverEntry[] next = java.util.Arrays.copyOf(current, current.length + 1);
            next[current.length] = new DriverEntry(type, made);
            if (DRIVERS.compareAndSet(this, current, next)) {
                if (!attachDriver(made)) {
                    next[current.length].thread = DriverThread.start(name + "-" + type.getSimpleName(), made);
                }
                if (isClosed()) {
                    closeDrivers();
                    checkOpen();
                }
                return made;
            }
        }
    }

    /** Stops the drivers' own threads and closes every driver; idempotent. */
    private void closeDrivers() {
        DriverEntry[] all = (DriverEntry[]) DRIVERS.getAndSet(this, new DriverEntry[0]);
        for (DriverEntry e : all) {
            DriverThread t = e.thread;
            if (t != null) {
                t.stop();
            }
            try {
                e.driver.close();
            } catch (RuntimeException ex) {
                Faults.report("runtime '" + name + "' closing driver " + e.type.getName(), e.driver, ex);
            }
        }
    }

    private static final class DriverEntry {
        final Class<?> type;
        final Driver driver;
        volatile DriverThread thread;

        DriverEntry(Class<?> type, Driver driver) {
            this.type = type;
            this.driver = driver;
        }
    }

    /** A platform thread that waits on a driver for a runtime whose threads do not. */
    private static final class DriverThread {
        private final Driver driver;
        private final Thread thread;
        private volatile boolean stopped;

        private DriverThread(String name, Driver driver) {
            this.driver = driver;
            this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        }

        static DriverThread start(String name, Driver driver) {
            DriverThread t = new DriverThread(name, driver);
            t.thread.start();
            return t;
        }

        private void loop() {
            while (!stopped) {
                try {
                    driver.park(Long.MAX_VALUE);
                } catch (Throwable t) {
                    Faults.report("driver thread " + thread.getName(), driver, t);
                    if (!stopped) {
                        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);   // no hot loop on a broken driver
                    }
                }
            }
        }

        void stop() {
            stopped = true;
            driver.wakeup();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ Runtime

    @Override
    public final String name() {
        return name;
    }

    @Override
    public <T> Task<T> spawn(Callable<? extends T> body) {
        return spawn(null, body);
    }

    @Override
    public Task<Void> spawn(Action body) {
        checkOpen();
        return Spawner.sequential(this, null, null, body);
    }

    @Override
    public <T> Task<T> spawn(String taskName, Callable<? extends T> body) {
        checkOpen();
        return Spawner.sequential(this, taskName, null, body);
    }

    @Override
    public Task<Void> spawn(String taskName, Action body) {
        checkOpen();
        return Spawner.sequential(this, taskName, null, body);
    }

    @Override
    public <T> Task<T> spawnBlocking(Callable<? extends T> body) {
        checkOpen();
        return Spawner.blocking(this, null, body);
    }

    @Override
    public <T> Task<T> spawnFuture(Future<T> future) {
        return spawnFuture(null, future);
    }

    @Override
    public <T> Task<T> spawnFuture(String taskName, Future<T> future) {
        checkOpen();
        return Spawner.poll(this, taskName, null, future);
    }

    @Override
    public <T> T run(Callable<? extends T> main) {
        return awaitFromOutside(spawn("main", main));
    }

    @Override
    public void run(Action main) {
        run(Spawner.callable(main));
    }

    @Override
    public <T> T blockOn(Future<T> future) {
        return awaitFromOutside(spawnFuture("blockOn", future));
    }

    @Override
    public final boolean isClosed() {
        return closeState != OPEN;
    }

    /** Throws the error for work submitted to a closed runtime. */
    protected final void checkOpen() {
        if (isClosed()) {
            throw new IllegalStateException("runtime '" + name + "' is closed: it accepts no new tasks. "
                    + "Spawn before close(), or onto a runtime that is still open.");
        }
    }

    // ------------------------------------------------------------------ live tasks

    /**
     * Called by the task machinery when a task starts. Returns false if the runtime began closing
     * meanwhile; the caller then completes the task as cancelled. (Registration, then a look at
     * the close state; close writes the state, then looks at the registry: either close's final
     * sweep sees the task or the task sees the close.) Reached through
     * {@code dev.weft.internal.RuntimeInternals}, never from user code.
     */
    private boolean taskStarted(Task<?> task) {
        live.add((TaskCore<?>) task);
        return !isClosed();
    }

    /** Called by the task machinery when a task finishes (through {@code RuntimeInternals}). */
    private void taskFinished(Task<?> task) {
        live.remove((TaskCore<?>) task);
    }

    /**
     * A snapshot of the tasks started and not finished: for the runtime's own code (user code sees
     * them in {@code Weft.dump()}, and counts them with {@link #liveTaskCount()}).
     */
    protected final List<Task<?>> liveTasks() {
        return live.snapshot();
    }

    /** How many tasks are started and not finished. */
    public final int liveTaskCount() {
        return live.size();
    }

    /**
     * The live task whose body runs on {@code thread} now (a sequential or blocking task's
     * thread), or null. A search of every live task: for rare fallbacks, not for hot paths.
     */
    protected final Task<?> liveTaskOn(Thread thread) {
        return live.findByThread(thread);
    }


    /**
     * Sets how long {@link #close()} waits for the cancelled tasks' cleanup before it completes
     * the rest as cancelled (default 5 s). Takes effect at the next close.
     */
    public final void setCloseGrace(java.time.Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the close grace must not be negative, got " + grace);
        }
        this.closeGraceNanos = grace.toNanos();
    }

    /** How long {@link #close()} waits for the cancelled tasks' cleanup. */
    public final java.time.Duration closeGrace() {
        return java.time.Duration.ofNanos(closeGraceNanos);
    }

    /**
     * Closes the runtime: cancels every live task, waits up to the {@linkplain #closeGrace close
     * grace} for their cleanup, then {@linkplain #shutdown stops} the runtime's threads and closes
     * its {@linkplain Driver drivers} and blocking pool. Tasks still alive then (a shielded
     * cleanup that outlived the grace, a blocking call that ignores interrupts) are completed as
     * cancelled, so every {@code join}, on any thread or runtime, returns; their remaining
     * cleanup does not run. Idempotent and safe from several threads at once: one call closes,
     * the others return when it has finished.
     */
    @Override
    public void close() {
        dev.weft.internal.TaskCore<?> caller = dev.weft.internal.ExecutionContext.currentTaskOrNull();
        boolean own = caller != null && caller.runtime() == this;
        // A sequential task of a runtime that holds its carriers (CarrierGate) lets its carrier go
        // while it waits for the other tasks here: they need that carrier to finish.
        CarrierGate gate = carrierGate;
        boolean released = gate != null && own && Thread.currentThread().isVirtual();
        if (released) {
            gate.release();
        }
        try {
            closeAs(own ? caller : null);
        } finally {
            if (released) {
                gate.hold();
            }
        }
    }

    private void closeAs(dev.weft.internal.TaskCore<?> caller) {
        if (!CLOSE_STATE.compareAndSet(this, OPEN, CLOSING)) {
            awaitClosed();
            return;
        }
        // A task of this runtime may close it: it is not cancelled (it is running close()), and
        // the drain does not wait for it (it would wait for itself, the whole grace; issue 18,
        // fault 6). Like every task left at the end, it is completed as cancelled after shutdown.
        closingTask = caller;
        try {
            long deadline = System.nanoTime() + closeGraceNanos;
            for (Task<?> t : liveTasks()) {
                if (t != closingTask) {
                    t.cancel();
                }
            }
            drainUntil(deadline);
            shutdown(deadline);
            closeDrivers();
            BlockingPool pool = blockingPool;
            if (pool != null) {
                pool.shutdown();
            }
        } finally {
            for (Task<?> t : liveTasks()) {
                ((TaskCore<?>) t).abandon();
            }
            dev.weft.internal.RuntimeRegistry.unregister(registryId);
            closeState = CLOSED;
        }
    }

    /** A second closer: returns once the first one has finished. */
    private void awaitClosed() {
        boolean interrupted = Thread.interrupted();     // not a busy loop for an interrupted caller
        while (closeState != CLOSED) {
            java.util.concurrent.locks.LockSupport.parkNanos(this, 1_000_000);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until {@link #drained()} or the deadline passes. The default sleeps briefly between
     * checks; an interrupted closer's interrupt is set aside for the wait and restored after (a
     * park returns at once for an interrupted thread, which made the wait a busy loop).
     */
    protected void drainUntil(long deadlineNanos) {
        boolean interrupted = Thread.interrupted();
        try {
            while (!drained() && System.nanoTime() - deadlineNanos < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True when no task is live but, if a task of this runtime is closing it, that task. */
    protected final boolean drained() {
        int n = live.size();
        if (n == 0) {
            return true;
        }
        Task<?> closer = closingTask;
        return n == 1 && closer != null && !closer.isDone() && live.snapshot().contains(closer);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + (isClosed() ? ", closed" : "") + ", " + live.size() + " live tasks]";
    }
}
