package dev.weft.internal;

import dev.weft.Task;
import dev.weft.spi.AbstractRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lints: patterns in a task's diagnostic record that usually mean a bug, each with a threshold
 * and a one-line explanation. Shown in task dumps and the console, emitted as the JFR event
 * {@code dev.weft.Lint}, and logged once per task (logger {@code dev.weft.lint}, WARNING) by the
 * scan that the {@code weft-housekeeping} thread runs every second.
 *
 * <ul>
 *   <li>{@link Lint#LOST_WAKER}: idle for {@code weft.lint.lostWakerMillis} (1,000) or more, not
 *       scheduled, and its last poll returned pending without asking for its waker
 *       ({@code cx.waker()}), so no resource, timer, driver or signal holds it. A heuristic: a
 *       future may legitimately keep a waker from an earlier poll and not ask again.</li>
 *   <li>{@link Lint#SELF_WAKES}: more than half of at least 100 wakes came from the task's own
 *       poll: a yield or busy-poll loop ({@code yield_many} trips it by design).</li>
 *   <li>{@link Lint#LONG_POLL}: one poll of a poll task took {@code weft.lint.longPollMillis}
 *       (10) or more: the blocking detector for poll tasks. Measured on the 5 ms coarse clock
 *       with a tick of slack (a poll counts when it surely reached the threshold), and never on a
 *       task's first poll, which class loading and the JIT make slow. Wall time, so a worker the
 *       OS deschedules for a moment counts too: the lint needs two long polls, or one of five
 *       times the threshold, while every long poll is a JFR event. Not for sequential tasks: their time between two awaits includes
 *       parks inside JDK calls that Weft does not see (a contended JDK lock, {@code Thread.sleep},
 *       NIO's internal locks); a sequential task that really holds its carrier is the watchdog's
 *       {@link Lint#BLOCKED_WORKER} or {@link Lint#BLOCKED_CARRIER}.</li>
 *   <li>{@link Lint#NEVER_YIELDED}: running for {@code weft.lint.neverYieldedMillis} (1,000) or
 *       more without returning from a poll or awaiting through Weft (for a sequential task this
 *       includes a long JDK call, {@code Thread.sleep} say, which its dump entry then shows).</li>
 *   <li>{@link Lint#BLOCKED_WORKER}, {@link Lint#BLOCKED_CARRIER}: the watchdog found the task
 *       holding its worker (computing, or a poll blocked in a call), or a sequential task blocking
 *       its carrier in a pinned wait or a JDK blocking call.</li>
 * </ul>
 *
 * <p>{@code -Dweft.stats=false} turns off the time sums and the long-poll check (for measuring
 * what they cost); the counters and the other lints stay.
 */
public final class Lints {
    /** The lints, in the order dumps list them. */
    public enum Lint {
        LOST_WAKER, SELF_WAKES, LONG_POLL, NEVER_YIELDED, BLOCKED_WORKER, BLOCKED_CARRIER
    }

    /** One lint found on one task. */
    public record Found(Lint lint, String message) { }

    static final boolean STATS = !"false".equals(System.getProperty("weft.stats"));
    private static final int LOST_WAKER_MILLIS = Integer.getInteger("weft.lint.lostWakerMillis", 1_000);
    private static final int LONG_POLL_MILLIS = Integer.getInteger("weft.lint.longPollMillis", 10);
    private static final int NEVER_YIELDED_MILLIS = Integer.getInteger("weft.lint.neverYieldedMillis", 1_000);
    private static final int SELF_WAKES_MIN = 100;
    private static final System.Logger LOG = System.getLogger("dev.weft.lint");
    /** Watchdog findings, by task: rare, so kept here rather than in every task record. */
    private static final Map<TaskCore<?>, Found> BLOCKED = new ConcurrentHashMap<>();

    private Lints() { }

    /** The long-poll threshold in milliseconds. */
    static int longPollMillis() {
        return LONG_POLL_MILLIS;
    }

    /** After a pending poll: remembers whether the poll took its waker (the lost-waker suspicion). */
    static void pendingPoll(TaskCore<?> task, boolean wakerTaken, boolean selfWoken) {
        boolean suspect = !wakerTaken && !selfWoken;
        if (task.lostWakerSuspect != suspect) {
            task.lostWakerSuspect = suspect;
        }
    }

    /** A run of {@code millis} (coarse) or more just ended on this thread: the JFR long-poll event. */
    static void longRun(TaskCore<?> task, int millis) {
        WeftEvents.longPoll(task, millis);
    }

    /** The watchdog's finding: {@code task} held its worker or carrier (from the watchdog's thread). */
    public static void blocked(Task<?> task, boolean carrier, String message) {
        if (task instanceof TaskCore<?> t) {
            BLOCKED.put(t, new Found(carrier ? Lint.BLOCKED_CARRIER : Lint.BLOCKED_WORKER, message));
        }
    }

    /** The lints that hold for {@code task} now ({@code now} on the {@link CoarseClock}). */
    public static List<Found> of(TaskCore<?> task, int now) {
        List<Found> found = new ArrayList<>(0);
        Task.State state = task.state();
        int inState = now - task.stateSince;
        if (state == Task.State.IDLE && task.lostWakerSuspect && inState >= LOST_WAKER_MILLIS) {
            found.add(new Found(Lint.LOST_WAKER, "idle " + TaskDump.duration(inState) + ", not scheduled, and its last poll "
                    + "returned pending without taking its waker (cx.waker()): nothing holds it, so it may never be woken"));
        }
        long wakes = task.wakes;
        if (wakes >= SELF_WAKES_MIN && task.selfWakes * 2L > wakes) {
            found.add(new Found(Lint.SELF_WAKES, task.selfWakes + " of " + wakes + " wakes came from its own poll: "
                    + "a yield or busy-poll loop that keeps a worker busy without progress"));
        }
        if (task.longPolls >= 2 || task.longestRunMs >= 5 * LONG_POLL_MILLIS) {
            found.add(new Found(Lint.LONG_POLL, (task.longPolls == 1 ? "one poll" : task.longPolls + " polls") + " took "
                    + (task.longPolls == 1 ? "" : "up to ") + TaskDump.duration(task.longestRunMs) + " (threshold " + LONG_POLL_MILLIS
                    + " ms): its worker ran nothing else meanwhile"));
        }
        if (state == Task.State.RUNNING && inState >= NEVER_YIELDED_MILLIS) {
            found.add(new Found(Lint.NEVER_YIELDED, task.kind() == Task.Kind.POLL
                    ? "in one poll for " + TaskDump.duration(inState) + ": other tasks on its worker wait"
                    : "running for " + TaskDump.duration(inState) + " without awaiting through Weft: computing "
                    + "(other tasks on its worker wait) or in a long JDK call"));
        }
        Found b = BLOCKED.get(task);
        if (b != null) {
            found.add(b);
        }
        return found;
    }

    /**
     * The once-a-second scan (on the {@code weft-housekeeping} thread): logs each lint once per task and
     * emits its JFR event; forgets the watchdog findings of finished tasks.
     */
    static void scan() {
        BLOCKED.keySet().removeIf(TaskCore::isDone);
        int now = CoarseClock.now();
        for (AbstractRuntime r : RuntimeRegistry.open()) {
            for (Task<?> t : RuntimeInternals.liveTasks(r)) {
                TaskCore<?> task = (TaskCore<?>) t;
                for (Found f : of(task, now)) {
                    int bit = 1 << f.lint().ordinal();
                    if ((task.lintBits & bit) != 0) {
                        continue;
                    }
                    task.lintBits |= (byte) bit;
                    WeftEvents.lint(task, r, f);
                    LOG.log(System.Logger.Level.WARNING, () -> "Weft lint " + f.lint() + ": "
                            + task.kind().name().toLowerCase(Locale.ROOT) + " task '" + task.name() + "' #" + task.id()
                            + " of runtime '" + r.name() + "': " + f.message());
                }
            }
        }
    }
}
