package dev.weft.runtime.internal;

import dev.weft.Task;
import dev.weft.runtime.BlockedWorkerReport;
import dev.weft.spi.AbstractRuntime;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reports, once per occurrence, a worker that stays in one run longer than a threshold.
 *
 * <h2>Implementation notes</h2>
 * The workers pay only an opaque increment of {@link Worker#runCountOpaque() runCount} and an
 * opaque store of the current runnable per run (no clock read). This thread samples every
 * {@code threshold / 4}; a worker whose run count has not moved while it had work in hand since a
 * sample at least {@code threshold} ago is stuck in one run. It is reported once: the run count it
 * was reported at is remembered until the worker moves on.
 */
public final class Watchdog {
    private final AbstractRuntime runtime;
    private final Worker[] workers;
    private final long thresholdNanos;
    private final Consumer<BlockedWorkerReport> sink;
    private final long[] lastCount;
    private final long[] since;
    private final long[] reportedAt;
    private final Thread thread;
    private volatile boolean stopped;

    public Watchdog(AbstractRuntime runtime, Worker[] workers, Duration threshold, Consumer<BlockedWorkerReport> sink) {
        this.runtime = runtime;
        this.workers = workers;
        this.thresholdNanos = threshold.toNanos();
        this.sink = sink;
        this.lastCount = new long[workers.length];
        this.since = new long[workers.length];
        this.reportedAt = new long[workers.length];
        java.util.Arrays.fill(reportedAt, -1);
        this.thread = Thread.ofPlatform().daemon(true).name(runtime.name() + "-watchdog").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    public void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void loop() {
        long period = Math.max(1_000_000L, thresholdNanos / 4);
        while (!stopped) {
            try {
                Thread.sleep(Duration.ofNanos(period));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (int i = 0; i < workers.length; i++) {
                try {
                    check(i, now);
                } catch (Throwable t) {     // a task whose toString() or stack walk throws: the watchdog goes on
                    dev.weft.spi.Faults.report("watchdog of runtime '" + runtime.name() + "'", workers[i], t);
                }
            }
        }
    }

    private void check(int i, long now) {
        Worker w = workers[i];
        long count = w.runCountOpaque();
        Runnable current = w.currentOpaque();
        if (count != lastCount[i] || current == null) {
            lastCount[i] = count;
            since[i] = now;
            return;
        }
        long stuckFor = now - since[i];
        if (stuckFor < thresholdNanos || reportedAt[i] == count) {
            return;
        }
        reportedAt[i] = count;
        Task<?> task = taskOf(w, current);
        Thread worker = task != null && task.kind() == Task.Kind.SEQUENTIAL && threadOf(task) != null ? threadOf(task) : w;
        BlockedWorkerReport report = new BlockedWorkerReport(runtime.name(), w.getName(), Duration.ofNanos(stuckFor),
                Optional.ofNullable(task).map(Task::name), task == null ? Optional.empty() : task.spawnSite(),
                worker.getStackTrace());
        try {
            sink.accept(report);
        } catch (Throwable e) {
            dev.weft.spi.Faults.report("watchdog of runtime '" + runtime.name() + "' (its onBlocked listener)", sink, e);
        }
    }

    private Task<?> taskOf(Worker w, Runnable current) {
        if (current instanceof Task<?> t) {
            return t;
        }
        for (Task<?> t : runtime.liveTasks()) {
            Thread th = threadOf(t);
            if (th != null && th.isVirtual() && CarrierHook.carrierOf(th).orElse(null) == w) {
                return t;
            }
        }
        return null;
    }

    private static Thread threadOf(Task<?> t) {
        return t instanceof dev.weft.internal.TaskCore<?> core ? core.thread() : null;
    }
}
