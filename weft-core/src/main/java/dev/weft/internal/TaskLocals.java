package dev.weft.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Storage of {@link dev.weft.TaskLocal} values in the current task's record. */
public final class TaskLocals {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Object NULL = new Object();

    private TaskLocals() { }

    public static int nextIndex() {
        return NEXT.getAndIncrement();
    }

    @SuppressWarnings("unchecked")
    public static <T> T get(int index, Supplier<? extends T> initial) {
        TaskCore<?> task = currentTask();
        Object v = task.local(index);
        if (v == null) {
            T init = initial.get();
            task.setLocal(index, init == null ? NULL : init);
            return init;
        }
        return v == NULL ? null : (T) v;
    }

    public static void set(int index, Object value) {
        currentTask().setLocal(index, value == null ? NULL : value);
    }

    private static TaskCore<?> currentTask() {
        TaskCore<?> task = ExecutionContext.currentTaskOrNull();
        if (task == null) {
            throw new IllegalStateException("TaskLocal used outside a Weft task (" + Thread.currentThread()
                    + "): task-locals belong to tasks; spawn one with Weft.spawn, or use a ThreadLocal here");
        }
        return task;
    }
}
