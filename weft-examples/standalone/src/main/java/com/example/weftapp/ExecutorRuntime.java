package com.example.weftapp;

import dev.weft.Cancellable;
import dev.weft.Waker;
import dev.weft.runtime.Carriers;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.Faults;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A Weft runtime written outside Weft, in a project of its own, against the public SPI only
 * ({@code dev.weft.spi}, and {@link Carriers} for its tasks' threads), the way a third party would
 * write one (issue 16): poll tasks run on a user-supplied {@link ExecutorService} (a
 * {@code ThreadPoolExecutor}, a game loop's executor), sequential tasks are virtual threads on
 * the JDK's scheduler, and timers fire from one {@link ScheduledThreadPoolExecutor} thread. It
 * passes Weft's conformance kit ({@code weft-tck}; {@code ExecutorRuntimeConformanceTest}).
 *
 * {@snippet :
 * try (ExecutorRuntime rt = ExecutorRuntime.over("pool", Executors.newFixedThreadPool(4))) {
 *     int v = rt.run(() -> Weft.spawn(() -> 20).join() + 22);   // 42
 * }
 * }
 *
 * <p>What the SPI asks of a runtime: where poll tasks run ({@link #pollExecutor}), how sequential
 * tasks get their threads ({@link #virtualThreadFactory}, {@link #carries}), a timer
 * ({@link #scheduleWake}) whose calls out of it are guarded (a waker that throws is reported
 * through {@link Faults} and the timer goes on), and {@link #shutdown}. {@link AbstractRuntime}
 * does the rest: spawning, the current runtime, task registry, cancellation and close.
 */
public final class ExecutorRuntime extends AbstractRuntime {
    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadFactory virtualThreads;

    private ExecutorRuntime(String name, ExecutorService executor) {
        super(name);
        this.executor = executor;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name + "-timer");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        // Not Thread.ofVirtual(): started inside another runtime's task, that would take the
        // task's carrier (a Weft worker, the Swing event thread) instead of the JDK's scheduler.
        this.virtualThreads = Carriers.jdkScheduled(name);
    }

    /** A runtime whose poll tasks run on {@code executor}; closing the runtime shuts the executor down. */
    public static ExecutorRuntime over(String name, ExecutorService executor) {
        return new ExecutorRuntime(name, java.util.Objects.requireNonNull(executor, "executor"));
    }

    @Override
    public Executor pollExecutor() {
        return executor;
    }

    @Override
    public ThreadFactory virtualThreadFactory() {
        return virtualThreads;
    }

    /** Its sequential tasks are plain virtual threads; they find this runtime by the inherited context. */
    @Override
    public boolean carries(Thread virtualThread) {
        return virtualThread.isVirtual();
    }

    @Override
    public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
        if (timer.isShutdown()) {
            throw new IllegalStateException("runtime '" + name() + "' is closed: its timer fires no more");
        }
        ScheduledFuture<?> f = timer.schedule(() -> {
            try {
                waker.wake();
            } catch (Throwable t) {
                Faults.report("timer of runtime '" + name() + "'", waker, t);
            }
        }, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        timer.shutdownNow();
        executor.shutdown();
        try {
            executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    @Override
    public String describe() {
        return "poll tasks on " + executor.getClass().getSimpleName() + ", sequential tasks on the JDK's virtual threads";
    }
}
