package dev.weft.runtime;

import dev.weft.Cancellable;
import dev.weft.Waker;
import dev.weft.internal.ExecutionContext;
import dev.weft.runtime.internal.TimerThread;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A runtime on the JDK's own machinery, needing no JVM flag: sequential tasks are ordinary
 * virtual threads on the JDK's default scheduler; poll tasks are polled by a small
 * {@link ForkJoinPool} of this runtime; timers fire from one timer thread. Use it where the JVM
 * flags for Weft's own schedulers cannot be set.
 *
 * {@snippet class="dev.weft.snippets.RuntimeSnippets" region="jdkDefault"}
 */
public final class JdkRuntime extends AbstractRuntime {
    static {
        dev.weft.internal.Diagnostics.registerLibrary(Runtimes.class);   // weft-runtime's frames are Weft's in dumps
    }

    private final ForkJoinPool pollers;
    private final TimerThread timer;
    /**
     * Its sequential tasks' threads, always on the JDK's scheduler: with the carrier hook the
     * scheduler is named explicitly, since a plain virtual thread started by a task that another
     * runtime carries would inherit that runtime's scheduler (found by the four-runtime mix test:
     * a JDK-default task spawned from a Swing task ran on the event dispatch thread).
     */
    private final ThreadFactory virtualThreads;

    JdkRuntime(String name, int pollThreads) {
        super(name);
        this.pollers = new ForkJoinPool(pollThreads, pool -> new Poller(pool, this), null, true);
        this.timer = new TimerThread(name + "-timer");
        this.virtualThreads = Carriers.jdkScheduled(name);
    }

    @Override
    public Executor pollExecutor() {
        return pollers;
    }

    @Override
    public ThreadFactory virtualThreadFactory() {
        return virtualThreads;
    }

    @Override
    public boolean carries(Thread virtualThread) {
        return virtualThread.isVirtual();
    }

    @Override
    public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
        if (timerStopped) {
            throw new IllegalStateException("runtime '" + name() + "' is closed: its timer fires no more. "
                    + "Wait on a runtime that is still open.");
        }
        return timer.schedule(deadlineNanos, waker);
    }

    /** Set when {@link #shutdown} stops the timer: later timers are refused, not silently lost (issue 18, fault 5). */
    private volatile boolean timerStopped;

    @Override
    protected void shutdown(long deadlineNanos) {
        timerStopped = true;
        pollers.shutdown();
        try {
            pollers.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pollers.shutdownNow();
        timer.stop();
    }

    /**
     * Chooses the I/O driver of this runtime's I/O types (see
     * {@link MultiThreadRuntime.Builder#ioDriver}); call it before the runtime's first I/O. On this
     * runtime a driver runs on a thread of its own.
     */
    public JdkRuntime ioDriver(String name) {
        setOption(IO_DRIVER, java.util.Objects.requireNonNull(name, "name"));
        return this;
    }

    /** A poll thread: carries this runtime's context for its whole life. */
    @Override
    public String describe() {
        return "JDK default scheduler";
    }

    private static final class Poller extends ForkJoinWorkerThread {
        private final JdkRuntime runtime;

        Poller(ForkJoinPool pool, JdkRuntime runtime) {
            super(null, pool, true);
            this.runtime = runtime;
            setName(runtime.name() + "-poller-" + getPoolIndex());
            setDaemon(true);
        }

        @Override
        protected void onStart() {
            super.onStart();
            ExecutionContext.enterWorker(runtime);
        }
    }
}
