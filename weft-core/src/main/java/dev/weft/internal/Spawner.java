package dev.weft.internal;

import dev.weft.Action;
import dev.weft.Future;
import dev.weft.Task;
import dev.weft.spi.AbstractRuntime;
import java.util.Objects;
import java.util.concurrent.Callable;

/** Creates, registers and starts tasks on a runtime, in or out of a scope. */
public final class Spawner {
    private Spawner() { }

    public static <T> Task<T> sequential(AbstractRuntime rt, String name, ScopeState scope, Callable<? extends T> body) {
        Objects.requireNonNull(body, "body");
        SeqTask<T> task = new SeqTask<>(rt, name, scope, body);
        return launch(rt, scope, task);
    }

    /** A sequential task running {@code body} as it is (no Callable adapter: one object and one frame less). */
    public static Task<Void> sequential(AbstractRuntime rt, String name, ScopeState scope, Action body) {
        Objects.requireNonNull(body, "body");
        SeqTask<Void> task = new SeqTask<>(rt, name, scope, body);
        return launch(rt, scope, task);
    }

    public static Callable<Void> callable(Action body) {
        Objects.requireNonNull(body, "body");
        return () -> {
            body.run();
            return null;
        };
    }

    public static <T> Task<T> blocking(AbstractRuntime rt, String name, Callable<? extends T> body) {
        return blocking(rt, name, body, true);
    }

    /**
     * A blocking call on {@code rt}'s pool; {@code interruptible} false: cancelling it never
     * interrupts the pool thread (see {@link BlockingTask}).
     */
    public static <T> Task<T> blocking(AbstractRuntime rt, String name, Callable<? extends T> body, boolean interruptible) {
        Objects.requireNonNull(body, "body");
        return launch(rt, null, new BlockingTask<>(rt, name, body, rt.blockingExecutor(), interruptible));
    }

    public static <T> Task<T> poll(AbstractRuntime rt, String name, ScopeState scope, Future<T> future) {
        Objects.requireNonNull(future, "future");
        PollTask<T> task = new PollTask<>(rt, name, scope, future, rt.pollExecutor());
        return launch(rt, scope, task);
    }

    private static <T> Task<T> launch(AbstractRuntime rt, ScopeState scope, TaskCore<T> task) {
        if (scope != null) {
            scope.register(task);
        }
        if (!RuntimeInternals.taskStarted(rt, task)) {
            // The runtime began closing after the caller's check: its final sweep may already
            // have run, so complete the task here (completion is exactly-once either way).
            task.cancelRequested = true;
            task.completeCancelled();
            throw new IllegalStateException("runtime '" + rt.name() + "' closed while task '" + task.name()
                    + "' was being spawned: it accepts no new tasks. Spawn before close(), or onto a runtime that is still open.");
        }
        try {
            task.start();
        } catch (RuntimeException | Error e) {
            task.cancelRequested = true;
            task.completeCancelled();
            throw e;
        }
        return task;
    }
}
