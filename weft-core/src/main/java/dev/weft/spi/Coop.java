package dev.weft.spi;

import dev.weft.Context;
import dev.weft.internal.TaskBudget;

/**
 * Cooperative scheduling budget. A task that keeps finding its resources ready (a channel that
 * always has a message, an expired timer, a socket with data) would never return
 * {@link dev.weft.Poll#pending()} and would starve the other tasks on its worker. Every Weft
 * resource therefore spends one unit of the running task's budget per operation that completes
 * without waiting; when the budget is spent, the operation answers "not now" once, so the task
 * yields, and the budget is refilled the next time the task runs.
 *
 * <p>Resource authors call {@link #proceed(Context)} at the start of a poll-style operation and
 * {@link #proceedBlocking()} at the start of a blocking-style one. Outside a task both always
 * allow. The budget is {@value #BUDGET} operations per poll (or per resumption of a sequential task).
 */
public final class Coop {
    /** Operations a task may complete without waiting before it must yield. */
    public static final int BUDGET = 128;

    private Coop() { }

    /**
     * Spends one unit of the current task's budget.
     *
     * <p>A probe, polled with {@link Context#noop()} by a call that does not wait (such as
     * {@code Framed.feed} trying a writer's room), always proceeds: it cannot yield, as nothing
     * would wake it. The budget stays spent, so the task's next real poll yields.
     *
     * @return true if the operation may proceed; false if the budget is spent, in which case the
     *         context's waker has been woken and the caller must answer pending
     */
    public static boolean proceed(Context cx) {
        if (TaskBudget.spend()) {
            return true;
        }
        dev.weft.Waker w = cx.waker();
        if (w == dev.weft.Waker.NOOP) {
            return true;
        }
        w.wake();
        return false;
    }

    /**
     * Spends one unit of the current sequential task's budget; when it is spent, yields the
     * virtual thread (so others on its carrier run) and refills it.
     */
    public static void proceedBlocking() {
        if (!TaskBudget.spend()) {
            dev.weft.internal.Await.yieldThread();
            TaskBudget.refill();
        }
    }
}
