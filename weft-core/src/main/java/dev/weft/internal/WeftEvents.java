package dev.weft.internal;

import dev.weft.Task;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.SchedulerStats;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * Weft's JFR events, category "Weft". {@code dev.weft.TaskSpawn} and {@code dev.weft.TaskEnd} are
 * off by default (one per task); {@code dev.weft.LongPoll} (a poll or resumption of 10 ms or
 * more, with the stack of the thread that ran it), {@code dev.weft.BlockedWorker},
 * {@code dev.weft.Lint} and the periodic {@code dev.weft.RuntimeStats} (every second) are on.
 * Weft never initializes JFR itself: until a recording starts (and JFR calls
 * {@link #init()}'s listener), every emitter returns after one volatile read, allocating nothing.
 */
public final class WeftEvents {
    /** Whether a recording wants long polls: checked on the worker before any work is done for one. */
    private static volatile boolean recorderUp;

    private WeftEvents() { }

    @Name("dev.weft.TaskSpawn")
    @Label("Task Spawn")
    @Category("Weft")
    @Description("A task was spawned")
    @Enabled(false)
    @StackTrace(false)
    static final class TaskSpawn extends Event {
        @Label("Task Id") long taskId;
        @Label("Task Name") String taskName;
        @Label("Kind") String kind;
        @Label("Runtime") String runtime;
    }

    @Name("dev.weft.TaskEnd")
    @Label("Task End")
    @Category("Weft")
    @Description("A task finished: returned, failed or cancelled")
    @Enabled(false)
    @StackTrace(false)
    static final class TaskEnd extends Event {
        @Label("Task Id") long taskId;
        @Label("Task Name") String taskName;
        @Label("Kind") String kind;
        @Label("Runtime") String runtime;
        @Label("Outcome") String outcome;
        @Label("Polls") long polls;
        @Label("Busy (ms)") long busyMillis;
    }

    @Name("dev.weft.LongPoll")
    @Label("Long Poll")
    @Category("Weft")
    @Description("One poll of a poll task, or one run of a sequential task between awaits, held its worker "
            + "for the threshold (weft.lint.longPollMillis, 10 ms) or more")
    @StackTrace(false)
    static final class LongPoll extends Event {
        @Label("Task Id") long taskId;
        @Label("Task Name") String taskName;
        @Label("Kind") String kind;
        @Label("Runtime") String runtime;
        @Label("Duration (ms)") long durationMillis;
        @Label("Future") @Description("A poll task's future chain, as it describes itself") String future;
        @Label("Stack") @Description("Where a sequential task's run ended (its frames, trimmed); "
                + "for a poll task, the worker's") String stack;
    }

    @Name("dev.weft.BlockedWorker")
    @Label("Blocked Worker")
    @Category("Weft")
    @Description("The watchdog found a worker held by one task for longer than its threshold")
    @StackTrace(false)
    static final class BlockedWorker extends Event {
        @Label("Runtime") String runtime;
        @Label("Worker") String worker;
        @Label("Blocked For (ms)") long blockedForMillis;
        @Label("Task Name") String taskName;
        @Label("Cause") String cause;
        @Label("Top Frame") String topFrame;
    }

    @Name("dev.weft.Lint")
    @Label("Lint")
    @Category("Weft")
    @Description("A lint found on a task (reported once per task and lint)")
    @StackTrace(false)
    static final class LintEvent extends Event {
        @Label("Task Id") long taskId;
        @Label("Task Name") String taskName;
        @Label("Runtime") String runtime;
        @Label("Lint") String lint;
        @Label("Message") String message;
    }

    @Name("dev.weft.RuntimeStats")
    @Label("Runtime Statistics")
    @Category("Weft")
    @Description("Each open runtime's tasks and scheduler counters")
    @Period("1 s")
    @StackTrace(false)
    static final class RuntimeStats extends Event {
        @Label("Runtime") String runtime;
        @Label("Runtime Id") long runtimeId;
        @Label("Live Tasks") int liveTasks;
        @Label("Workers") int workers;
        @Label("Task Runs") long taskRuns;
        @Label("Steals") long steals;
        @Label("Parks") long parks;
        @Label("Queued") int queued;
    }

    /**
     * Hooks into JFR without starting it: the periodic event is registered only once the Flight
     * Recorder is initialized (a recording was started, by {@code jcmd}, {@code -XX:StartFlightRecording}
     * or code). A process that never records never initializes JFR because of Weft. Called once,
     * on the weft-housekeeping thread.
     */
    static void init() {
        FlightRecorder.addListener(new jdk.jfr.FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                FlightRecorder.addPeriodicEvent(RuntimeStats.class, WeftEvents::emitRuntimeStats);
                recorderUp = true;
            }
        });
    }

    private static void emitRuntimeStats() {
        for (AbstractRuntime r : RuntimeRegistry.open()) {
            RuntimeStats e = new RuntimeStats();
            e.runtime = r.name();
            e.runtimeId = r.id();
            e.liveTasks = r.liveTaskCount();
            SchedulerStats s = r.schedulerStats();
            e.workers = s.workers();
            e.taskRuns = s.taskRuns();
            e.steals = s.steals();
            e.parks = s.parks();
            e.queued = s.queued();
            e.commit();
        }
    }

    static void spawned(TaskCore<?> task) {
        if (!recorderUp) {
            return;             // JFR not initialized: no event object, nothing to ask (the spawn path stays as it was)
        }
        TaskSpawn e = new TaskSpawn();
        if (e.shouldCommit()) {
            e.taskId = task.id();
            e.taskName = task.name();
            e.kind = task.kind().name();
            e.runtime = task.runtime.name();
            e.commit();
        }
    }

    static void ended(TaskCore<?> task, String outcome) {
        if (!recorderUp) {
            return;
        }
        TaskEnd e = new TaskEnd();
        if (e.shouldCommit()) {
            e.taskId = task.id();
            e.taskName = task.name();
            e.kind = task.kind().name();
            e.runtime = task.runtime.name();
            e.outcome = outcome;
            e.polls = task.polls;
            e.busyMillis = task.busyMs;
            e.commit();
        }
    }

    /** A long run seen on a worker, committed later by the housekeeping thread (see {@link #longPoll}). */
    private record LongRun(long taskId, String taskName, String kind, String runtime, long millis, String future,
                           String stack) { }

    private static final java.util.concurrent.ConcurrentLinkedQueue<LongRun> LONG_RUNS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final java.util.concurrent.atomic.AtomicInteger LONG_RUNS_QUEUED = new java.util.concurrent.atomic.AtomicInteger();
    private static final int LONG_RUNS_MAX = 10_000;

    /**
     * A run of {@code millis} just ended on this thread. The event is committed by
     * {@link #commitLongPolls()} on the housekeeping thread, not here: measured on JDK 25, the first
     * event committed on a Weft worker after a virtual thread it carried has ended is lost. The
     * description and the stack are taken here, where the run ended.
     */
    static void longPoll(TaskCore<?> task, int millis) {
        if (!recorderUp || LONG_RUNS_QUEUED.get() >= LONG_RUNS_MAX) {
            return;
        }
        String future = task instanceof PollTask<?> p ? TaskDump.describe(p.future()) : null;
        String stack = String.join("\n", TaskDump.trimmed(Thread.currentThread().getStackTrace()));
        LONG_RUNS_QUEUED.incrementAndGet();
        LONG_RUNS.offer(new LongRun(task.id(), task.name(), task.kind().name(), task.runtime.name(), millis, future, stack));
    }

    /** Commits the long polls seen since the last call (housekeeping thread). */
    static void commitLongPolls() {
        LongRun r;
        while ((r = LONG_RUNS.poll()) != null) {
            LONG_RUNS_QUEUED.decrementAndGet();
            LongPoll e = new LongPoll();
            if (e.shouldCommit()) {
                e.taskId = r.taskId();
                e.taskName = r.taskName();
                e.kind = r.kind();
                e.runtime = r.runtime();
                e.durationMillis = r.millis();
                e.future = r.future();
                e.stack = r.stack();
                e.commit();
            }
        }
    }

    /** The watchdog's report, as an event (called on the watchdog's thread). */
    public static void blockedWorker(String runtime, String worker, long blockedForMillis, String taskName, String cause,
                                     StackTraceElement[] stack) {
        if (!recorderUp) {
            return;
        }
        BlockedWorker e = new BlockedWorker();
        if (e.shouldCommit()) {
            e.runtime = runtime;
            e.worker = worker;
            e.blockedForMillis = blockedForMillis;
            e.taskName = taskName;
            e.cause = cause;
            e.topFrame = stack.length == 0 ? null : stack[0].toString();
            e.commit();
        }
    }

    static void lint(TaskCore<?> task, AbstractRuntime runtime, Lints.Found f) {
        if (!recorderUp) {
            return;
        }
        LintEvent e = new LintEvent();
        if (e.shouldCommit()) {
            e.taskId = task.id();
            e.taskName = task.name();
            e.runtime = runtime.name();
            e.lint = f.lint().name();
            e.message = f.message();
            e.commit();
        }
    }

    static String outcomeName(int how) {
        return switch (how) {
            case TaskCore.SUCCEEDED -> "succeeded";
            case TaskCore.FAILED -> "failed";
            default -> "cancelled";
        };
    }
}
