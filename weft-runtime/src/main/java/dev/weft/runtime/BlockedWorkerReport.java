package dev.weft.runtime;

import dev.weft.runtime.internal.Watchdog;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the watchdog reports once when a worker stays in one poll, or one virtual-thread run,
 * longer than its threshold: the worker, for how long, which task (when it can tell), where that
 * task was spawned (when spawn sites are on), the worker's stack at that moment, and why the
 * worker is held ({@link Cause}).
 *
 * <p>Weft does not add a worker while one is held (the JDK's own scheduler does, for some
 * blocking calls): a blocking call belongs on the blocking pool,
 * {@code Weft.spawnBlocking(() -> call()).join()}, or on Weft's I/O types. See README.md,
 * "Blocking calls in sequential tasks", and ARCHITECTURE.md, decision 22.
 *
 * @param runtime     the runtime's name
 * @param worker      the worker thread's name
 * @param blockedFor  how long the worker had been in the same run when seen
 * @param taskName    the task being run, if known
 * @param spawnSite   where that task was spawned, if captured ({@code -Dweft.spawnSites=true})
 * @param stack       the stack of the thread doing the work (the virtual thread's, for a
 *                    sequential task)
 * @param cause       why the worker is held, from the thread's state and its top frame
 */
public record BlockedWorkerReport(String runtime, String worker, Duration blockedFor, Optional<String> taskName,
                                  Optional<StackTraceElement> spawnSite, StackTraceElement[] stack, Cause cause) {

    /** Why a worker is held, as the watchdog saw it when it made the report. */
    public enum Cause {
        /**
         * The worker's thread waits (a park, {@code Object.wait}, a monitor, a sleep) while a
         * sequential task's virtual thread is pinned to it: a native frame or a class initialiser
         * on the task's stack keeps the wait from unmounting it.
         */
        PINNED_WAIT,
        /**
         * The worker's thread is in a blocking system call ({@code java.io} or {@code FileChannel}
         * file and pipe I/O, a process's streams, a host-name lookup), or a poll task waits.
         */
        BLOCKING_CALL,
        /** Anything else: the task computes without yielding. */
        COMPUTATION
    }

    public BlockedWorkerReport {
        Objects.requireNonNull(cause, "cause");
    }

    /**
     * A report without a cause of its own (the shape before causes were added): the cause is
     * read from the stack alone, {@link Cause#BLOCKING_CALL} if its top frame is a blocking
     * system call, else {@link Cause#COMPUTATION} (without the thread's state a pinned wait cannot
     * be told).
     */
    public BlockedWorkerReport(String runtime, String worker, Duration blockedFor, Optional<String> taskName,
                               Optional<StackTraceElement> spawnSite, StackTraceElement[] stack) {
        this(runtime, worker, blockedFor, taskName, spawnSite, stack,
                Watchdog.classify(Thread.State.RUNNABLE, stack, false));
    }

    /**
     * The innermost frame of code outside the JDK and Weft's engine: where the task's own code is
     * (for a blocking call or a wait, the line that made it), or empty if the stack has none.
     */
    public Optional<StackTraceElement> taskFrame() {
        int i = Watchdog.firstNonJdkFrame(stack);
        return i < 0 ? Optional.empty() : Optional.of(stack[i]);
    }

    /**
     * For {@link Cause#BLOCKING_CALL} and {@link Cause#PINNED_WAIT}, the JDK method the task's
     * code called that blocks or waits (the outermost frame above {@link #taskFrame()}, e.g.
     * {@code java.io.FileInputStream.read}); empty for {@link Cause#COMPUTATION}.
     */
    public Optional<StackTraceElement> blockingFrame() {
        if (cause == Cause.COMPUTATION || stack.length == 0) {
            return Optional.empty();
        }
        int i = Watchdog.firstNonJdkFrame(stack);
        return Optional.of(i > 0 ? stack[i - 1] : stack[0]);
    }

    /** A readable report, as logged by default: the cause, the call, and what to do about it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("weft watchdog: worker ").append(worker).append(" of runtime '").append(runtime)
                .append("' has been running ").append(taskName.map(n -> "task '" + n + "'").orElse("one task"))
                .append(" for ").append(blockedFor.toMillis()).append(" ms without yielding");
        spawnSite.ifPresent(s -> sb.append(" (spawned at ").append(s).append(')'));
        sb.append(". Cause: ").append(cause).append(": ");
        String where = taskFrame().map(f -> ", called from " + f).orElse("");
        String in = stack.length > 0 && stack[0].isNativeMethod() && blockingFrame().orElse(null) != stack[0]
                ? " (in " + stack[0] + ")" : "";
        switch (cause) {
            case BLOCKING_CALL -> sb.append("it is blocked in ").append(blockingFrame().map(Object::toString).orElse("a blocking call"))
                    .append(in).append(where).append(", a call that holds the worker's OS thread until it returns. "
                            + "Fix: wrap it in Weft.spawnBlocking(() -> ...).join(), or use AsyncFile / Weft's TcpStream.");
            case PINNED_WAIT -> {
                sb.append("it waits in ").append(blockingFrame().map(Object::toString).orElse("a wait")).append(where);
                pinnedBy().ifPresent(p -> sb.append(", pinned by ").append(p));
                sb.append(". Fix: the task is pinned (a native frame or class initialiser on its stack) while it "
                        + "waits: wait outside it, or move the call to Weft.spawnBlocking.");
            }
            case COMPUTATION -> sb.append("it is computing").append(taskFrame().map(f -> ", now at " + f).orElse(""))
                    .append(". Fix: break long loops with Weft.yieldNow(), or move the computation to "
                            + "Weft.spawnBlocking.");
        }
        for (StackTraceElement e : stack) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }

    /** The frame that pins a waiting virtual thread, if the stack shows it: a class initialiser or a native frame. */
    private Optional<StackTraceElement> pinnedBy() {
        for (int i = 1; i < stack.length; i++) {
            StackTraceElement e = stack[i];
            if (e.getMethodName().equals("<clinit>") || e.isNativeMethod()) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
