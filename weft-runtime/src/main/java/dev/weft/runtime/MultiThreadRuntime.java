package dev.weft.runtime;

import dev.weft.Cancellable;
import dev.weft.Waker;
import dev.weft.runtime.internal.RuntimeScheduler;
import dev.weft.runtime.internal.Scheduler;
import dev.weft.runtime.internal.Watchdog;
import dev.weft.spi.BlockingPool;
import dev.weft.spi.Driver;
import dev.weft.spi.Coop;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The default runtime for servers: N worker threads with work stealing. Poll tasks are polled
 * directly by the workers; sequential tasks' virtual threads are mounted on the same workers
 * (through the carrier hook), so both kinds share one scheduler, one timer and one budget.
 *
 * {@snippet class="dev.weft.snippets.RuntimeSnippets" region="multiThread"}
 *
 * <ul>
 *   <li><b>Scheduling.</b> Each worker has a bounded local queue (others steal half of it when
 *       idle), a LIFO slot for the task most recently woken by the running task (run next, at most
 *       3 times in a row), and checks the global injection queue every 61 tasks. Idle workers park;
 *       at most half search for work at once. A task left behind a worker held in one run (a
 *       child spawned by a parent that then computes) is moved to another worker within about
 *       20 ms by the runtime's monitor thread.</li>
 *   <li><b>Budget.</b> A task that keeps finding its resources ready yields after
 *       {@link Builder#budget(int) budget} operations (see {@link Coop}).</li>
 *   <li><b>Blocking.</b> {@link #spawnBlocking} runs calls on an elastic pool of platform threads
 *       ({@link Builder#blockingThreads(int)}, {@link Builder#blockingKeepAlive(Duration)}).</li>
 *   <li><b>Watchdog.</b> A worker that stays in one poll or one virtual-thread run longer than
 *       {@link Builder#watchdog(Duration)} is reported once, with its stack, the task's name and
 *       spawn site, and why it is held (a blocking call, a pinned wait, a computation) with the fix.
 *       No worker is added while one is held.</li>
 *   <li><b>Close.</b> Cancels the tasks still running, waits up to the
 *       {@linkplain Builder#closeGrace close grace} (5 s) for their cleanup, stops the workers,
 *       and completes any task still alive as cancelled, so every join returns; spawning
 *       afterwards throws {@link IllegalStateException}.</li>
 * </ul>
 * Sequential tasks need the carrier hook (the JVM flag {@code --add-opens
 * java.base/java.lang=ALL-UNNAMED}); without it, spawning one throws an error naming the flag.
 */
public final class MultiThreadRuntime extends CarriedRuntime {
    private final Scheduler scheduler;
    private final Watchdog watchdog;
    private final BlockingPool.Settings blocking;

    private MultiThreadRuntime(Builder b) {
        super(b.name);
        setCoopBudget(b.budget);
        setCloseGrace(b.closeGrace);
        if (b.ioDriver != null) {
            setOption(IO_DRIVER, b.ioDriver);
        }
        this.blocking = new BlockingPool.Settings(b.blockingThreads, b.blockingKeepAlive.toNanos());
        this.scheduler = new Scheduler(this, b.name, b.workers, b.queueCapacity);
        this.watchdog = new Watchdog(this, scheduler.workers(), b.watchdogThreshold, b.onBlocked);
        scheduler.start();
        watchdog.start();
    }

    /** A builder with the defaults: one worker per processor, budget 128, watchdog at 100 ms. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many workers this runtime has. */
    public int workers() {
        return scheduler.workers().length;
    }

    @Override
    RuntimeScheduler scheduler() {
        return scheduler;
    }


    @Override
    public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
        return scheduler.scheduleWake(deadlineNanos, waker);
    }

    /** The worker that holds the timer waits on the driver when idle; busy workers poll it now and then. */
    @Override
    protected boolean attachDriver(Driver driver) {
        return scheduler.attachDriver(driver);
    }

    @Override
    protected BlockingPool.Settings blockingPoolSettings() {
        return blocking;
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        watchdog.stop();
        scheduler.shutdown(deadlineNanos);
    }

    /** Configures a {@link MultiThreadRuntime}. */
    public static final class Builder {
        private String name = "weft";
        private int workers = java.lang.Runtime.getRuntime().availableProcessors();
        private int budget = Coop.BUDGET;
        private int queueCapacity = 256;
        private Duration watchdogThreshold = Duration.ofMillis(100);
        private Consumer<BlockedWorkerReport> onBlocked = report -> System.getLogger("dev.weft.runtime.watchdog")
                .log(System.Logger.Level.WARNING, report.toString());
        private Duration closeGrace = Duration.ofSeconds(5);
        private String ioDriver;
        private int blockingThreads = BlockingPool.Settings.DEFAULT.maxThreads();
        private Duration blockingKeepAlive = Duration.ofNanos(BlockingPool.Settings.DEFAULT.keepAliveNanos());

        private Builder() { }

        /** The runtime's name; workers are named {@code <name>-worker-<i>}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The number of worker threads (default: available processors). */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + count);
            }
            this.workers = count;
            return this;
        }

        /** Operations a task may complete without waiting before it must yield (default 128). */
        public Builder budget(int operations) {
            if (operations < 1) {
                throw new IllegalArgumentException("budget must be at least 1, got " + operations);
            }
            this.budget = operations;
            return this;
        }

        /** Slots in each worker's local queue, a power of two (default 256). */
        public Builder queueCapacity(int slots) {
            if (Integer.bitCount(slots) != 1 || slots < 2) {
                throw new IllegalArgumentException("queue capacity must be a power of two >= 2, got " + slots);
            }
            this.queueCapacity = slots;
            return this;
        }

        /**
         * Report a worker stuck in one run longer than {@code threshold} (default 100 ms); null turns the
         * reports off (the runtime's monitor still moves tasks waiting behind a held worker to another one).
         * The report names why the worker is held ({@link BlockedWorkerReport.Cause}: a blocking call, a
         * pinned wait, a computation), the call, and the fix. Weft does not add a worker while one is held:
         * blocking calls in sequential tasks belong on {@code Weft.spawnBlocking(() -> ...).join()} or
         * Weft's I/O types (README.md, "Blocking calls in sequential tasks").
         */
        public Builder watchdog(Duration threshold) {
            if (threshold != null && (threshold.isNegative() || threshold.isZero())) {
                throw new IllegalArgumentException("the watchdog threshold must be positive, got " + threshold);
            }
            this.watchdogThreshold = threshold;
            return this;
        }

        /**
         * Where watchdog reports go (default: the {@code dev.weft.runtime.watchdog} System.Logger at WARNING,
         * with the text of {@link BlockedWorkerReport#toString()}: cause, call and fix, then the stack).
         */
        public Builder onBlocked(Consumer<BlockedWorkerReport> listener) {
            this.onBlocked = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * How long {@code close()} waits for cancelled tasks to finish their cleanup before it
         * completes the rest as cancelled (default 5 s).
         */
        public Builder closeGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("the close grace must not be negative, got " + grace);
            }
            this.closeGrace = grace;
            return this;
        }

        /**
         * The I/O driver of this runtime's I/O types (weft-io): {@code "nio"} (readiness, the
         * default) or {@code "io_uring"} (completion, module weft-uring; falls back to NIO with one
         * log line naming the cause where io_uring is unavailable). Default: the system property
         * {@code weft.io.driver}, else NIO.
         */
        public Builder ioDriver(String name) {
            this.ioDriver = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The most platform threads the blocking pool may have (default 512); more calls queue FIFO. */
        public Builder blockingThreads(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("blockingThreads must be at least 1, got " + max);
            }
            this.blockingThreads = max;
            return this;
        }

        /** How long an idle blocking-pool thread lives (default 10 s). */
        public Builder blockingKeepAlive(Duration keepAlive) {
            this.blockingKeepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return this;
        }

        /** Builds and starts the runtime. */
        public MultiThreadRuntime build() {
            return new MultiThreadRuntime(this);
        }
    }

    @Override
    public dev.weft.spi.SchedulerStats schedulerStats() {
        return scheduler.stats();
    }

    @Override
    public String describe() {
        return "multi-thread, " + workers() + (workers() == 1 ? " worker" : " workers");
    }
}
