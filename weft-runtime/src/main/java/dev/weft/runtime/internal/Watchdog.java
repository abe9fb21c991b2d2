package dev.weft.runtime.internal;

import dev.weft.Task;
import dev.weft.runtime.BlockedWorkerReport;
import dev.weft.spi.AbstractRuntime;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The multi-thread runtime's monitor: reports, once per occurrence, a worker that stays in one run
 * longer than a threshold (when one is set), and moves work stranded behind such a worker to one
 * that can run it.
 *
 * <h2>Implementation notes</h2>
 * The workers pay only an opaque increment of {@link Worker#runCountOpaque() runCount} and an
 * opaque store of the current runnable per run (no clock read). This thread samples every
 * {@code threshold / 4}; a worker whose run count has not moved while it had work in hand since a
 * sample at least {@code threshold} ago is stuck in one run. It is reported once: the run count it
 * was reported at is remembered until the worker moves on.
 *
 * <p><b>Why the worker is held</b> ({@link BlockedWorkerReport.Cause}) is worked out only when a
 * report is made, on this thread, from public API: the worker's {@link Thread#getState()} (a
 * carrier whose mounted virtual thread is pinned while it parks, waits or blocks on a monitor is
 * itself WAITING, TIMED_WAITING or BLOCKED: the JDK parks the carrier) and the top frame of the
 * stack of the thread doing the work ({@link #classify}). The workers pay nothing more. The state
 * is read from the worker, a platform thread (a field read), not from the virtual thread: in JDK
 * 25 {@code VirtualThread.getState()} of a mounted thread takes its {@code interruptLock}
 * monitor, which that thread's unmount also takes. {@code getStackTrace()} of a mounted virtual
 * thread is a VM handshake with its carrier (a pause of the worker for the walk, no Java monitor);
 * of an unmounted one, a CAS-suspend. Either way any wait is the worker waiting for this thread,
 * never the reverse, and this thread waits on no worker, so decision 12 (no queued locks between
 * workers and their virtual threads) holds; it is the watchdog's own thread that is exempted.
 * After the stack walk the worker is sampled again: if it has moved on to another run (or the
 * virtual thread has left it), the sample is stale and no report is made.
 *
 * <p><b>Stranded work.</b> The LIFO slot holds the task most recently woken by the running task,
 * and thieves never take it (taking it eagerly costs message-passing pairs their locality: tokio
 * made its slot stealable in 1.51 and backed it out for that regression). A worker whose run count
 * has not moved since the previous sample (at most {@link #RESCUE_PERIOD_NANOS} ago) and which
 * runs something is held: its LIFO task moves to the injector and a parked worker is woken, also
 * when only its local queue has work (one queued task wakes nobody when it is pushed). A spawn
 * from a task that then computes for seconds therefore starts within about 20 ms, not after the
 * parent (test: {@code MultiThreadFaultConformanceTest}, the stranded child). The worker's own
 * take and the monitor's are atomic exchanges of the slot, so the task runs once.
 *
 * <p>Weft does not compensate (add a worker) for a held worker, unlike the JDK's default
 * scheduler for some blocking calls: the report names the call and the fix (ARCHITECTURE.md,
 * decision 22).
 */
public final class Watchdog {
    /**
     * How often the workers are sampled at most. A task stranded in the LIFO slot of a worker held in
     * one run starts on another worker within two periods (issue 18, fault 3).
     */
    static final long RESCUE_PERIOD_NANOS = 10_000_000L;
    private final AbstractRuntime runtime;
    private final Worker[] workers;
    private final long thresholdNanos;
    private final Consumer<BlockedWorkerReport> sink;
    private final long[] lastCount;
    private final long[] since;
    private final long[] reportedAt;
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param threshold how long one run may last before it is reported, or null for no reports
     *                  (the rescue of stranded work runs either way)
     */
    public Watchdog(AbstractRuntime runtime, Worker[] workers, Duration threshold, Consumer<BlockedWorkerReport> sink) {
        this.runtime = runtime;
        this.workers = workers;
        this.thresholdNanos = threshold == null ? 0 : threshold.toNanos();
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
        long period = thresholdNanos == 0 ? RESCUE_PERIOD_NANOS
                : Math.max(1_000_000L, Math.min(RESCUE_PERIOD_NANOS, thresholdNanos / 4));
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
        // Held in one run since the previous sample: what waits behind it goes to another worker.
        w.scheduler.rescueFrom(w);
        if (thresholdNanos == 0) {
            return;     // reports are off; the rescue above still runs
        }
        long stuckFor = now - since[i];
        if (stuckFor < thresholdNanos || reportedAt[i] == count) {
            return;
        }
        reportedAt[i] = count;
        Task<?> task = taskOf(w, current);
        boolean poll = current instanceof Task<?> t && t.kind() == Task.Kind.POLL;
        Thread vthread = task != null && task.kind() == Task.Kind.SEQUENTIAL ? threadOf(task) : null;
        Thread worker = vthread != null ? vthread : w;
        StackTraceElement[] stack = worker.getStackTrace();
        Thread.State state = w.getState();      // a platform thread's state: no lock (see the notes)
        if (w.runCountOpaque() != count || w.currentOpaque() != current
                || (vthread != null && CarrierHook.carrierOf(vthread).orElse(null) != w)) {
            reportedAt[i] = -1;                 // it moved on while we looked: not stuck, no report
            return;
        }
        BlockedWorkerReport report = new BlockedWorkerReport(runtime.name(), w.getName(), Duration.ofNanos(stuckFor),
                Optional.ofNullable(task).map(Task::name), task == null ? Optional.empty() : task.spawnSite(),
                stack, classify(state, stack, poll));
        dev.weft.internal.WeftEvents.blockedWorker(runtime.name(), w.getName(), stuckFor / 1_000_000,
                task == null ? null : task.name(), report.cause().name(), stack);
        if (task != null) {
            boolean carrier = task.kind() == Task.Kind.SEQUENTIAL && report.cause() != BlockedWorkerReport.Cause.COMPUTATION;
            dev.weft.internal.Lints.blocked(task, carrier, "the watchdog found it holding worker " + w.getName() + " for "
                    + Duration.ofNanos(stuckFor).toMillis() + " ms (" + report.cause() + ")"
                    + (stack.length > 0 ? " at " + stack[0] : ""));
        }
        try {
            sink.accept(report);
        } catch (Throwable e) {
            dev.weft.spi.Faults.report("watchdog of runtime '" + runtime.name() + "' (its onBlocked listener)", sink, e);
        }
    }

    /**
     * Why a worker is held, from the state of the worker's thread and the stack of the thread
     * doing the work: a wait (WAITING, TIMED_WAITING, BLOCKED) is a pinned wait for a sequential
     * task and a blocking call for a poll; a running thread whose top frame is a native method
     * of the JDK's blocking I/O ({@link #isBlockingNative}) is in a blocking call; anything else
     * computes.
     */
    public static BlockedWorkerReport.Cause classify(Thread.State state, StackTraceElement[] stack, boolean poll) {
        if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED) {
            return poll ? BlockedWorkerReport.Cause.BLOCKING_CALL : BlockedWorkerReport.Cause.PINNED_WAIT;
        }
        if (stack.length > 0 && isBlockingNative(stack[0])) {
            return BlockedWorkerReport.Cause.BLOCKING_CALL;
        }
        return BlockedWorkerReport.Cause.COMPUTATION;
    }

    /**
     * A native method of the JDK that can block its thread in a system call: {@code java.io}
     * (file, pipe and process streams, {@code RandomAccessFile}), {@code sun.nio.ch}
     * ({@code FileChannel}, blocking sockets and selectors), {@code sun.nio.fs} (file system
     * calls), {@code java.net} (host-name lookups) and processes ({@code ProcessImpl},
     * {@code ProcessHandleImpl}: waiting for exit).
     */
    static boolean isBlockingNative(StackTraceElement e) {
        if (!e.isNativeMethod()) {
            return false;
        }
        String c = e.getClassName();
        return c.startsWith("java.io.") || c.startsWith("sun.nio.ch.") || c.startsWith("sun.nio.fs.")
                || c.startsWith("java.net.") || c.equals("java.lang.ProcessImpl") || c.equals("java.lang.ProcessHandleImpl");
    }

    /**
     * The index of the first (innermost) frame of code outside the JDK and Weft's engine (its
     * {@code .internal} packages): the task's own code, or -1.
     */
    public static int firstNonJdkFrame(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            String c = stack[i].getClassName();
            if (!isJdkFrame(stack[i]) && !(c.startsWith("dev.weft.") && c.contains(".internal."))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isJdkFrame(StackTraceElement e) {
        String m = e.getModuleName();
        if (m != null) {
            return m.startsWith("java.") || m.startsWith("jdk.");
        }
        String c = e.getClassName();
        return c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || c.startsWith("com.sun.");
    }

    private Task<?> taskOf(Worker w, Runnable current) {
        if (current instanceof Task<?> t) {
            return t;
        }
        for (Task<?> t : dev.weft.internal.RuntimeInternals.liveTasks(runtime)) {
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
