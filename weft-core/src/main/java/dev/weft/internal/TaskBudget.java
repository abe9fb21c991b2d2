package dev.weft.internal;

import dev.weft.spi.Coop;

/** The running task's cooperative budget ({@link Coop}), kept in its record and refilled per run. */
public final class TaskBudget {
    private TaskBudget() { }

    static void refill(TaskCore<?> task) {
        task.budget = task.runtime.coopBudget();
    }

    /** Spends one unit; false when the current task's budget is spent. Outside a task: always true. */
    public static boolean spend() {
        TaskCore<?> task = ExecutionContext.currentTaskOrNull();
        if (task == null) {
            return true;
        }
        if (task.budget <= 0) {
            return false;
        }
        task.budget--;
        return true;
    }

    /** Refills the current task's budget (after it yielded). */
    public static void refill() {
        TaskCore<?> task = ExecutionContext.currentTaskOrNull();
        if (task != null) {
            refill(task);
        }
    }
}
