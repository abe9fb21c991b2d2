package dev.weft;

import dev.weft.internal.TaskLocals;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value per task, that follows the task rather than a carrier thread. A {@link ThreadLocal}
 * read in a poll task would see whichever worker polls it this time; a {@code TaskLocal} sees the
 * task's own value, on every worker. In a sequential task it behaves like a thread-local of the
 * task's virtual thread. A spawned task starts with the initial value; values are not inherited.
 *
 * {@snippet class="dev.weft.snippets.TaskSnippets" region="taskLocal"}
 *
 * @param <T> the type of the value
 */
public final class TaskLocal<T> {
    private final int index = TaskLocals.nextIndex();
    private final Supplier<? extends T> initial;

    private TaskLocal(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /** A task-local whose initial value in each task is {@code null}. */
    public static <T> TaskLocal<T> of() {
        return new TaskLocal<>(() -> null);
    }

    /** A task-local whose initial value in each task comes from {@code initial}. */
    public static <T> TaskLocal<T> withInitial(Supplier<? extends T> initial) {
        return new TaskLocal<>(Objects.requireNonNull(initial, "initial"));
    }

    /**
     * The current task's value.
     *
     * @throws IllegalStateException outside a task
     */
    public T get() {
        return TaskLocals.get(index, initial);
    }

    /**
     * Sets the current task's value.
     *
     * @throws IllegalStateException outside a task
     */
    public void set(T value) {
        TaskLocals.set(index, value);
    }
}
