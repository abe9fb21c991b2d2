package dev.weft.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * What the watchdog reports once when a worker stays in one poll, or one virtual-thread run,
 * longer than its threshold: the worker, for how long, which task (when it can tell), where that
 * task was spawned (when spawn sites are on), and the worker's stack at that moment.
 *
 * @param runtime     the runtime's name
 * @param worker      the worker thread's name
 * @param blockedFor  how long the worker had been in the same run when seen
 * @param taskName    the task being run, if known
 * @param spawnSite   where that task was spawned, if captured ({@code -Dweft.spawnSites=true})
 * @param stack       the stack of the thread doing the work (the virtual thread's, for a
 *                    sequential task)
 */
public record BlockedWorkerReport(String runtime, String worker, Duration blockedFor, Optional<String> taskName,
                                  Optional<StackTraceElement> spawnSite, StackTraceElement[] stack) {

    /** A readable report, as logged by default. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("weft watchdog: worker ").append(worker).append(" of runtime '").append(runtime)
                .append("' has been running ").append(taskName.map(n -> "task '" + n + "'").orElse("one task"))
                .append(" for ").append(blockedFor.toMillis()).append(" ms without yielding");
        spawnSite.ifPresent(s -> sb.append(" (spawned at ").append(s).append(')'));
        sb.append(". A poll must not block, and sequential code should not hold its carrier: move blocking "
                + "calls to Weft.spawnBlocking, or break long loops with Weft.yieldNow().");
        for (StackTraceElement e : stack) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }
}
