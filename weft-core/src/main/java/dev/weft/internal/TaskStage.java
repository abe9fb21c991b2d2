package dev.weft.internal;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.Waker;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code Task.toCompletableFuture}: a {@link CompletableFuture} completed with the task's outcome
 * (its value, the body's own exception, or a {@link CancellationException}); cancelling it
 * cancels the task.
 *
 * <h2>Implementation notes</h2>
 * It is the waker it registers on the task: the task's completion wakes it, on the completing
 * thread, and it polls the task once more there (a done task's poll only reads its outcome).
 * {@code CompletableFuture} keeps the first completion, so a cancel racing the task's end is
 * settled by whichever comes first.
 */
public final class TaskStage<T> extends CompletableFuture<T> implements Waker {
    private final Task<T> task;

    private TaskStage(Task<T> task) {
        this.task = task;
    }

    public static <T> CompletableFuture<T> of(Task<T> task) {
        TaskStage<T> stage = new TaskStage<>(task);
        stage.check();
        return stage;
    }

    private void check() {
        try {
            Poll<T> p = task.poll(new Context(this));
            if (p.isReady()) {
                complete(p.value());
            }
        } catch (TaskFailedException e) {
            completeExceptionally(e.getCause() != null ? e.getCause() : e);
        } catch (Throwable e) {
            completeExceptionally(e);
        }
    }

    @Override
    public void wake() {
        check();
    }

    @Override
    public boolean willWake(Waker other) {
        return other == this;
    }

    /** Cancels the task too; the task's own cleanup runs as for any cancel. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        task.cancel();
        return cancelled;
    }

    @Override
    public String toString() {
        return "toCompletableFuture(" + task + ")" + (isDone() ? "[done]" : "");
    }
}
